package pwhash

import (
	"errors"
	"fmt"
	"testing"

	"github.com/e2eekit/e2ee/secret"
	"github.com/stretchr/testify/assert"
)

// fakeDeriver fails with ErrOutOfMemory above maxMem, as Argon2 does when
// its memory cannot be mapped, and records what it was asked for.
type fakeDeriver struct {
	maxMem uint64
	calls  []Params
	err    error // returned instead of a key when set and memory fits
}

func (f *fakeDeriver) derive(_ []byte, _ *Salt, p Params) (*secret.Key, error) {
	f.calls = append(f.calls, p)
	if p.MemLimit > f.maxMem {
		return nil, fmt.Errorf("%w: memLimit %d bytes", ErrOutOfMemory, p.MemLimit)
	}
	if f.err != nil {
		return nil, f.err
	}
	return secret.GenerateKey(), nil
}

func TestBackoff(t *testing.T) {
	seed := SeedPolicy.Steps()
	for _, tt := range []struct {
		name   string
		policy Policy
		maxMem uint64
		want   Params
		tried  int
	}{
		{"seed, 1 GiB fits", SeedPolicy, 1 << 30, Sensitive, 1},
		{"seed, 512 MiB fits", SeedPolicy, 1<<30 - 1, Params{OpsLimit: 8, MemLimit: 512 << 20}, 2},
		{"seed, 100 MiB fits", SeedPolicy, 100 << 20, Params{OpsLimit: 64, MemLimit: 64 << 20}, 5},
		{"seed, only the minimum fits", SeedPolicy, 8192, seed[17], 18},
		{"seed with ceiling skips steps untried", SeedPolicy.WithCeiling(300 << 20), 1 << 40, Params{OpsLimit: 16, MemLimit: 256 << 20}, 1},
		{"ente, 256 MiB fits", EntePolicy, 256 << 20, Params{OpsLimit: 16, MemLimit: 256 << 20}, 1},
		{"ente, 128 MiB fits", EntePolicy, 200 << 20, Params{OpsLimit: 32, MemLimit: 128 << 20}, 2},
	} {
		f := &fakeDeriver{maxMem: tt.maxMem}
		k, used, err := deriveSensitive([]byte("pw"), new(Salt), tt.policy, f.derive)
		if !assert.NoError(t, err, tt.name) || !assert.NotNil(t, k, tt.name) {
			continue
		}
		assert.Equal(t, tt.want, used, "%s: used", tt.name)
		steps := tt.policy.Steps()
		if !assert.Len(t, f.calls, tt.tried, "%s: steps tried", tt.name) {
			continue
		}
		for i, c := range f.calls {
			assert.Equal(t, steps[i], c, "%s: try %d", tt.name, i)
		}
	}
}

func TestBackoffExhausted(t *testing.T) {
	for _, tt := range []struct {
		name   string
		policy Policy
		maxMem uint64
	}{
		{"ente below its floor", EntePolicy, 128<<20 - 1},
		{"seed below the minimum", SeedPolicy, 8191},
		{"nothing fits", SeedPolicy, 0},
	} {
		f := &fakeDeriver{maxMem: tt.maxMem}
		k, used, err := deriveSensitive([]byte("pw"), new(Salt), tt.policy, f.derive)
		assert.ErrorIs(t, err, ErrOutOfMemory, tt.name)
		assert.Nil(t, k, tt.name)
		assert.Equal(t, Params{}, used, tt.name)
		assert.Len(t, f.calls, len(tt.policy.Steps()), "%s: steps tried", tt.name)
		floor := tt.policy.Steps()[len(tt.policy.Steps())-1]
		assert.ErrorContains(t, err, fmt.Sprint(floor.MemLimit), "%s: the error does not name the floor", tt.name)
	}
}

// TestBackoffOtherErrors checks that only allocation failures move to the
// next step: any other error stops the back-off at once.
func TestBackoffOtherErrors(t *testing.T) {
	boom := errors.New("boom")
	for _, want := range []error{ErrInvalidParams, boom} {
		f := &fakeDeriver{maxMem: 512 << 20, err: want}
		_, _, err := deriveSensitive([]byte("pw"), new(Salt), SeedPolicy, f.derive)
		assert.ErrorIs(t, err, want)
		assert.Len(t, f.calls, 2, "error %v: steps tried", want)
	}
	f := &fakeDeriver{maxMem: 1 << 40}
	_, _, err := deriveSensitive(nil, new(Salt), Policy{}, f.derive)
	assert.ErrorIs(t, err, ErrInvalidParams, "empty policy")
	assert.Empty(t, f.calls, "empty policy: tries")
}
