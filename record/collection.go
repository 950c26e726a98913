package record

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
)

// Collection is an album (or folder, favorites, uncategorized) as museum
// returns it: to its owner (GET /collections/v2, where EncryptedKey is a
// secretbox under the master key: OwnerKey, then keys.OpenCollectionKey),
// to a sharee (EncryptedKey sealed to the sharee's public key, with no
// nonce: keys.OpenSharedCollectionKey), and to a public link (GET
// /public-collection/info, where the key comes from the link instead).
// Times are microseconds since the Unix epoch.
type Collection struct {
	ID                 int64
	Owner              CollectionUser
	EncryptedKey       Ciphertext
	KeyDecryptionNonce *secretbox.Nonce // nil for a collection shared with the account
	// Name is the plaintext name of very old collections; others have
	// EncryptedName, a secretbox under the collection key (OpenName).
	Name                string
	EncryptedName       Ciphertext
	NameDecryptionNonce *secretbox.Nonce
	Type                string // album, folder, favorites, uncategorized
	Attributes          CollectionAttributes
	Sharees             []CollectionUser // nil when museum sends null
	PublicURLs          []PublicURL
	UpdationTime        int64
	SharedAt            *int64
	IsDeleted           bool
	MagicMetadata       *Magic // the owner's, under the collection key
	App                 string
	PubMagicMetadata    *Magic // shown to sharees and links
	SharedMagicMetadata *Magic // a sharee's own settings for the collection
}

// CollectionUser is a collection's owner or one of its sharees.
type CollectionUser struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"` // deprecated by Ente, still sent
	Role  string `json:"role"` // VIEWER, COLLABORATOR, OWNER, or ""
}

// CollectionAttributes are a folder's device path (an encrypted string,
// kept as museum sends it) and the collection's version.
type CollectionAttributes struct {
	EncryptedPath       string `json:"encryptedPath,omitempty"`
	PathDecryptionNonce string `json:"pathDecryptionNonce,omitempty"`
	Version             int    `json:"version"`
}

// PublicURL describes a collection's public link. Nonce (the link
// password's Argon2id salt), MemLimit and OpsLimit come with
// PasswordEnabled; a link's URL is empty when a link itself asks.
type PublicURL struct {
	URL             string       `json:"url"` // {albums host}/?t={accessToken}, without the key
	DeviceLimit     int          `json:"deviceLimit"`
	ValidTill       int64        `json:"validTill"` // 0 = never
	EnableDownload  bool         `json:"enableDownload"`
	EnableCollect   bool         `json:"enableCollect"`
	EnableComment   bool         `json:"enableComment"`
	PasswordEnabled bool         `json:"passwordEnabled"`
	Nonce           *pwhash.Salt `json:"nonce,omitempty"`
	MemLimit        *uint64      `json:"memLimit,omitempty"`
	OpsLimit        *uint64      `json:"opsLimit,omitempty"`
	EnableJoin      bool         `json:"enableJoin"`
	MinRole         *string      `json:"minRole,omitempty"`
}

// OwnerKey returns the collection key wrapped under the owner's master
// key, for keys.OpenCollectionKey. A collection shared with the account
// has no nonce (its key is sealed: keys.OpenSharedCollectionKey), and gets
// an error wrapping ErrInvalid.
func (c *Collection) OwnerKey() (*WrappedKey, error) {
	if c.KeyDecryptionNonce == nil {
		return nil, fmt.Errorf("%w: collection.keyDecryptionNonce: missing (a shared collection's key is sealed)", ErrInvalid)
	}
	return &WrappedKey{EncryptedKey: c.EncryptedKey, KeyDecryptionNonce: *c.KeyDecryptionNonce}, nil
}

// maxNameSize caps a decrypted collection name.
const maxNameSize = 64 << 10

// OpenName returns the collection's name: EncryptedName opened with the
// collection key, or the plaintext Name of a very old collection. A box
// that does not open wraps secretbox.ErrOpen; a name that is not UTF-8 or
// is over 64 KiB, ErrInvalid.
func (c *Collection) OpenName(key *secret.Key) (string, error) {
	if len(c.EncryptedName) == 0 {
		return c.Name, nil
	}
	if c.NameDecryptionNonce == nil {
		return "", fmt.Errorf("%w: collection.nameDecryptionNonce: missing", ErrInvalid)
	}
	if len(c.EncryptedName)-secretbox.Overhead > maxNameSize {
		return "", fmt.Errorf("%w: collection.encryptedName: %d bytes, want at most %d", ErrInvalid, len(c.EncryptedName), maxNameSize+secretbox.Overhead)
	}
	b, err := secretbox.Open(nil, c.EncryptedName, c.NameDecryptionNonce, key)
	if err != nil {
		return "", fmt.Errorf("record: collection name: %w", err)
	}
	if !utf8.Valid(b) {
		return "", fmt.Errorf("%w: collection name is not UTF-8", ErrInvalid)
	}
	return string(b), nil
}

type collectionJSON struct {
	ID                  int64                `json:"id"`
	Owner               CollectionUser       `json:"owner"`
	EncryptedKey        string               `json:"encryptedKey"`
	KeyDecryptionNonce  string               `json:"keyDecryptionNonce,omitempty"`
	Name                string               `json:"name"`
	EncryptedName       string               `json:"encryptedName"`
	NameDecryptionNonce string               `json:"nameDecryptionNonce"`
	Type                string               `json:"type"`
	Attributes          CollectionAttributes `json:"attributes"`
	Sharees             []CollectionUser     `json:"sharees"`
	PublicURLs          []PublicURL          `json:"publicURLs"`
	UpdationTime        int64                `json:"updationTime"`
	SharedAt            *int64               `json:"sharedAt,omitempty"`
	IsDeleted           bool                 `json:"isDeleted,omitempty"`
	MagicMetadata       json.RawMessage      `json:"magicMetadata,omitempty"`
	App                 string               `json:"app"`
	PubMagicMetadata    json.RawMessage      `json:"pubMagicMetadata,omitempty"`
	SharedMagicMetadata json.RawMessage      `json:"sharedMagicMetadata,omitempty"`
}

// UnmarshalJSON decodes a collection strictly. The key is required unless
// the collection is deleted; the nonces and the encrypted name may be
// empty. Errors wrap ErrInvalid and name the field.
func (c *Collection) UnmarshalJSON(data []byte) error {
	var v collectionJSON
	if err := unmarshal(data, "collection", &v); err != nil {
		return err
	}
	got := Collection{ID: v.ID, Owner: v.Owner, Name: v.Name, Type: v.Type, Attributes: v.Attributes, Sharees: v.Sharees,
		PublicURLs: v.PublicURLs, UpdationTime: v.UpdationTime, SharedAt: v.SharedAt, IsDeleted: v.IsDeleted, App: v.App}
	d := &decoder{what: "collection"}
	d.text("encryptedKey", v.EncryptedKey, &got.EncryptedKey, v.IsDeleted)
	got.KeyDecryptionNonce = optionalNonce(d, "keyDecryptionNonce", v.KeyDecryptionNonce)
	d.text("encryptedName", v.EncryptedName, &got.EncryptedName, true)
	got.NameDecryptionNonce = optionalNonce(d, "nameDecryptionNonce", v.NameDecryptionNonce)
	got.MagicMetadata = decodeMagic(d, "magicMetadata", v.MagicMetadata)
	got.PubMagicMetadata = decodeMagic(d, "pubMagicMetadata", v.PubMagicMetadata)
	got.SharedMagicMetadata = decodeMagic(d, "sharedMagicMetadata", v.SharedMagicMetadata)
	if d.err != nil {
		return d.err
	}
	*c = got
	return nil
}

func optionalNonce(d *decoder, name, s string) *secretbox.Nonce {
	if s == "" {
		return nil
	}
	n := new(secretbox.Nonce)
	d.text(name, s, n, false)
	return n
}

// MarshalJSON writes the collection as museum does.
func (c Collection) MarshalJSON() ([]byte, error) {
	v := collectionJSON{ID: c.ID, Owner: c.Owner, Name: c.Name, Type: c.Type, Attributes: c.Attributes, Sharees: c.Sharees,
		PublicURLs: c.PublicURLs, UpdationTime: c.UpdationTime, SharedAt: c.SharedAt, IsDeleted: c.IsDeleted, App: c.App,
		EncryptedKey:        encode(c.EncryptedKey, false),
		EncryptedName:       encode(c.EncryptedName, false),
		MagicMetadata:       rawMagic(c.MagicMetadata),
		PubMagicMetadata:    rawMagic(c.PubMagicMetadata),
		SharedMagicMetadata: rawMagic(c.SharedMagicMetadata),
	}
	if c.KeyDecryptionNonce != nil {
		v.KeyDecryptionNonce = encode(c.KeyDecryptionNonce, false)
	}
	if c.NameDecryptionNonce != nil {
		v.NameDecryptionNonce = encode(c.NameDecryptionNonce, false)
	}
	return json.Marshal(v)
}
