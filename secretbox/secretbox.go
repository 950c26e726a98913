// Package secretbox implements libsodium's crypto_secretbox_easy:
// XSalsa20-Poly1305 authenticated encryption under a 32-byte secret.Key and
// a 24-byte nonce.
//
// # Layout
//
//	box = MAC (16 bytes) ‖ ciphertext (len(msg) bytes)
//
// This is the "easy" layout of libsodium, libsodium.js and
// golang.org/x/crypto/nacl/secretbox, and the one Ente stores for every
// wrapped key (a 32-byte key becomes a 48-byte box) and collection name.
//
// # Security
//
// A nonce must never repeat under one key: use RandomNonce. Open verifies
// the MAC in constant time (inside libsodium) before releasing anything;
// a forged, truncated or mis-keyed box yields ErrOpen and no plaintext.
//
// # Compatibility
//
// Nonces marshal as strict padded standard base64 (libsodium's ORIGINAL
// variant), which is how Ente's JSON carries them; anything else is rejected.
package secretbox

import (
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/e2eekit/e2ee/internal/appendbuf"
	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/internal/keymat"
	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/e2eekit/e2ee/secret"
)

// Sizes in bytes (crypto_secretbox_KEYBYTES, _NONCEBYTES, _MACBYTES; a
// test checks them against libsodium's run-time values).
const (
	KeySize   = 32
	NonceSize = 24
	Overhead  = 16 // the MAC, before the ciphertext
)

// ErrOpen is returned when a box does not authenticate: wrong key, wrong
// nonce, tampering, or a box shorter than Overhead.
var ErrOpen = errors.New("secretbox: message authentication failed")

// Nonce is a 24-byte secretbox nonce.
type Nonce [NonceSize]byte

// RandomNonce returns a nonce drawn from crypto/rand.
func RandomNonce() *Nonce {
	n := new(Nonce)
	rand.Read(n[:])
	return n
}

// MarshalText encodes the nonce as padded standard base64.
func (n Nonce) MarshalText() ([]byte, error) { return []byte(b64.Encode(n[:])), nil }

// UnmarshalText decodes strict padded standard base64 of exactly 24 bytes.
func (n *Nonce) UnmarshalText(text []byte) error {
	if n == nil {
		return errors.New("secretbox: nonce: UnmarshalText on a nil *Nonce")
	}
	if err := b64.DecodeFixed(n[:], string(text)); err != nil {
		return fmt.Errorf("secretbox: nonce: %w", err)
	}
	return nil
}

// Seal appends the box of msg under key and nonce to dst and returns the
// extended slice; it allocates only when dst lacks the capacity. dst and
// msg may not overlap, except that msg may be dst[len(dst):len(dst)+len(msg)]
// exactly (in-place sealing). With a nil nonce or key there is nothing to
// seal with: it returns nil, which Open rejects.
func Seal(dst, msg []byte, nonce *Nonce, key *secret.Key) []byte {
	if nonce == nil || key == nil {
		return nil
	}
	ret, out := appendbuf.Grow(dst, len(msg)+Overhead)
	// Lengths are right by construction, so SecretboxEasy cannot fail.
	if err := sodium.SecretboxEasy(out, msg, (*[NonceSize]byte)(nonce), keymat.Array(key)); err != nil {
		panic("secretbox: " + err.Error())
	}
	return ret
}

// Open authenticates and decrypts box, appending the plaintext to dst,
// which may be box[:0] to open in place. On failure it returns an error wrapping ErrOpen, and dst's spare capacity is
// left zeroed: no unauthenticated plaintext is ever released.
func Open(dst, box []byte, nonce *Nonce, key *secret.Key) ([]byte, error) {
	if nonce == nil || key == nil {
		return nil, fmt.Errorf("%w: nil nonce or key", ErrOpen)
	}
	if len(box) < Overhead {
		return nil, fmt.Errorf("%w: box of %d bytes is shorter than the %d-byte MAC", ErrOpen, len(box), Overhead)
	}
	ret, out := appendbuf.Grow(dst, len(box)-Overhead)
	if err := sodium.SecretboxOpenEasy(out, box, (*[NonceSize]byte)(nonce), keymat.Array(key)); err != nil {
		return nil, ErrOpen
	}
	return ret, nil
}
