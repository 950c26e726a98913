//go:build unix

package sodium

import "testing"

// TestProbeMemory: a small reservation succeeds; one larger than any
// address space fails cleanly instead of crashing.
func TestProbeMemory(t *testing.T) {
	if !probeMemory(1 << 20) {
		t.Fatal("probe of 1 MiB failed")
	}
	if probeMemory(1 << 62) {
		t.Fatal("probe of 4 EiB succeeded")
	}
}
