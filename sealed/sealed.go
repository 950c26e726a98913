// Package sealed implements libsodium's crypto_box_seal: anonymous
// public-key encryption to an X25519 public key.
//
// # Layout
//
//	sealed = ephemeral public key (32) ‖ crypto_box_easy(msg) (16-byte MAC ‖ ciphertext)
//	nonce  = BLAKE2b-192(ephemeral public key ‖ recipient public key)
//
// Overhead is 48 bytes: Ente's 32-byte auth token and shared collection keys
// arrive as 80-byte sealed boxes.
//
// # Security
//
// The sender is anonymous: a sealed box proves nothing about who made it.
// The ephemeral secret key and the recipient's secret key are drawn from
// Go's crypto/rand and the ephemeral key is cleared after use. A box that
// does not open yields ErrOpen and no plaintext.
//
// # Compatibility
//
// Byte-compatible with crypto_box_seal/crypto_box_seal_open in libsodium and
// libsodium.js and with golang.org/x/crypto/nacl/box SealAnonymous and
// OpenAnonymous. Public keys marshal as strict padded standard base64.
package sealed

import (
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"

	"github.com/e2eekit/e2ee/internal/appendbuf"
	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/internal/keymat"
	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/e2eekit/e2ee/secret"
)

// Sizes in bytes (crypto_box_PUBLICKEYBYTES, _SECRETKEYBYTES, _SEALBYTES;
// a test checks them against libsodium's run-time values).
const (
	PublicKeySize  = 32
	PrivateKeySize = 32
	Overhead       = 48 // the ephemeral public key and a 16-byte MAC
)

var (
	// ErrOpen is returned when a sealed box does not open: wrong key pair,
	// tampering, or a box shorter than Overhead.
	ErrOpen = errors.New("sealed: message authentication failed")
	// ErrKeySize is returned by NewPrivateKey for input of the wrong length.
	ErrKeySize = errors.New("sealed: private key must be 32 bytes")
	// ErrInvalidPublicKey is returned by Seal for a public key of small order,
	// for which no shared secret exists.
	ErrInvalidPublicKey = errors.New("sealed: invalid public key")
)

// PublicKey is an X25519 public key.
type PublicKey [PublicKeySize]byte

// MarshalText encodes the key as padded standard base64.
func (p PublicKey) MarshalText() ([]byte, error) { return []byte(b64.Encode(p[:])), nil }

// UnmarshalText decodes strict padded standard base64 of exactly 32 bytes.
func (p *PublicKey) UnmarshalText(text []byte) error {
	if p == nil {
		return fmt.Errorf("%w: UnmarshalText on a nil *PublicKey", ErrInvalidPublicKey)
	}
	if err := b64.DecodeFixed(p[:], string(text)); err != nil {
		return fmt.Errorf("sealed: public key: %w", err)
	}
	return nil
}

// PrivateKey is an X25519 key pair's secret half, with its public key. It
// never prints or marshals its secret. The zero PrivateKey is not a valid
// key: use GenerateKey or NewPrivateKey.
type PrivateKey struct {
	// sk is a secret.Key for its storage: even reflection-based printing
	// of a PrivateKey held in an unexported field shows no secret byte.
	sk  secret.Key
	pub PublicKey
}

const redacted = "sealed.PrivateKey(REDACTED)"

// GenerateKey returns a new key pair with crypto_box_keypair semantics: 32
// random bytes from crypto/rand, public key = X25519(sk, base point).
func GenerateKey() *PrivateKey {
	var b [PrivateKeySize]byte
	rand.Read(b[:])
	k, err := NewPrivateKey(b[:])
	clear(b[:])
	if err != nil {
		panic(err) // unreachable: the length is right
	}
	return k
}

// NewPrivateKey returns the key pair for a 32-byte secret key (as stored
// by Ente in encryptedSecretKey). b is copied.
func NewPrivateKey(b []byte) (*PrivateKey, error) {
	if len(b) != PrivateKeySize {
		return nil, ErrKeySize
	}
	k := new(PrivateKey)
	sk := keymat.Array(&k.sk)
	copy(sk[:], b)
	if err := sodium.ScalarMultBase((*[32]byte)(&k.pub), sk); err != nil {
		return nil, ErrKeySize
	}
	return k, nil
}

// PublicKey returns the public half; nil for a nil key (and the all-zero
// public key, which Seal rejects, for the zero PrivateKey).
func (k *PrivateKey) PublicKey() *PublicKey {
	if k == nil {
		return nil
	}
	p := k.pub
	return &p
}

// Bytes returns a copy of the 32-byte secret key, for wrapping it under a
// master key. The caller should clear it when done. It is nil for a nil
// key, and zeros for the zero PrivateKey.
func (k *PrivateKey) Bytes() []byte {
	if k == nil {
		return nil
	}
	return k.sk.Bytes()
}

// Destroy overwrites the secret key (best effort; see package secret).
func (k *PrivateKey) Destroy() {
	if k != nil {
		k.sk.Destroy()
	}
}

// String returns a redacted placeholder.
func (PrivateKey) String() string { return redacted }

// GoString returns a redacted placeholder.
func (PrivateKey) GoString() string { return redacted }

// Format prints a redacted placeholder under every verb.
func (PrivateKey) Format(f fmt.State, _ rune) { fmt.Fprint(f, redacted) }

// LogValue keeps the key out of slog output.
func (PrivateKey) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON refuses.
func (PrivateKey) MarshalJSON() ([]byte, error) { return nil, secret.ErrNotMarshalable }

// MarshalText refuses.
func (PrivateKey) MarshalText() ([]byte, error) { return nil, secret.ErrNotMarshalable }

// MarshalBinary refuses.
func (PrivateKey) MarshalBinary() ([]byte, error) { return nil, secret.ErrNotMarshalable }

// Seal appends a sealed box of msg to recipient to dst. dst and msg may not
// overlap, except that msg may be dst[len(dst):len(dst)+len(msg)] exactly
// (in-place sealing). It fails only for a nil public key or one of small
// order, for which there is no shared secret (ErrInvalidPublicKey).
func Seal(dst, msg []byte, recipient *PublicKey) ([]byte, error) {
	if recipient == nil {
		return nil, fmt.Errorf("%w: nil", ErrInvalidPublicKey)
	}
	var esk [PrivateKeySize]byte
	rand.Read(esk[:])
	defer sodium.Memzero(esk[:])
	ret, out := appendbuf.Grow(dst, len(msg)+Overhead)
	if err := sodium.BoxSeal(out, msg, (*[32]byte)(recipient), &esk); err != nil {
		return nil, ErrInvalidPublicKey
	}
	return ret, nil
}

// Open opens a sealed box with k and appends the plaintext to dst, which
// may be box[:0] to open in place. On failure it returns an error wrapping
// ErrOpen, and no plaintext is released.
func Open(dst, box []byte, k *PrivateKey) ([]byte, error) {
	if k == nil {
		return nil, fmt.Errorf("%w: nil private key", ErrOpen)
	}
	if len(box) < Overhead {
		return nil, fmt.Errorf("%w: box of %d bytes is shorter than the %d-byte overhead", ErrOpen, len(box), Overhead)
	}
	ret, out := appendbuf.Grow(dst, len(box)-Overhead)
	if err := sodium.BoxSealOpen(out, box, (*[32]byte)(&k.pub), keymat.Array(&k.sk)); err != nil {
		return nil, ErrOpen
	}
	return ret, nil
}
