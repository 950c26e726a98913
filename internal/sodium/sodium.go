// Package sodium is the project's one cryptographic boundary, with two
// backends behind the same Go API:
//
//   - libsodium, through cgo (the only package that imports "C" or
//     github.com/jamesruan/sodium), the default where cgo is on;
//   - pure Go over golang.org/x/crypto (and github.com/minio/blake2b-simd for
//     BLAKE2b with salt and personal), chosen by the build constraint
//     `!cgo || purego`: CGO_ENABLED=0 and -tags purego both select it.
//
// The layout follows golang.org/x/crypto's own pattern. The untagged files
// (sodium.go, secretbox.go, box.go, kdf.go, pwhash.go, secretstream.go) hold
// the exported API: they check every length, then call an unexported
// implementation. The *_go.go files hold the pure-Go implementation and are
// always compiled, so that a cgo test binary can run both backends on the
// same inputs; the *_cgo.go files hold the libsodium one and the dispatch
// (backend_cgo.go), and backend_purego.go dispatches to Go alone. Shared
// types hold Go-native data only (SecretstreamState is 52 bytes laid out as
// libsodium's state), so a state can pass from one backend to the other.
//
// Every exported function checks every length before it calls into either
// backend and returns an error instead of panicking: nothing that comes from
// data can crash the process from here.
package sodium

import (
	"errors"
	"runtime"
	"unsafe"
)

// ErrSize reports a buffer of the wrong length; it indicates a bug in the
// calling package, never a property of untrusted data (callers check data
// lengths themselves and return their own sentinels).
var ErrSize = errors.New("sodium: buffer of wrong size")

// ErrForged reports that an authenticator did not verify.
var ErrForged = errors.New("sodium: verification failed")

// Compile-time sizes. TestRuntimeSizes asserts each equals libsodium's
// run-time value.
const (
	SecretboxKeyBytes   = 32
	SecretboxNonceBytes = 24
	SecretboxMACBytes   = 16

	BoxPublicKeyBytes = 32
	BoxSecretKeyBytes = 32
	BoxSealBytes      = 48

	KDFKeyBytes     = 32
	KDFContextBytes = 8
	KDFBytesMin     = 16
	KDFBytesMax     = 64
)

// Backend names the backend compiled in, with libsodium's version string
// (sodium_version_string) for the libsodium one: "libsodium 1.0.18" or
// "pure Go (golang.org/x/crypto)".
func Backend() string { return backendName() }

// PureGoName is what Backend returns for the pure-Go backend.
const PureGoName = "pure Go (golang.org/x/crypto)"

// Memzero overwrites b with zeros in a way the compiler cannot elide: the
// KeepAlive keeps b live past the clear, so the stores are not dead.
func Memzero(b []byte) {
	clear(b)
	runtime.KeepAlive(b)
}

// overlaps reports whether x and y share any memory.
func overlaps(x, y []byte) bool {
	if len(x) == 0 || len(y) == 0 {
		return false
	}
	xs, ys := uintptr(unsafe.Pointer(&x[0])), uintptr(unsafe.Pointer(&y[0]))
	return xs < ys+uintptr(len(y)) && ys < xs+uintptr(len(x))
}

// inexactOverlap reports whether x and y share memory at different offsets
// (same rule as crypto/internal/fips140/alias).
func inexactOverlap(x, y []byte) bool {
	if len(x) == 0 || len(y) == 0 || &x[0] == &y[0] {
		return false
	}
	return overlaps(x, y)
}
