package pwhash

import (
	"errors"
	"fmt"

	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/e2eekit/e2ee/secret"
)

// Policy says where sign-up's memory back-off starts and where it stops.
type Policy struct {
	// Start is the first pair tried.
	Start Params
	// FloorMemLimit is the smallest MemLimit tried, in bytes. When the next
	// step would go below it, derivation fails with ErrOutOfMemory.
	FloorMemLimit uint64
	// CeilingMemLimit, when non-zero, skips the steps whose MemLimit is above
	// it without trying them: a small device can start lower while keeping
	// the policy's work factor. See WithCeiling.
	CeilingMemLimit uint64
}

// SeedPolicy is the back-off of Ente's published architecture: start at
// libsodium's SENSITIVE limits (1 GiB, 4 passes) and go down as far as
// libsodium's minimum memory. It is DefaultPolicy.
var SeedPolicy = Policy{Start: Sensitive, FloorMemLimit: MinMemLimit}

// EntePolicy is what Ente's shipped clients do since 2025: start at
// 256 MiB with 16 passes and stop at 128 MiB, the least Ente's server
// accepts (it requires MemLimit × OpsLimit = 4 GiB and MemLimit ≥ 128 MiB).
// Choose it for accounts that must register with Ente's server.
var EntePolicy = Policy{Start: Params{OpsLimit: 16, MemLimit: 256 << 20}, FloorMemLimit: 128 << 20}

// DefaultPolicy is SeedPolicy.
var DefaultPolicy = SeedPolicy

// TestingPolicy is libsodium's minimum, 8 KiB and 1 pass, with no
// back-off: for tests, examples and demos, where a sign-up must take
// microseconds. Never use it for a real password: it makes guessing one
// nearly free.
var TestingPolicy = Policy{Start: Params{OpsLimit: MinOpsLimit, MemLimit: MinMemLimit}, FloorMemLimit: MinMemLimit}

// WithCeiling returns a copy of p that starts at the first step whose
// MemLimit is at most maxMemLimit bytes.
func (p Policy) WithCeiling(maxMemLimit uint64) Policy {
	p.CeilingMemLimit = maxMemLimit
	return p
}

// Steps lists the params the policy may try, in order.
func (p Policy) Steps() []Params {
	var steps []Params
	floor := max(p.FloorMemLimit, MinMemLimit)
	for s := p.Start; s.MemLimit >= floor && s.OpsLimit >= MinOpsLimit && s.OpsLimit <= sodium.PwhashOpsLimitMax; s = (Params{OpsLimit: s.OpsLimit * 2, MemLimit: s.MemLimit / 2}) {
		if p.CeilingMemLimit == 0 || s.MemLimit <= p.CeilingMemLimit {
			steps = append(steps, s)
		}
		if s.MemLimit/2 == s.MemLimit { // MemLimit 0 or 1 cannot halve further
			break
		}
	}
	return steps
}

// DeriveSensitiveKey derives a key with the first of p's steps whose memory
// can be allocated, and returns the params it used. Only allocation failures
// move to the next step; when every step fails, the error wraps
// ErrOutOfMemory.
func DeriveSensitiveKey(password []byte, salt *Salt, p Policy) (*secret.Key, Params, error) {
	return deriveSensitive(password, salt, p, derive)
}

type deriveFunc func(password []byte, salt *Salt, p Params) (*secret.Key, error)

func deriveSensitive(password []byte, salt *Salt, p Policy, derive deriveFunc) (*secret.Key, Params, error) {
	steps := p.Steps()
	if len(steps) == 0 {
		return nil, Params{}, fmt.Errorf("%w: policy %+v allows no step", ErrInvalidParams, p)
	}
	for _, s := range steps {
		k, err := derive(password, salt, s)
		if err == nil {
			return k, s, nil
		}
		if !errors.Is(err, ErrOutOfMemory) {
			return nil, Params{}, err
		}
	}
	last := steps[len(steps)-1]
	return nil, Params{}, fmt.Errorf("%w: even memLimit %d bytes with opsLimit %d could not be allocated", ErrOutOfMemory, last.MemLimit, last.OpsLimit)
}
