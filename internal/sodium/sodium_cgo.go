//go:build cgo && !purego

package sodium

/*
#cgo pkg-config: libsodium
#include <sodium.h>
*/
import "C"

import "unsafe"

// pureGo switches every call to the pure-Go implementation in a cgo build.
// Only tests set it (before any concurrent use), to run the whole package
// API under both backends in one binary, as x/crypto's argon2 tests flip
// useSSE4.
var pureGo = false

// PureGo reports a build with only the pure-Go backend.
const PureGo = false

// SetPureGo switches this cgo build to the pure-Go implementation (on) or
// back to libsodium, so that benchmarks can put both side by side in one
// run. It must not be called while any goroutine is using the package.
func SetPureGo(on bool) { pureGo = on }

// EachBackend calls f once per backend, libsodium then pure Go, with that
// backend selected and its name ("libsodium", "go"), and leaves libsodium
// selected: tests and benchmarks use it to run both in one binary.
func EachBackend(f func(name string)) {
	defer SetPureGo(false)
	for _, name := range []string{"libsodium", "go"} {
		SetPureGo(name == "go")
		f(name)
	}
}

func backendName() string {
	if pureGo {
		return PureGoName
	}
	return "libsodium " + C.GoString(C.sodium_version_string())
}

func init() {
	// jamesruan's init already ran sodium_init (it panics if that fails);
	// calling it again is cheap and documents the dependency.
	if C.sodium_init() < 0 {
		panic("sodium: sodium_init failed")
	}
}

// zero gives C a valid pointer for empty buffers: &b[0] would panic on an
// empty slice and a NULL source pointer is undefined for memcpy.
var zero [1]byte

func ptr(b []byte) *C.uchar {
	if len(b) == 0 {
		return (*C.uchar)(unsafe.Pointer(&zero[0]))
	}
	return (*C.uchar)(unsafe.Pointer(&b[0]))
}

// RuntimeSizes returns libsodium's own values for every size the SDK
// hard-codes, keyed by libsodium's function name.
func RuntimeSizes() map[string]int {
	return map[string]int{
		"crypto_secretbox_keybytes":                         int(C.crypto_secretbox_keybytes()),
		"crypto_secretbox_noncebytes":                       int(C.crypto_secretbox_noncebytes()),
		"crypto_secretbox_macbytes":                         int(C.crypto_secretbox_macbytes()),
		"crypto_box_publickeybytes":                         int(C.crypto_box_publickeybytes()),
		"crypto_box_secretkeybytes":                         int(C.crypto_box_secretkeybytes()),
		"crypto_box_sealbytes":                              int(C.crypto_box_sealbytes()),
		"crypto_kdf_keybytes":                               int(C.crypto_kdf_keybytes()),
		"crypto_kdf_contextbytes":                           int(C.crypto_kdf_contextbytes()),
		"crypto_kdf_bytes_min":                              int(C.crypto_kdf_bytes_min()),
		"crypto_kdf_bytes_max":                              int(C.crypto_kdf_bytes_max()),
		"crypto_pwhash_saltbytes":                           int(C.crypto_pwhash_saltbytes()),
		"crypto_pwhash_opslimit_min":                        int(C.crypto_pwhash_opslimit_min()),
		"crypto_pwhash_memlimit_min":                        int(C.crypto_pwhash_memlimit_min()),
		"crypto_pwhash_memlimit_max":                        int(C.crypto_pwhash_memlimit_max()),
		"crypto_pwhash_opslimit_interactive":                int(C.crypto_pwhash_opslimit_interactive()),
		"crypto_pwhash_memlimit_interactive":                int(C.crypto_pwhash_memlimit_interactive()),
		"crypto_pwhash_opslimit_moderate":                   int(C.crypto_pwhash_opslimit_moderate()),
		"crypto_pwhash_memlimit_moderate":                   int(C.crypto_pwhash_memlimit_moderate()),
		"crypto_pwhash_opslimit_sensitive":                  int(C.crypto_pwhash_opslimit_sensitive()),
		"crypto_pwhash_memlimit_sensitive":                  int(C.crypto_pwhash_memlimit_sensitive()),
		"crypto_pwhash_alg_argon2id13":                      int(C.crypto_pwhash_alg_argon2id13()),
		"crypto_secretstream_xchacha20poly1305_keybytes":    int(C.crypto_secretstream_xchacha20poly1305_keybytes()),
		"crypto_secretstream_xchacha20poly1305_headerbytes": int(C.crypto_secretstream_xchacha20poly1305_headerbytes()),
		"crypto_secretstream_xchacha20poly1305_abytes":      int(C.crypto_secretstream_xchacha20poly1305_abytes()),
		"crypto_secretstream_xchacha20poly1305_tag_message": int(C.crypto_secretstream_xchacha20poly1305_tag_message()),
		"crypto_secretstream_xchacha20poly1305_tag_push":    int(C.crypto_secretstream_xchacha20poly1305_tag_push()),
		"crypto_secretstream_xchacha20poly1305_tag_rekey":   int(C.crypto_secretstream_xchacha20poly1305_tag_rekey()),
		"crypto_secretstream_xchacha20poly1305_tag_final":   int(C.crypto_secretstream_xchacha20poly1305_tag_final()),
	}
}
