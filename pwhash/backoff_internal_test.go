package pwhash

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/e2eekit/e2ee/secret"
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
		if err != nil || k == nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if used != tt.want {
			t.Errorf("%s: used %+v, want %+v", tt.name, used, tt.want)
		}
		steps := tt.policy.Steps()
		if len(f.calls) != tt.tried {
			t.Errorf("%s: tried %d steps, want %d: %+v", tt.name, len(f.calls), tt.tried, f.calls)
			continue
		}
		for i, c := range f.calls {
			if c != steps[i] {
				t.Errorf("%s: try %d was %+v, want step %+v", tt.name, i, c, steps[i])
			}
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
		if !errors.Is(err, ErrOutOfMemory) || k != nil || used != (Params{}) {
			t.Errorf("%s: = %v, %+v, %v; want ErrOutOfMemory", tt.name, k, used, err)
		}
		if len(f.calls) != len(tt.policy.Steps()) {
			t.Errorf("%s: tried %d of %d steps", tt.name, len(f.calls), len(tt.policy.Steps()))
		}
		floor := tt.policy.Steps()[len(tt.policy.Steps())-1]
		if !strings.Contains(err.Error(), fmt.Sprint(floor.MemLimit)) {
			t.Errorf("%s: error %q does not name the floor", tt.name, err)
		}
	}
}

// TestBackoffOtherErrors checks that only allocation failures move to the
// next step: any other error stops the back-off at once.
func TestBackoffOtherErrors(t *testing.T) {
	boom := errors.New("boom")
	for _, want := range []error{ErrInvalidParams, boom} {
		f := &fakeDeriver{maxMem: 512 << 20, err: want}
		_, _, err := deriveSensitive([]byte("pw"), new(Salt), SeedPolicy, f.derive)
		if !errors.Is(err, want) {
			t.Errorf("error %v became %v", want, err)
		}
		if len(f.calls) != 2 {
			t.Errorf("error %v: tried %d steps, want 2", want, len(f.calls))
		}
	}
	f := &fakeDeriver{maxMem: 1 << 40}
	if _, _, err := deriveSensitive(nil, new(Salt), Policy{}, f.derive); !errors.Is(err, ErrInvalidParams) || len(f.calls) != 0 {
		t.Errorf("empty policy: %v after %d tries", err, len(f.calls))
	}
}
