// Package sodium is the project's only cgo boundary: the one package that
// imports "C" or github.com/jamesruan/sodium.
//
// It uses jamesruan/sodium where that package is sound (library
// initialisation, scalar multiplication for key pairs, the BLAKE2b kdf,
// memzero) and adds a few small C calls of its own where jamesruan is
// missing something or gets it wrong:
//
//   - crypto_secretbox_easy / open_easy and crypto_box_seal_open into caller
//     buffers: jamesruan allocates a fresh output on every call, which rules
//     out append-style APIs with zero allocations and leaves a plaintext copy
//     to clear. These calls are marked #cgo noescape and nocallback, so a
//     caller's nonce or key on the stack stays there.
//   - crypto_box_seal with a caller-supplied ephemeral secret key, so that the
//     randomness comes from Go's crypto/rand (and known-answer tests can fix
//     it), built exactly as libsodium builds it.
//   - raw crypto_pwhash (Argon2id v1.3) with explicit limits, reporting an
//     allocation failure distinctly so that callers can back off.
//   - message-level crypto_secretstream_xchacha20poly1305 with explicit tags
//     (see secretstream.go).
//
// Every exported function checks every length before it calls into C and
// returns an error instead of panicking: nothing that comes from data can
// crash the process from here.
package sodium

/*
#cgo pkg-config: libsodium
#include <sodium.h>
*/
import "C"

import (
	"errors"
	"unsafe"

	js "github.com/jamesruan/sodium"
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

// Memzero overwrites b with zeros in a way the compiler cannot elide.
func Memzero(b []byte) {
	if len(b) > 0 {
		js.MemZero(b)
	}
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
