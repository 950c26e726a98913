package keys

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/e2eekit/e2ee/internal/jsonstrict"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
	"github.com/e2eekit/e2ee/stream"
)

// AuthKeyEnvelope is the authKey of a token vault in a secretbox under the
// master key, as Ente Auth stores it (GET /authenticator/key). Its "header"
// is the secretbox nonce, whatever the name suggests.
type AuthKeyEnvelope struct {
	EncryptedKey Ciphertext      `json:"encryptedKey"`
	Header       secretbox.Nonce `json:"header"`
}

// UnmarshalJSON decodes both fields strictly; errors wrap
// ErrInvalidEnvelope and name the field.
func (e *AuthKeyEnvelope) UnmarshalJSON(data []byte) error {
	return decodeInto(e, data, ErrInvalidEnvelope, func(v *AuthKeyEnvelope) []field {
		return []field{{name: "encryptedKey", dst: &v.EncryptedKey}, {name: "header", dst: &v.Header}}
	}, nil)
}

// NewAuthKey draws a vault's authKey and wraps it under the master key. A
// nil master key gives nil, nil.
func NewAuthKey(mk *MasterKey) (*secret.Key, *AuthKeyEnvelope) {
	if mk == nil {
		return nil, nil
	}
	k := secret.GenerateKey()
	e := new(AuthKeyEnvelope)
	e.EncryptedKey, e.Header = wrapKey(k, &mk.k)
	return k, e
}

// OpenAuthKey opens a vault's authKey with the master key. A box that does
// not open wraps secretbox.ErrOpen; a wrong length, ErrInvalidEnvelope.
func OpenAuthKey(e *AuthKeyEnvelope, mk *MasterKey) (*secret.Key, error) {
	if e == nil {
		return nil, fmt.Errorf("%w: nil authKey envelope", ErrInvalidEnvelope)
	}
	return unwrapKey(e.EncryptedKey, &e.Header, mk.key(), "authKey", ErrInvalidEnvelope, nil)
}

// AuthEntity is one token of Ente Auth as shipped: a secretstream blob
// under the authKey, "header" being the secretstream header. Its plaintext
// is a JSON string holding an otpauth:// URI.
type AuthEntity struct {
	EncryptedData Ciphertext    `json:"encryptedData"`
	Header        stream.Header `json:"header"`
}

// UnmarshalJSON decodes both fields strictly, ignoring the others the
// server sends (id, timestamps); errors wrap ErrInvalidEnvelope and name
// the field. A deleted diff entry holds no token: read the diff as
// AuthEntry.
func (e *AuthEntity) UnmarshalJSON(data []byte) error {
	if e == nil {
		return fmt.Errorf("%w: UnmarshalJSON on a nil *AuthEntity", ErrInvalidEnvelope)
	}
	var deleted bool
	if err := decodeObject(data, ErrInvalidEnvelope, field{name: "isDeleted", dst: &deleted, optional: true}); err != nil {
		return err
	}
	if deleted {
		return fmt.Errorf("%w: a deleted entry (isDeleted) holds no token: decode diff entries as keys.AuthEntry", ErrInvalidEnvelope)
	}
	return decodeInto(e, data, ErrInvalidEnvelope, authEntityFields, nil)
}

func authEntityFields(e *AuthEntity) []field {
	return []field{{name: "encryptedData", dst: &e.EncryptedData}, {name: "header", dst: &e.Header}}
}

// AuthEntry is one entry of Ente Auth's entity diff (GET
// /authenticator/entity/diff), as museum writes it. A live entry holds its
// token in Entity; a deleted one (IsDeleted) comes with encryptedData and
// header null, and Entity nil. Times are microseconds since the Unix epoch.
type AuthEntry struct {
	ID        string // a UUID
	UserID    int64
	Entity    *AuthEntity
	IsDeleted bool
	CreatedAt int64
	UpdatedAt int64
}

// UnmarshalJSON decodes an entry strictly; a live entry needs its
// encryptedData and header. Errors wrap ErrInvalidEnvelope and name the
// field.
func (a *AuthEntry) UnmarshalJSON(data []byte) error {
	if a == nil {
		return fmt.Errorf("%w: UnmarshalJSON on a nil *AuthEntry", ErrInvalidEnvelope)
	}
	var v AuthEntry
	var probe struct{ EncryptedData json.RawMessage }
	if err := decodeObject(data, ErrInvalidEnvelope,
		field{name: "id", dst: &v.ID},
		field{name: "userID", dst: &v.UserID, optional: true},
		field{name: "encryptedData", dst: &probe.EncryptedData, optional: true},
		field{name: "isDeleted", dst: &v.IsDeleted, optional: true},
		field{name: "createdAt", dst: &v.CreatedAt, optional: true},
		field{name: "updatedAt", dst: &v.UpdatedAt, optional: true},
	); err != nil {
		return err
	}
	// A deleted entry's data is null; should one come with data, it is
	// kept (and checked) so that it encodes back as it came.
	if !v.IsDeleted || probe.EncryptedData != nil {
		v.Entity = new(AuthEntity)
		if err := decodeInto(v.Entity, data, ErrInvalidEnvelope, authEntityFields, nil); err != nil {
			return err
		}
	}
	*a = v
	return nil
}

// MarshalJSON writes the entry as museum does, with encryptedData and
// header null when there is no Entity.
func (a AuthEntry) MarshalJSON() ([]byte, error) {
	v := struct {
		ID            string         `json:"id"`
		UserID        int64          `json:"userID"`
		EncryptedData *Ciphertext    `json:"encryptedData"`
		Header        *stream.Header `json:"header"`
		IsDeleted     bool           `json:"isDeleted"`
		CreatedAt     int64          `json:"createdAt"`
		UpdatedAt     int64          `json:"updatedAt"`
	}{ID: a.ID, UserID: a.UserID, IsDeleted: a.IsDeleted, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
	if a.Entity != nil {
		v.EncryptedData, v.Header = &a.Entity.EncryptedData, &a.Entity.Header
	}
	return json.Marshal(v)
}

// SealAuthEntity encrypts an otpauth URI as an Ente Auth entity: the URI
// as a JSON string, encoded byte for byte as JavaScript's JSON.stringify
// does, in one secretstream message tagged FINAL.
func SealAuthEntity(uri string, authKey *secret.Key) (*AuthEntity, error) {
	if err := checkURI(uri); err != nil {
		return nil, err
	}
	msg := marshalLikeJS(uri)
	defer clear(msg)
	ct, h, err := stream.EncryptBlob(msg, authKey)
	if err != nil {
		return nil, fmt.Errorf("keys: auth entity: %w", err)
	}
	return &AuthEntity{EncryptedData: ct, Header: h}, nil
}

// OpenAuthEntity decrypts an Ente Auth entity to its otpauth URI. The one
// message may be tagged FINAL or, as Ente Auth wrote before November 2025,
// MESSAGE. The plaintext is a JSON string, or the legacy object
// {"rawData": "<URI>", "display": …} that Ente Auth's mobile app also
// reads, whose rawData is returned (display is not read). A message that
// does not authenticate wraps stream.ErrOpen, one over 1 MiB
// stream.ErrTooLarge, and a plaintext of any other shape (including an
// object naming a member twice) ErrInvalidEnvelope.
func OpenAuthEntity(e *AuthEntity, authKey *secret.Key) (string, error) {
	if e == nil {
		return "", fmt.Errorf("%w: nil auth entity", ErrInvalidEnvelope)
	}
	msg, err := stream.DecryptBlobLegacy(e.EncryptedData, e.Header, authKey, stream.WithMaxSize(maxEntitySize))
	if err != nil {
		return "", fmt.Errorf("keys: auth entity: %w", err)
	}
	defer clear(msg)
	return decodeURI(msg)
}

// maxEntitySize caps one token's plaintext: otpauth URIs are a few hundred
// bytes, and Auth's metadata a few kilobytes.
const maxEntitySize = 1 << 20

// decodeURI reads an entity's plaintext: a JSON string, or the legacy
// object whose rawData holds the URI (Ente Auth mobile falls back to that
// shape when the plaintext is not a string; its display member, the
// code's presentation, has no place in a URI and is ignored).
func decodeURI(msg []byte) (string, error) {
	if err := jsonstrict.Check(msg); err != nil {
		return "", fmt.Errorf("%w: auth entity plaintext: %w", ErrInvalidEnvelope, err)
	}
	var v any
	if json.Unmarshal(msg, &v) != nil { // a number out of float64's range; its text would quote the plaintext
		return "", fmt.Errorf("%w: auth entity plaintext: a number out of range", ErrInvalidEnvelope)
	}
	switch v := v.(type) {
	case string:
		return v, nil
	case map[string]any:
		if uri, ok := v["rawData"].(string); ok && uri != "" {
			return uri, nil
		}
		return "", fmt.Errorf("%w: auth entity plaintext: rawData is not a non-empty string", ErrInvalidEnvelope)
	}
	return "", fmt.Errorf("%w: auth entity plaintext is neither a JSON string nor {\"rawData\": …}", ErrInvalidEnvelope)
}

// checkURI refuses what would not survive an export (one URI per line).
func checkURI(uri string) error {
	switch {
	case uri == "":
		return fmt.Errorf("%w: empty", ErrInvalidURI)
	case strings.ContainsAny(uri, "\r\n"):
		return fmt.Errorf("%w: contains a line break", ErrInvalidURI)
	case !utf8.ValidString(uri):
		return fmt.Errorf("%w: not UTF-8", ErrInvalidURI)
	}
	return nil
}

// VaultToken is one token of the published design's vault: the token is
// encrypted under its own random tokenKey (a secretstream blob tagged
// FINAL), and the tokenKey is wrapped by the authKey (a secretbox), so that
// a token can be re-shared or re-keyed without touching the others.
//
// Field names follow Ente's file records: encryptedKey and
// keyDecryptionNonce for the wrapped key, encryptedData and
// decryptionHeader for the data. The plaintext is a JSON object
// {"uri": "otpauth://…", "metadata": …}, metadata being any JSON value the
// app keeps with the token (or absent).
type VaultToken struct {
	EncryptedKey       Ciphertext      `json:"encryptedKey"`
	KeyDecryptionNonce secretbox.Nonce `json:"keyDecryptionNonce"`
	EncryptedData      Ciphertext      `json:"encryptedData"`
	DecryptionHeader   stream.Header   `json:"decryptionHeader"`
}

// UnmarshalJSON decodes every field strictly; errors wrap
// ErrInvalidEnvelope and name the field.
func (t *VaultToken) UnmarshalJSON(data []byte) error {
	return decodeInto(t, data, ErrInvalidEnvelope, func(v *VaultToken) []field {
		return []field{
			{name: "encryptedKey", dst: &v.EncryptedKey},
			{name: "keyDecryptionNonce", dst: &v.KeyDecryptionNonce},
			{name: "encryptedData", dst: &v.EncryptedData},
			{name: "decryptionHeader", dst: &v.DecryptionHeader},
		}
	}, nil)
}

// SealVaultToken encrypts an otpauth URI and its metadata (a JSON value
// with no object naming a member twice, or nil) under a fresh tokenKey,
// and wraps the tokenKey under authKey.
func SealVaultToken(uri string, metadata json.RawMessage, authKey *secret.Key) (*VaultToken, error) {
	if authKey == nil {
		return nil, fmt.Errorf("%w: no authKey to seal the vault token with", ErrNilKey)
	}
	if err := checkURI(uri); err != nil {
		return nil, err
	}
	// OpenVaultToken refuses what is not strict JSON; so must sealing.
	if metadata != nil {
		if err := jsonstrict.Check(metadata); err != nil {
			return nil, fmt.Errorf("%w: metadata: %w", ErrInvalidEnvelope, err)
		}
	}
	msg, err := vaultPlaintextJSON(uri, metadata)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidEnvelope, err)
	}
	defer clear(msg)
	tokenKey := secret.GenerateKey()
	defer tokenKey.Destroy()
	ct, h, err := stream.EncryptBlob(msg, tokenKey)
	if err != nil {
		return nil, fmt.Errorf("keys: vault token: %w", err)
	}
	t := &VaultToken{EncryptedData: ct, DecryptionHeader: h}
	t.EncryptedKey, t.KeyDecryptionNonce = wrapKey(tokenKey, authKey)
	return t, nil
}

// OpenVaultToken opens the tokenKey with authKey and decrypts the token to
// its URI and metadata (nil if none). The blob must be tagged FINAL, and
// the plaintext strict JSON (no member name twice, at any depth). A
// tokenKey that does not open wraps secretbox.ErrOpen, data that does not
// authenticate stream.ErrOpen, anything malformed ErrInvalidEnvelope.
func OpenVaultToken(t *VaultToken, authKey *secret.Key) (uri string, metadata json.RawMessage, err error) {
	if t == nil {
		return "", nil, fmt.Errorf("%w: nil vault token", ErrInvalidEnvelope)
	}
	tokenKey, err := unwrapKey(t.EncryptedKey, &t.KeyDecryptionNonce, authKey, "vault tokenKey", ErrInvalidEnvelope, nil)
	if err != nil {
		return "", nil, err
	}
	defer tokenKey.Destroy()
	msg, err := stream.DecryptBlob(t.EncryptedData, t.DecryptionHeader, tokenKey, stream.WithMaxSize(maxEntitySize))
	if err != nil {
		return "", nil, fmt.Errorf("keys: vault token: %w", err)
	}
	defer clear(msg)
	// Exact names, as for every wire object: encoding/json would let
	// "URI" override "uri".
	m, err := strictObject(msg)
	if err != nil || json.Unmarshal(m["uri"], &uri) != nil || uri == "" {
		return "", nil, fmt.Errorf("%w: vault token plaintext is not {\"uri\": …}", ErrInvalidEnvelope)
	}
	return uri, m["metadata"], nil // nil if absent
}

// marshalLikeJS encodes s as JavaScript's JSON.stringify does, so that an
// Auth entity's plaintext is byte for byte what Ente's web client writes:
// '"' and '\\' backslash-escaped, \b \f \n \r \t by name, every other
// code point below U+0020 as \u00xx in lowercase hex, and everything else
// as it is. Go's encoding/json differs in writing U+2028 and U+2029 as
// escapes (and <, > and & too, unless told not to). s must be UTF-8:
// JSON.stringify also escapes lone surrogates, which UTF-8 cannot hold.
func marshalLikeJS(s string) []byte {
	const hex = "0123456789abcdef"
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	// Byte by byte: every byte of a multi-byte UTF-8 sequence is >= 0x80,
	// so it can only be copied.
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			if c < 0x20 {
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			} else {
				b = append(b, c)
			}
		}
	}
	return append(b, '"')
}

// vaultPlaintextJSON encodes a vault token's plaintext, the URI as
// JSON.stringify would and the metadata compacted, as it was given.
func vaultPlaintextJSON(uri string, metadata json.RawMessage) ([]byte, error) {
	b := append([]byte(`{"uri":`), marshalLikeJS(uri)...)
	if metadata != nil {
		var buf bytes.Buffer
		if err := json.Compact(&buf, metadata); err != nil {
			return nil, err
		}
		b = append(append(b, `,"metadata":`...), buf.Bytes()...)
		clear(buf.Bytes())
	}
	return append(b, '}'), nil
}
