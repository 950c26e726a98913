//go:build cgo && !purego

package sodium

import "testing"

// forEachBackend runs f once with libsodium and once with the pure-Go
// implementation, by flipping pureGo (so the tests using it must not run in
// parallel).
func forEachBackend(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	EachBackend(func(name string) { t.Run(name, f) })
}
