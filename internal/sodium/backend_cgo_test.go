//go:build cgo && !purego

package sodium

import "testing"

// forEachBackend runs f once with libsodium and once with the pure-Go
// implementation, by flipping pureGo (so the tests using it must not run in
// parallel).
func forEachBackend(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	for _, goImpl := range []bool{false, true} {
		name := "libsodium"
		if goImpl {
			name = "go"
		}
		t.Run(name, func(t *testing.T) {
			pureGo = goImpl
			defer func() { pureGo = false }()
			f(t)
		})
	}
}
