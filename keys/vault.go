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

// NewAuthKey draws a vault's authKey and wraps it under the master key.
func NewAuthKey(mk *MasterKey) (*secret.Key, *AuthKeyEnvelope) {
	k := secret.GenerateKey()
	e := new(AuthKeyEnvelope)
	e.EncryptedKey, e.Header = wrapKey(k, &mk.k)
	return k, e
}

// OpenAuthKey opens a vault's authKey with the master key. A box that does
// not open wraps secretbox.ErrOpen; a wrong length, ErrInvalidEnvelope.
func OpenAuthKey(e *AuthKeyEnvelope, mk *MasterKey) (*secret.Key, error) {
	return unwrapKey(e.EncryptedKey, &e.Header, &mk.k, "authKey", ErrInvalidEnvelope, nil)
}

// AuthEntity is one token of Ente Auth as shipped: a secretstream blob
// under the authKey, "header" being the secretstream header. Its plaintext
// is a JSON string holding an otpauth:// URI.
type AuthEntity struct {
	EncryptedData Ciphertext    `json:"encryptedData"`
	Header        stream.Header `json:"header"`
}

// UnmarshalJSON decodes both fields strictly, ignoring the others the
// server sends (id, isDeleted, timestamps); errors wrap ErrInvalidEnvelope
// and name the field.
func (e *AuthEntity) UnmarshalJSON(data []byte) error {
	return decodeInto(e, data, ErrInvalidEnvelope, func(v *AuthEntity) []field {
		return []field{{name: "encryptedData", dst: &v.EncryptedData}, {name: "header", dst: &v.Header}}
	}, nil)
}

// SealAuthEntity encrypts an otpauth URI as an Ente Auth entity: the URI
// as a JSON string, one secretstream message tagged FINAL.
func SealAuthEntity(uri string, authKey *secret.Key) (*AuthEntity, error) {
	if err := checkURI(uri); err != nil {
		return nil, err
	}
	msg, err := marshalLikeJS(uri)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidURI, err)
	}
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
	var uri string
	if err := jsonstrict.Check(msg); err != nil {
		return "", fmt.Errorf("%w: auth entity plaintext: %w", ErrInvalidEnvelope, err)
	}
	if json.Unmarshal(msg, &uri) == nil {
		return uri, nil
	}
	m, err := strictObject(msg)
	if err != nil {
		return "", fmt.Errorf("%w: auth entity plaintext is neither a JSON string nor {\"rawData\": …}", ErrInvalidEnvelope)
	}
	if json.Unmarshal(m["rawData"], &uri) != nil || uri == "" {
		return "", fmt.Errorf("%w: auth entity plaintext: rawData is not a non-empty string", ErrInvalidEnvelope)
	}
	return uri, nil
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

// vaultPlaintext is what a VaultToken encrypts.
type vaultPlaintext struct {
	URI      string          `json:"uri"`
	Metadata json.RawMessage `json:"metadata,omitempty"`
}

// SealVaultToken encrypts an otpauth URI and its metadata (a JSON value
// with no object naming a member twice, or nil) under a fresh tokenKey, and wraps the tokenKey under authKey.
func SealVaultToken(uri string, metadata json.RawMessage, authKey *secret.Key) (*VaultToken, error) {
	if err := checkURI(uri); err != nil {
		return nil, err
	}
	// OpenVaultToken refuses what is not strict JSON; so must sealing.
	if metadata != nil {
		if err := jsonstrict.Check(metadata); err != nil {
			return nil, fmt.Errorf("%w: metadata: %w", ErrInvalidEnvelope, err)
		}
	}
	msg, err := marshalLikeJS(vaultPlaintext{URI: uri, Metadata: metadata})
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
	if md, ok := m["metadata"]; ok {
		metadata = bytes.Clone(md)
	}
	return uri, metadata, nil
}

// marshalLikeJS encodes v as JavaScript's JSON.stringify and Dart's
// jsonEncode do: without Go's HTML escaping of <, > and &, so that an
// otpauth URI with query parameters encrypts to the same plaintext bytes
// Ente's clients write.
func marshalLikeJS(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
