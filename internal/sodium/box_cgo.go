//go:build cgo && !purego

package sodium

/*
#include <string.h>
#include <sodium.h>

// Neither function keeps a pointer or calls back into Go.
#cgo noescape crypto_box_seal_open
#cgo nocallback crypto_box_seal_open
#cgo noescape e2ee_box_seal
#cgo nocallback e2ee_box_seal

// e2ee_box_seal is crypto_box_seal with the ephemeral secret key supplied by
// the caller: epk = X25519(esk, base); nonce = BLAKE2b-192(epk ‖ pk);
// out = epk ‖ crypto_box_easy(m, nonce, pk, esk). This is exactly what
// libsodium's crypto_box_seal does after drawing esk from randombytes.
static int e2ee_box_seal(unsigned char *out, const unsigned char *m,
                         unsigned long long mlen, const unsigned char *pk,
                         const unsigned char *esk) {
	unsigned char epk[crypto_box_PUBLICKEYBYTES];
	unsigned char nonce[crypto_box_NONCEBYTES];
	crypto_generichash_state st;
	int rc;

	if (crypto_scalarmult_base(epk, esk) != 0) {
		return -1;
	}
	crypto_generichash_init(&st, NULL, 0U, crypto_box_NONCEBYTES);
	crypto_generichash_update(&st, epk, sizeof epk);
	crypto_generichash_update(&st, pk, crypto_box_PUBLICKEYBYTES);
	crypto_generichash_final(&st, nonce, sizeof nonce);
	rc = crypto_box_easy(out + crypto_box_PUBLICKEYBYTES, m, mlen, nonce, pk, esk);
	memcpy(out, epk, sizeof epk);
	sodium_memzero(nonce, sizeof nonce);
	return rc;
}
*/
import "C"

import js "github.com/jamesruan/sodium"

func scalarMultBase(pk *[BoxPublicKeyBytes]byte, sk *[BoxSecretKeyBytes]byte) error {
	if pureGo {
		return scalarMultBaseGo(pk, sk)
	}
	q := js.CryptoScalarmultBase(js.Scalar{Bytes: sk[:]})
	if len(q.Bytes) != BoxPublicKeyBytes {
		return ErrSize
	}
	copy(pk[:], q.Bytes)
	return nil
}

func boxSeal(out, m []byte, pk *[BoxPublicKeyBytes]byte, esk *[BoxSecretKeyBytes]byte) bool {
	if pureGo {
		return boxSealGo(out, m, pk, esk)
	}
	return boxSealC(out, m, pk, esk)
}

func boxSealOpen(out, box []byte, pk *[BoxPublicKeyBytes]byte, sk *[BoxSecretKeyBytes]byte) bool {
	if pureGo {
		return boxSealOpenGo(out, box, pk, sk)
	}
	return boxSealOpenC(out, box, pk, sk)
}

func boxSealC(out, m []byte, pk *[BoxPublicKeyBytes]byte, esk *[BoxSecretKeyBytes]byte) bool {
	return C.e2ee_box_seal(ptr(out), ptr(m), C.ulonglong(len(m)),
		(*C.uchar)(&pk[0]), (*C.uchar)(&esk[0])) == 0
}

func boxSealOpenC(out, box []byte, pk *[BoxPublicKeyBytes]byte, sk *[BoxSecretKeyBytes]byte) bool {
	return C.crypto_box_seal_open(ptr(out), ptr(box), C.ulonglong(len(box)),
		(*C.uchar)(&pk[0]), (*C.uchar)(&sk[0])) == 0
}
