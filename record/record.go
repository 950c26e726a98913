package record

import (
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/internal/jsonstrict"
	"github.com/e2eekit/e2ee/secretbox"
)

// ErrInvalid means a record is malformed: not strict JSON, a required
// field missing, bad base64 or a wrong length. The error names the field.
var ErrInvalid = errors.New("record: invalid record")

// Ciphertext is an encrypted byte string. In JSON it is strict padded
// standard base64, as Ente's clients write it; anything else is rejected.
type Ciphertext []byte

// MarshalText encodes c as padded standard base64.
func (c Ciphertext) MarshalText() ([]byte, error) { return []byte(b64.Encode(c)), nil }

// UnmarshalText decodes strict padded standard base64.
func (c *Ciphertext) UnmarshalText(text []byte) error {
	if c == nil {
		return fmt.Errorf("%w: UnmarshalText on a nil *Ciphertext", ErrInvalid)
	}
	b, err := b64.Decode(string(text))
	if err != nil {
		return err
	}
	*c = b
	return nil
}

// WrappedKey is a 32-byte key in a secretbox under another key, with the
// field names Ente uses for a file's key under its collection key and for
// a collection's key under its owner's master key. keys.OpenFileKey and
// keys.OpenCollectionKey open it.
type WrappedKey struct {
	EncryptedKey       Ciphertext      `json:"encryptedKey"`
	KeyDecryptionNonce secretbox.Nonce `json:"keyDecryptionNonce"`
}

// NewWrappedKey decodes a wrapped key from its two base64 strings, as they
// come in a JSON object the caller has already read. Errors wrap
// ErrInvalid and name the field.
func NewWrappedKey(encryptedKey, keyDecryptionNonce string) (*WrappedKey, error) {
	d := decoder{what: "wrapped key"}
	w := new(WrappedKey)
	d.text("encryptedKey", encryptedKey, &w.EncryptedKey, false)
	d.text("keyDecryptionNonce", keyDecryptionNonce, &w.KeyDecryptionNonce, false)
	if d.err != nil {
		return nil, d.err
	}
	return w, nil
}

// UnmarshalJSON decodes both fields strictly; errors wrap ErrInvalid and
// name the field.
func (w *WrappedKey) UnmarshalJSON(data []byte) error {
	if w == nil {
		return fmt.Errorf("%w: UnmarshalJSON on a nil *WrappedKey", ErrInvalid)
	}
	var v struct {
		EncryptedKey       string `json:"encryptedKey"`
		KeyDecryptionNonce string `json:"keyDecryptionNonce"`
	}
	if err := unmarshal(data, "wrapped key", &v); err != nil {
		return err
	}
	got, err := NewWrappedKey(v.EncryptedKey, v.KeyDecryptionNonce)
	if err != nil {
		return err
	}
	*w = *got
	return nil
}

// unmarshal reads strict JSON into the wire shape v, with Ente's exact
// member names.
func unmarshal(data []byte, what string, v any) error {
	if err := jsonstrict.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: %s: %s", ErrInvalid, what, describe(err))
	}
	return exactNames(data, reflect.TypeOf(v), what)
}

// describe says what is wrong without repeating a value.
func describe(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s: a JSON %s cannot be a %s", te.Field, te.Value, te.Type)
	}
	return err.Error()
}

// decoder turns a record's base64 strings into typed values, keeping the
// first error, which names the field.
type decoder struct {
	what string // the record and path, such as "file.metadata"
	err  error
}

// text decodes s into dst. An empty s is missing: an error unless
// optional, when dst is left as it is.
func (d *decoder) text(name, s string, dst encoding.TextUnmarshaler, optional bool) {
	if d.err != nil {
		return
	}
	switch {
	case s == "" && optional:
	case s == "":
		d.err = fmt.Errorf("%w: %s.%s: missing", ErrInvalid, d.what, name)
	default:
		if err := dst.UnmarshalText([]byte(s)); err != nil {
			d.err = fmt.Errorf("%w: %s.%s: %w", ErrInvalid, d.what, name, err)
		}
	}
}

// fail records err from a nested decoder.
func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

// encode returns the base64 text of v, or "" when empty says so (a
// deleted entry's zero key or header, an absent nonce).
func encode(v encoding.TextMarshaler, empty bool) string {
	if empty {
		return ""
	}
	b, _ := v.MarshalText() // base64 of a byte array or slice cannot fail
	return string(b)
}
