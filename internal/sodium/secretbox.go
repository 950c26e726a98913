package sodium

/*
#include <sodium.h>

// libsodium keeps no pointer and never calls back into Go, so callers' keys,
// nonces and buffers need not escape to the heap, and the call can skip the
// callback preparations.
#cgo noescape crypto_secretbox_easy
#cgo nocallback crypto_secretbox_easy
#cgo noescape crypto_secretbox_open_easy
#cgo nocallback crypto_secretbox_open_easy
*/
import "C"

// SecretboxEasy writes crypto_secretbox_easy(m, nonce, key) (MAC ‖ ciphertext)
// into out, which must be exactly len(m)+SecretboxMACBytes long. out may
// alias m only exactly (same start), as libsodium allows.
func SecretboxEasy(out, m []byte, nonce *[SecretboxNonceBytes]byte, key *[SecretboxKeyBytes]byte) error {
	if len(out) != len(m)+SecretboxMACBytes {
		return ErrSize
	}
	C.crypto_secretbox_easy(ptr(out), ptr(m), C.ulonglong(len(m)),
		(*C.uchar)(&nonce[0]), (*C.uchar)(&key[0]))
	return nil
}

// SecretboxOpenEasy verifies and decrypts box into out, which must be exactly
// len(box)-SecretboxMACBytes long. On failure out is zeroed and ErrForged is
// returned.
func SecretboxOpenEasy(out, box []byte, nonce *[SecretboxNonceBytes]byte, key *[SecretboxKeyBytes]byte) error {
	if len(box) < SecretboxMACBytes || len(out) != len(box)-SecretboxMACBytes {
		return ErrSize
	}
	if C.crypto_secretbox_open_easy(ptr(out), ptr(box), C.ulonglong(len(box)),
		(*C.uchar)(&nonce[0]), (*C.uchar)(&key[0])) != 0 {
		clear(out)
		return ErrForged
	}
	return nil
}

// ReferenceSecretboxEasy is the bare libsodium call with no checks at all,
// for benchmarks that measure the wrapper's overhead. Callers must pass
// correctly sized buffers.
func ReferenceSecretboxEasy(out, m []byte, nonce, key []byte) {
	C.crypto_secretbox_easy(ptr(out), ptr(m), C.ulonglong(len(m)), ptr(nonce), ptr(key))
}

// ReferenceSecretboxOpenEasy is the bare crypto_secretbox_open_easy call,
// for the same benchmarks. It reports whether the box verified.
func ReferenceSecretboxOpenEasy(out, box []byte, nonce, key []byte) bool {
	return C.crypto_secretbox_open_easy(ptr(out), ptr(box), C.ulonglong(len(box)), ptr(nonce), ptr(key)) == 0
}
