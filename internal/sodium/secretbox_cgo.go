//go:build cgo && !purego

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

func secretboxEasy(out, m []byte, nonce *[SecretboxNonceBytes]byte, key *[SecretboxKeyBytes]byte) {
	if pureGo {
		secretboxEasyGo(out, m, nonce, key)
		return
	}
	secretboxEasyC(out, m, nonce, key)
}

func secretboxOpenEasy(out, box []byte, nonce *[SecretboxNonceBytes]byte, key *[SecretboxKeyBytes]byte) bool {
	if pureGo {
		return secretboxOpenEasyGo(out, box, nonce, key)
	}
	return secretboxOpenEasyC(out, box, nonce, key)
}

func secretboxEasyC(out, m []byte, nonce *[SecretboxNonceBytes]byte, key *[SecretboxKeyBytes]byte) {
	C.crypto_secretbox_easy(ptr(out), ptr(m), C.ulonglong(len(m)),
		(*C.uchar)(&nonce[0]), (*C.uchar)(&key[0]))
}

func secretboxOpenEasyC(out, box []byte, nonce *[SecretboxNonceBytes]byte, key *[SecretboxKeyBytes]byte) bool {
	return C.crypto_secretbox_open_easy(ptr(out), ptr(box), C.ulonglong(len(box)),
		(*C.uchar)(&nonce[0]), (*C.uchar)(&key[0])) == 0
}
