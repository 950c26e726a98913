package record

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/e2eekit/e2ee/internal/entejson"
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
	if c == nil {
		return nil, fmt.Errorf("%w: nil collection", ErrInvalid)
	}
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
// is over 64 KiB, ErrInvalid, as is a nil Collection (the zero one is a
// very old collection named "").
func (c *Collection) OpenName(key *secret.Key) (string, error) {
	if c == nil {
		return "", fmt.Errorf("%w: nil collection", ErrInvalid)
	}
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

// UnmarshalJSON decodes a collection strictly. The key is required unless
// the collection is deleted; the nonces and the encrypted name may be
// empty. Errors wrap ErrInvalid and name the field.
func (c *Collection) UnmarshalJSON(data []byte) error {
	if c == nil {
		return fmt.Errorf("%w: UnmarshalJSON on a nil *Collection", ErrInvalid)
	}
	var v entejson.Collection
	if err := unmarshal(data, "collection", &v); err != nil {
		return err
	}
	got := Collection{ID: v.ID, Owner: CollectionUser(v.Owner), Name: v.Name, Type: v.Type,
		Attributes: CollectionAttributes(v.Attributes), UpdationTime: v.UpdationTime, SharedAt: v.SharedAt,
		IsDeleted: v.IsDeleted, App: v.App}
	if v.Sharees != nil {
		got.Sharees = make([]CollectionUser, len(v.Sharees))
		for i, u := range v.Sharees {
			got.Sharees[i] = CollectionUser(u)
		}
	}
	d := &decoder{what: "collection"}
	if v.PublicURLs != nil {
		got.PublicURLs = make([]PublicURL, len(v.PublicURLs))
		for i, u := range v.PublicURLs {
			got.PublicURLs[i] = decodePublicURL(d, i, &u)
		}
	}
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

// decodePublicURL converts link i of d's collection; its nonce (the
// password's salt) is strict base64 of 16 bytes when present.
func decodePublicURL(d *decoder, i int, u *entejson.PublicURL) PublicURL {
	out := PublicURL{URL: u.URL, DeviceLimit: u.DeviceLimit, ValidTill: u.ValidTill, EnableDownload: u.EnableDownload,
		EnableCollect: u.EnableCollect, EnableComment: u.EnableComment, PasswordEnabled: u.PasswordEnabled,
		MemLimit: u.MemLimit, OpsLimit: u.OpsLimit, EnableJoin: u.EnableJoin, MinRole: u.MinRole}
	if u.Nonce != nil {
		out.Nonce = new(pwhash.Salt)
		d.text(fmt.Sprintf("publicURLs[%d].nonce", i), *u.Nonce, out.Nonce, false)
	}
	return out
}

// MarshalJSON writes the collection as museum does.
func (c Collection) MarshalJSON() ([]byte, error) {
	v := entejson.Collection{ID: c.ID, Owner: entejson.CollectionUser(c.Owner), Name: c.Name, Type: c.Type,
		Attributes: entejson.CollectionAttributes(c.Attributes), UpdationTime: c.UpdationTime, SharedAt: c.SharedAt,
		IsDeleted: c.IsDeleted, App: c.App,
		EncryptedKey:        encode(c.EncryptedKey, false),
		KeyDecryptionNonce:  encode(c.KeyDecryptionNonce, c.KeyDecryptionNonce == nil),
		EncryptedName:       encode(c.EncryptedName, false),
		NameDecryptionNonce: encode(c.NameDecryptionNonce, c.NameDecryptionNonce == nil),
		MagicMetadata:       encodeMagic(c.MagicMetadata),
		PubMagicMetadata:    encodeMagic(c.PubMagicMetadata),
		SharedMagicMetadata: encodeMagic(c.SharedMagicMetadata),
	}
	if c.Sharees != nil {
		v.Sharees = make([]entejson.CollectionUser, len(c.Sharees))
		for i, u := range c.Sharees {
			v.Sharees[i] = entejson.CollectionUser(u)
		}
	}
	if c.PublicURLs != nil {
		v.PublicURLs = make([]entejson.PublicURL, len(c.PublicURLs))
		for i, u := range c.PublicURLs {
			v.PublicURLs[i] = entejson.PublicURL{URL: u.URL, DeviceLimit: u.DeviceLimit, ValidTill: u.ValidTill,
				EnableDownload: u.EnableDownload, EnableCollect: u.EnableCollect, EnableComment: u.EnableComment,
				PasswordEnabled: u.PasswordEnabled, MemLimit: u.MemLimit, OpsLimit: u.OpsLimit, EnableJoin: u.EnableJoin,
				MinRole: u.MinRole}
			if u.Nonce != nil {
				n := encode(u.Nonce, false)
				v.PublicURLs[i].Nonce = &n
			}
		}
	}
	return json.Marshal(v)
}
