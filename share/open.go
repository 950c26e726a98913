package share

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
	"github.com/e2eekit/e2ee/share/internal/wire"
	"github.com/e2eekit/e2ee/stream"
)

// Caps on decrypted blobs: metadata is a few hundred bytes of JSON.
const (
	maxMetadataSize = 1 << 20
	maxNameSize     = 64 << 10
)

// Album is the decrypted view of a synced album.
type Album struct {
	ID   int64
	Name string
	// Metadata and PublicMetadata are the album's decrypted magicMetadata
	// and pubMagicMetadata (JSON such as {"visibility":0} and
	// {"asc":true,"coverID":42}), or nil.
	Metadata, PublicMetadata json.RawMessage
	// Files are sorted by CreationTime, then ID.
	Files []File
}

// File is one decrypted file entry. Times are microseconds since the Unix
// epoch, as in Ente's JSON.
type File struct {
	ID               int64
	Title            string
	CreationTime     int64
	ModificationTime int64
	FileType         int   // 0 image, 1 video, 2 live photo
	UpdationTime     int64 // when the server last changed the entry
	// Metadata is the whole decrypted metadata JSON; PublicMetadata the
	// decrypted pubMagicMetadata (edited time, caption, …) or nil.
	Metadata       json.RawMessage
	PublicMetadata json.RawMessage
}

// openedFile is a File plus what downloading it needs.
type openedFile struct {
	File
	key        *secret.Key
	fileHeader stream.Header
	thumbHdr   stream.Header
}

// albumHead is the decrypted collection.
type albumHead struct {
	id       int64
	name     string
	meta     json.RawMessage // magicMetadata
	pubMeta  json.RawMessage // pubMagicMetadata
	password *PasswordParams // nil unless the link is password protected
	collect  bool            // the link lets anyone add files
}

// openCollection decodes the collection JSON and decrypts its name and
// magic metadata under the link key.
func openCollection(raw json.RawMessage, key *secret.Key) (*albumHead, error) {
	var c wire.Collection
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("%w: collection: %v", ErrBadResponse, err)
	}
	h := &albumHead{id: c.ID, name: c.Name}
	if c.EncryptedName != "" {
		// The name is the one thing every album has under its key: if it
		// does not open, the key is not this album's.
		name, err := openBox(c.EncryptedName, c.NameDecryptionNonce, key, maxNameSize)
		if err != nil {
			return nil, fmt.Errorf("%w: album name: %w", ErrKeyMismatch, err)
		}
		h.name = string(name)
	}
	for _, m := range []struct {
		in  *wire.Magic
		out *json.RawMessage
	}{{c.MagicMetadata, &h.meta}, {c.PubMagicMetadata, &h.pubMeta}} {
		if m.in == nil {
			continue
		}
		b, _, err := openMagic(m.in, key)
		if err != nil {
			return nil, fmt.Errorf("%w: album metadata: %w", ErrUndecryptable, err)
		}
		*m.out = b
	}
	for _, u := range c.PublicURLs {
		h.collect = h.collect || u.EnableCollect
		if !u.PasswordEnabled {
			continue
		}
		if u.Nonce == nil || u.MemLimit == nil || u.OpsLimit == nil {
			return nil, fmt.Errorf("%w: password-protected link without nonce, memLimit and opsLimit", ErrBadResponse)
		}
		p := &PasswordParams{MemLimit: *u.MemLimit, OpsLimit: *u.OpsLimit}
		if err := p.Salt.UnmarshalText([]byte(*u.Nonce)); err != nil {
			return nil, fmt.Errorf("%w: link password nonce: %v", ErrBadResponse, err)
		}
		h.password = p
	}
	return h, nil
}

// openFile decrypts a live diff entry: its file key under the collection
// key, then its metadata and public magic metadata under the file key.
// legacy reports metadata accepted with the MESSAGE tag (see openBlob).
// Errors wrap ErrUndecryptable.
func openFile(f *wire.File, ck *secret.Key, collectionID int64) (o *openedFile, legacy bool, err error) {
	fail := func(what string, err error) (*openedFile, bool, error) {
		return nil, false, entryError(f.ID, what, err)
	}
	if f.CollectionID != collectionID {
		return fail(fmt.Sprintf("entry of collection %d in album %d", f.CollectionID, collectionID), nil)
	}
	kb, err := openBox(f.EncryptedKey, f.KeyDecryptionNonce, ck, secret.KeySize)
	if err != nil {
		return fail("file key", err)
	}
	fk, err := secret.NewKey(kb)
	clear(kb)
	if err != nil {
		return fail("file key", err)
	}
	o, legacy, err = openWithKey(f, fk)
	if err != nil {
		fk.Destroy()
		return nil, false, err
	}
	return o, legacy, nil
}

// openWithKey decrypts an entry's metadata and public magic metadata under
// its file key fk, which the result then owns. Errors wrap
// ErrUndecryptable.
func openWithKey(f *wire.File, fk *secret.Key) (o *openedFile, legacy bool, err error) {
	fail := func(what string, err error) (*openedFile, bool, error) {
		return nil, false, entryError(f.ID, what, err)
	}
	o = &openedFile{key: fk}
	if err := decodeHeaders(o, f); err != nil {
		return fail("header", err)
	}
	md, legacy, err := openBlob(f.Metadata.EncryptedData, f.Metadata.DecryptionHeader, fk)
	if err != nil {
		return fail("metadata", err)
	}
	var m wire.Metadata
	if err := json.Unmarshal(md, &m); err != nil {
		return fail("metadata is not a JSON object", nil)
	}
	o.File = File{ID: f.ID, Title: m.Title, CreationTime: m.CreationTime, ModificationTime: m.ModificationTime,
		FileType: m.FileType, UpdationTime: f.UpdationTime, Metadata: md}
	if f.PubMagicMetadata != nil {
		var old bool
		if o.PublicMetadata, old, err = openMagic(f.PubMagicMetadata, fk); err != nil {
			return fail("public metadata", err)
		}
		legacy = legacy || old
	}
	return o, legacy, nil
}

// entryError wraps ErrUndecryptable with what failed in entry id.
func entryError(id int64, what string, err error) error {
	if err == nil {
		return fmt.Errorf("%w: file %d: %s", ErrUndecryptable, id, what)
	}
	return fmt.Errorf("%w: file %d: %s: %w", ErrUndecryptable, id, what, err)
}

func decodeHeaders(o *openedFile, f *wire.File) error {
	if err := o.fileHeader.UnmarshalText([]byte(f.File.DecryptionHeader)); err != nil {
		return err
	}
	return o.thumbHdr.UnmarshalText([]byte(f.Thumbnail.DecryptionHeader))
}

// openBox opens a base64 secretbox with a base64 nonce; size caps the
// plaintext.
func openBox(boxB64, nonceB64 string, key *secret.Key, size int) ([]byte, error) {
	var n secretbox.Nonce
	if err := n.UnmarshalText([]byte(nonceB64)); err != nil {
		return nil, err
	}
	box, err := b64.Decode(boxB64)
	if err != nil {
		return nil, err
	}
	if len(box) < secretbox.Overhead || len(box)-secretbox.Overhead > size {
		return nil, fmt.Errorf("box of %d bytes, want at most %d", len(box), size+secretbox.Overhead)
	}
	return secretbox.Open(nil, box, &n, key)
}

// openBlob decrypts a base64 one-message stream of JSON: exactly one
// message, no trailing bytes, tagged FINAL or, as Ente's web client
// accepts it (it ignores the tag), MESSAGE; legacy reports the latter.
func openBlob(dataB64, headerB64 string, key *secret.Key) (b json.RawMessage, legacy bool, err error) {
	var h stream.Header
	if err := h.UnmarshalText([]byte(headerB64)); err != nil {
		return nil, false, err
	}
	ct, err := b64.Decode(dataB64)
	if err != nil {
		return nil, false, err
	}
	return decryptBlobLenient(ct, h, key, maxMetadataSize)
}

// decryptBlobLenient is stream.DecryptBlob that also takes the MESSAGE
// tag, and says so.
func decryptBlobLenient(ct []byte, h stream.Header, key *secret.Key, max int) ([]byte, bool, error) {
	b, err := stream.DecryptBlob(ct, h, key, stream.WithMaxSize(max))
	if !errors.Is(err, stream.ErrUnexpectedTag) {
		return b, false, err
	}
	b, err = stream.DecryptBlobLegacy(ct, h, key, stream.WithMaxSize(max))
	return b, err == nil, err
}

// openMagic decrypts magic metadata, which must be a JSON object.
func openMagic(m *wire.Magic, key *secret.Key) (json.RawMessage, bool, error) {
	b, legacy, err := openBlob(m.Data, m.Header, key)
	if err != nil {
		return nil, false, err
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(b, &obj) != nil {
		return nil, false, errors.New("not a JSON object")
	}
	return b, legacy, nil
}
