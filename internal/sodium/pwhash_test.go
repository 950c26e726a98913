package sodium

import (
	"bytes"
	"errors"
	"testing"
)

// TestPwhashProbeFailure: when the memory probe fails, the pure-Go Argon2id
// reports ErrNoMemory (so that pwhash backs off) without deriving, and
// leaves out zeroed.
func TestPwhashProbeFailure(t *testing.T) {
	defer func(p func(uint64) bool) { probe = p }(probe)
	var asked uint64
	probe = func(n uint64) bool { asked = n; return false }
	out := bytes.Repeat([]byte{0xAA}, 32)
	var salt [PwhashSaltBytes]byte
	if err := pwhashGo(out, []byte("pw"), &salt, 1, 1<<20); !errors.Is(err, ErrNoMemory) {
		t.Fatalf("pwhashGo with a failing probe: %v", err)
	}
	if asked != 1<<20 {
		t.Fatalf("probe asked for %d bytes, want %d", asked, 1<<20)
	}
	probe = func(uint64) bool { return true }
	if err := pwhashGo(out, []byte("pw"), &salt, 1, 1<<20); err != nil || bytes.Equal(out, bytes.Repeat([]byte{0xAA}, 32)) {
		t.Fatalf("pwhashGo with a passing probe: %v", err)
	}
}
