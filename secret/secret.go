// Package secret holds the opaque 32-byte symmetric Key that every package
// of this SDK shares: the masterKey, the key-encryption key, the recovery
// key, collection and file keys, the authKey and tokenKeys are all of this
// shape on the wire.
//
// # Security
//
// A Key never prints: every fmt verb, slog and the %+v of a struct holding
// one show only "secret.Key(REDACTED)", and JSON, text and binary
// marshalling (so also encoding/gob) refuse with ErrNotMarshalable. The
// bytes live behind a pointer, so even a Key held by value in an unexported
// struct field, where fmt cannot call its methods, prints as an address and
// not as bytes. Equal is constant time. Bytes returns a copy; Destroy
// overwrites the key in place, which is best effort in Go: the runtime may
// have copied it before, and Bytes copies are the caller's to clear.
package secret

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"unsafe"

	"github.com/e2eekit/e2ee/internal/keymat"
	"github.com/e2eekit/e2ee/internal/sodium"
)

// KeySize is the length of a Key in bytes.
const KeySize = 32

const redacted = "secret.Key(REDACTED)"

var (
	// ErrKeySize is returned by NewKey for input that is not KeySize bytes.
	ErrKeySize = errors.New("secret: key must be 32 bytes")
	// ErrNotMarshalable is returned by every marshalling method of a
	// secret-bearing type in this SDK.
	ErrNotMarshalable = errors.New("secret: refusing to marshal secret material")
)

// Key is a 32-byte secret key. Use it through a pointer. The zero Key is
// all zeros; this package never produces one. Copies of a Key value share
// its bytes, so Destroy on one clears them all.
//
//e2ee:secret
type Key struct {
	// p points to the [KeySize]byte array. Where fmt cannot call a Key's
	// methods (a Key held by value in an unexported field) it prints the
	// fields by reflection, and it spells out a *[32]byte it reaches that
	// way (as "&[…]" under %s or %q); an unsafe.Pointer it prints only as
	// an address.
	p unsafe.Pointer
}

// b returns the key bytes, or nil for a nil or zero Key.
func (k *Key) b() *[KeySize]byte {
	if k == nil {
		return nil
	}
	return (*[KeySize]byte)(k.p)
}

func init() {
	keymat.Array = func(k any) *[32]byte { return k.(*Key).array() }
}

// array returns the key bytes, allocating them for the zero Key so that SDK
// packages can fill a new(Key) in place.
func (k *Key) array() *[KeySize]byte {
	if k.p == nil {
		k.p = unsafe.Pointer(new([KeySize]byte))
	}
	return k.b()
}

// GenerateKey returns a new uniformly random key, read from crypto/rand
// (crypto_secretbox_keygen semantics).
func GenerateKey() *Key {
	k := new(Key)
	rand.Read(k.array()[:]) // never returns an error since Go 1.24; it crashes instead
	return k
}

// NewKey returns a Key holding a copy of b, which must be KeySize bytes.
func NewKey(b []byte) (*Key, error) {
	if len(b) != KeySize {
		return nil, fmt.Errorf("%w, got %d", ErrKeySize, len(b))
	}
	k := new(Key)
	copy(k.array()[:], b)
	return k, nil
}

// Bytes returns a copy of the key. The caller should clear it when done.
// A nil or zero Key gives KeySize zero bytes.
func (k *Key) Bytes() []byte {
	out := make([]byte, KeySize)
	if b := k.b(); b != nil {
		copy(out, b[:])
	}
	return out
}

// Equal reports whether k and o hold the same bytes, in time that does not
// depend on the bytes. Two nil keys are equal; a nil key equals no other.
func (k *Key) Equal(o *Key) bool {
	if k == nil || o == nil {
		return k == o
	}
	var zero [KeySize]byte
	a, b := k.b(), o.b()
	if a == nil {
		a = &zero
	}
	if b == nil {
		b = &zero
	}
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// Destroy overwrites the key with zeros. It is best effort: copies made by
// Bytes, or by the runtime before Destroy, are not reached.
func (k *Key) Destroy() {
	if k != nil && k.p != nil {
		sodium.Memzero(k.b()[:])
	}
}

// String returns a redacted placeholder.
func (Key) String() string { return redacted }

// GoString returns a redacted placeholder for %#v.
func (Key) GoString() string { return redacted }

// Format prints a redacted placeholder under every verb and flag.
func (Key) Format(f fmt.State, _ rune) { fmt.Fprint(f, redacted) }

// LogValue keeps the key out of slog output.
func (Key) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON refuses: keys must be wrapped, never serialised in the clear.
func (Key) MarshalJSON() ([]byte, error) { return nil, ErrNotMarshalable }

// MarshalText refuses: keys must be wrapped, never serialised in the clear.
func (Key) MarshalText() ([]byte, error) { return nil, ErrNotMarshalable }

// MarshalBinary refuses, so that encoding/gob cannot serialise a key.
func (Key) MarshalBinary() ([]byte, error) { return nil, ErrNotMarshalable }
