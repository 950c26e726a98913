//go:build !cgo || purego

package sodium

import "testing"

// forEachBackend runs f once: only the pure-Go backend is compiled.
func forEachBackend(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	f(t)
}
