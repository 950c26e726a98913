package sodium

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
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
	require.ErrorIs(t, pwhashGo(out, []byte("pw"), &salt, 1, 1<<20), ErrNoMemory, "pwhashGo with a failing probe")
	require.Equal(t, uint64(1<<20), asked, "bytes the probe asked for")
	probe = func(uint64) bool { return true }
	require.NoError(t, pwhashGo(out, []byte("pw"), &salt, 1, 1<<20), "pwhashGo with a passing probe")
	// out is a derived key now: compared, never printed.
	require.False(t, bytes.Equal(out, bytes.Repeat([]byte{0xAA}, 32)), "pwhashGo with a passing probe: out not written")
}
