// Package pwhash derives 32-byte keys from passwords with libsodium's
// crypto_pwhash, algorithm Argon2id v1.3 (crypto_pwhash_ALG_ARGON2ID13),
// one lane, as every Ente client does.
//
// # Units
//
// Params.MemLimit is in BYTES, as in libsodium and in Ente's JSON
// ("memLimit": 1073741824). golang.org/x/crypto/argon2 takes KiB instead:
// argon2.IDKey(pw, salt, OpsLimit, MemLimit/1024, 1, 32) gives the same key.
//
// # Security
//
// Parameters that arrive with data (an export file, a link, an account's
// stored attributes) are untrusted: DeriveKey checks them against the
// caller's Limits before doing any work, so a hostile file cannot make a
// device spend minutes and gigabytes (age caps scrypt work the same way).
// Passwords are []byte so callers can clear them; no Unicode normalisation
// is applied, matching Ente's clients (UTF-8 bytes as typed).
//
// # Choosing a policy
//
// Sign-up derives the key-encryption key with a Policy (see
// DeriveSensitiveKey); every later unlock re-derives with the Params stored
// then.
//
//   - An app whose accounts live on Ente's servers: EntePolicy (256 MiB ×
//     16 passes, backing off to 128 MiB × 32). Ente's server refuses
//     anything but MemLimit × OpsLimit = 4 GiB with MemLimit ≥ 128 MiB.
//     About 1–2 s and 256 MiB on a laptop.
//   - A standalone app that follows Ente's published design: SeedPolicy,
//     also DefaultPolicy (1 GiB × 4 passes, backing off as far as 8 KiB).
//     The strongest, and the costliest: 3–9 s and about 1 GiB on a small
//     2-core machine.
//   - Tests, examples and demos: TestingPolicy (8 KiB, 1 pass), which
//     derives in microseconds. Never for a real password: it makes a
//     guess nearly free.
//
// Parameters that arrive with data are checked against Limits instead;
// DefaultLimits accept everything an Ente account can carry.
//
// # The back-off
//
// DeriveSensitiveKey implements sign-up's memory back-off: start high, and
// each time Argon2 cannot allocate its memory, double OpsLimit and halve
// MemLimit (keeping the work constant), until the policy's floor. It returns
// the Params it used: store them, and always re-derive with stored params.
//
// On the libsodium backend Argon2's memory comes from mmap, whose failure is
// an error. On the pure-Go backend (CGO_ENABLED=0 or -tags purego) it comes
// from the Go heap, where running out is fatal; the backend first reserves
// the memory with an mmap that can fail (on Unix) and backs off when it
// does, which catches an address-space limit but not memory the kernel
// overcommits and then cannot supply: best effort (see e2ee.Backend).
package pwhash

import (
	"crypto/rand"
	"errors"
	"fmt"
	"math/bits"

	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/internal/keymat"
	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/e2eekit/e2ee/secret"
)

// Sizes in bytes.
const (
	SaltSize = 16 // crypto_pwhash_SALTBYTES
	KeySize  = 32 // the derived key
)

// libsodium's lower bounds for Argon2id.
const (
	MinOpsLimit = 1    // passes (crypto_pwhash_OPSLIMIT_MIN)
	MinMemLimit = 8192 // bytes, 8 KiB (crypto_pwhash_MEMLIMIT_MIN)
)

// libsodium's presets (crypto_pwhash_*_INTERACTIVE, _MODERATE, _SENSITIVE).
// A test checks them against libsodium's run-time values.
var (
	// Interactive is 2 passes over 64 MiB: link passwords and file link
	// secrets in Ente's clients.
	Interactive = Params{OpsLimit: 2, MemLimit: 64 << 20}
	// Moderate is 3 passes over 256 MiB.
	Moderate = Params{OpsLimit: 3, MemLimit: 256 << 20}
	// Sensitive is 4 passes over 1 GiB: where SeedPolicy starts.
	Sensitive = Params{OpsLimit: 4, MemLimit: 1 << 30}
)

var (
	// ErrInvalidParams reports params below libsodium's minimums.
	ErrInvalidParams = errors.New("pwhash: parameters below the Argon2id minimum")
	// ErrTooExpensive reports params above the caller's Limits, or an
	// OpsLimit beyond Argon2id's 32 bits; no work was done.
	ErrTooExpensive = errors.New("pwhash: parameters exceed the allowed cost")
	// ErrOutOfMemory reports that Argon2 could not allocate its memory, at
	// every step the back-off policy allows.
	ErrOutOfMemory = errors.New("pwhash: not enough memory for Argon2id")
)

// Salt is a 16-byte Argon2id salt.
type Salt [SaltSize]byte

// RandomSalt returns a salt drawn from crypto/rand.
func RandomSalt() *Salt {
	s := new(Salt)
	rand.Read(s[:])
	return s
}

// MarshalText encodes the salt as padded standard base64.
func (s Salt) MarshalText() ([]byte, error) { return []byte(b64.Encode(s[:])), nil }

// UnmarshalText decodes strict padded standard base64 of exactly 16 bytes.
func (s *Salt) UnmarshalText(text []byte) error {
	if s == nil {
		return errors.New("pwhash: salt: UnmarshalText on a nil *Salt")
	}
	if err := b64.DecodeFixed(s[:], string(text)); err != nil {
		return fmt.Errorf("pwhash: salt: %w", err)
	}
	return nil
}

// Params are Argon2id cost parameters. MemLimit is in bytes.
type Params struct {
	OpsLimit uint64 `json:"opsLimit"`
	MemLimit uint64 `json:"memLimit"`
}

// Limits caps the cost of params that come with untrusted data.
type Limits struct {
	// MaxMemLimit is the largest MemLimit accepted, in bytes.
	MaxMemLimit uint64
	// MaxWork is the largest MemLimit × OpsLimit accepted (bytes × passes),
	// which bounds the running time.
	MaxWork uint64
}

// DefaultLimits accept every pair an Ente account can carry: MemLimit up to
// 1 GiB and MemLimit × OpsLimit up to 1 GiB × 4 passes (the back-off keeps
// that product constant, and Ente's server requires it to be exactly
// 4 GiB).
var DefaultLimits = Limits{MaxMemLimit: 1 << 30, MaxWork: 4 << 30}

// Check reports whether p is valid (ErrInvalidParams) and within l
// (ErrTooExpensive). It does no work, so it is safe on hostile input.
func (p Params) Check(l Limits) error {
	if p.OpsLimit < MinOpsLimit || p.MemLimit < MinMemLimit {
		return fmt.Errorf("%w: opsLimit %d (min %d), memLimit %d bytes (min %d)",
			ErrInvalidParams, p.OpsLimit, MinOpsLimit, p.MemLimit, MinMemLimit)
	}
	// Argon2id's pass count is 32 bits; no Limits can allow more.
	if p.OpsLimit > sodium.PwhashOpsLimitMax {
		return fmt.Errorf("%w: opsLimit %d > %d", ErrTooExpensive, p.OpsLimit, uint64(sodium.PwhashOpsLimitMax))
	}
	if p.MemLimit > l.MaxMemLimit {
		return fmt.Errorf("%w: memLimit %d bytes > %d", ErrTooExpensive, p.MemLimit, l.MaxMemLimit)
	}
	if hi, lo := bits.Mul64(p.MemLimit, p.OpsLimit); hi != 0 || lo > l.MaxWork {
		return fmt.Errorf("%w: memLimit × opsLimit = %d × %d > %d", ErrTooExpensive, p.MemLimit, p.OpsLimit, l.MaxWork)
	}
	return nil
}

// DeriveKey derives a 32-byte key from password and salt with params p,
// after checking p against limits. A nil salt is ErrInvalidParams.
func DeriveKey(password []byte, salt *Salt, p Params, limits Limits) (*secret.Key, error) {
	if err := p.Check(limits); err != nil {
		return nil, err
	}
	return derive(password, salt, p)
}

// derive runs Argon2id without checking limits.
func derive(password []byte, salt *Salt, p Params) (*secret.Key, error) {
	if salt == nil {
		return nil, fmt.Errorf("%w: nil salt", ErrInvalidParams)
	}
	k := new(secret.Key)
	switch err := sodium.Pwhash(keymat.Array(k)[:], password, (*[SaltSize]byte)(salt), p.OpsLimit, p.MemLimit); {
	case err == nil:
		return k, nil
	case errors.Is(err, sodium.ErrNoMemory):
		return nil, fmt.Errorf("%w: memLimit %d bytes", ErrOutOfMemory, p.MemLimit)
	default:
		return nil, fmt.Errorf("%w: opsLimit %d, memLimit %d bytes", ErrInvalidParams, p.OpsLimit, p.MemLimit)
	}
}
