package keys

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/e2eekit/e2ee/internal/jsonstrict"
	"github.com/e2eekit/e2ee/internal/keymat"
	"github.com/e2eekit/e2ee/record"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
)

// WrappedKeySize is the length of a 32-byte key sealed in a secretbox:
// every encryptedKey-like field of the account and of files.
const WrappedKeySize = 48 // a 32-byte key and secretbox's 16-byte MAC

// Ciphertext is an encrypted byte string, strict padded standard base64 in
// JSON. It is package record's, so that keys and record's server objects
// hold the same type.
type Ciphertext = record.Ciphertext

// field is one member of a wire object: its exact JSON name, where it
// decodes to, and whether it may be absent.
type field struct {
	name     string
	dst      any
	optional bool
}

// decodeObject decodes the JSON object data into fields, matching names
// exactly (encoding/json would also take "KEKSALT" for "kekSalt") and
// ignoring unknown names. Data must be strict JSON (see package
// jsonstrict): an object with a member name twice, at any depth, is
// refused rather than read last-name-wins, and so is a byte-order mark or
// anything else encoding/json would refuse. A required field that is
// absent, null or "" (Ente's server writes "" for unset strings) is
// missing; an optional one is left untouched. Every error wraps kind and names the field; none
// quotes a value.
func decodeObject(data []byte, kind error, fields ...field) error {
	return decodeIn(data, kind, "", fields)
}

// decodeInto decodes data into a fresh T through the fields that fields
// lists for it, then runs check (if not nil), and stores the result in dst
// only when all went well.
func decodeInto[T any](dst *T, data []byte, kind error, fields func(*T) []field, check func(*T) error) error {
	if dst == nil {
		return fmt.Errorf("%w: UnmarshalJSON on a nil pointer", kind)
	}
	var v T
	if err := decodeIn(data, kind, "", fields(&v)); err != nil {
		return err
	}
	if check != nil {
		if err := check(&v); err != nil {
			return err
		}
	}
	*dst = v
	return nil
}

// decodeIn is decodeObject for the object at path inside a larger one.
func decodeIn(data []byte, kind error, path string, fields []field) error {
	m, err := strictObject(data)
	if err != nil {
		if path != "" {
			return fmt.Errorf("%w: %s: %w", kind, path, err)
		}
		return fmt.Errorf("%w: %w", kind, err)
	}
	for _, f := range fields {
		name := f.name
		if path != "" {
			name = path + "." + f.name
		}
		raw, ok := m[f.name]
		if !ok || string(raw) == "null" || string(raw) == `""` {
			if f.optional {
				continue
			}
			return fmt.Errorf("%w: %s: missing", kind, name)
		}
		if err := json.Unmarshal(raw, f.dst); err != nil {
			return fmt.Errorf("%w: %s: %s", kind, name, describe(err))
		}
	}
	return nil
}

// strictObject reads a JSON object's members, refusing what is not strict
// JSON or not an object.
func strictObject(data []byte) (map[string]json.RawMessage, error) {
	if err := jsonstrict.Check(data); err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil || m == nil {
		return nil, errors.New("not a JSON object")
	}
	return m, nil
}

// describe says what is wrong with a field's value without repeating it.
func describe(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("a JSON %s cannot be a %s", te.Value, te.Type)
	}
	return err.Error()
}

// wrapKey seals the 32-byte key k in a secretbox under a fresh random nonce.
func wrapKey(k, under *secret.Key) (Ciphertext, secretbox.Nonce) {
	nonce := secretbox.RandomNonce()
	return secretbox.Seal(nil, keymat.Array(k)[:], nonce, under), *nonce
}

// unwrapKey opens a wrapped 32-byte key called what. A box of the wrong
// length wraps malformed; one that does not open wraps secretbox.ErrOpen,
// and wrong when it is not nil.
func unwrapKey(box Ciphertext, nonce *secretbox.Nonce, under *secret.Key, what string, malformed, wrong error) (*secret.Key, error) {
	if under == nil {
		return nil, fmt.Errorf("%w: no key to open the %s with", ErrNilKey, what)
	}
	if len(box) != WrappedKeySize {
		return nil, fmt.Errorf("%w: %s is %d bytes, want %d", malformed, what, len(box), WrappedKeySize)
	}
	k := new(secret.Key)
	if _, err := secretbox.Open(keymat.Array(k)[:0], box, nonce, under); err != nil {
		if wrong != nil {
			return nil, fmt.Errorf("%w: %s: %w", wrong, what, err)
		}
		return nil, fmt.Errorf("keys: %s: %w", what, err)
	}
	return k, nil
}
