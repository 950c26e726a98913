//go:build unix

package sodium

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestProbeMemory: a small reservation succeeds; one larger than any
// address space fails cleanly instead of crashing.
func TestProbeMemory(t *testing.T) {
	require.True(t, probeMemory(1<<20), "probe of 1 MiB failed")
	require.False(t, probeMemory(1<<62), "probe of 4 EiB succeeded")
}
