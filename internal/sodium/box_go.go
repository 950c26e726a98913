package sodium

import (
	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/curve25519"
	"golang.org/x/crypto/salsa20/salsa" //lint:ignore SA1019 HSalsa20 and the Salsa20 core are what crypto_secretbox and crypto_box are built from
)

// The pure-Go crypto_box_seal: epk = X25519(esk, base); nonce =
// BLAKE2b-192(epk ‖ pk); out = epk ‖ crypto_box_easy(m, nonce, pk, esk),
// where crypto_box's key is HSalsa20(X25519(esk, pk), 0) and the box is a
// secretbox under it. x/crypto's nacl/box computes the same bytes but
// accepts a low-order public key (an all-zero shared secret) that
// libsodium refuses; curve25519.X25519 refuses it as libsodium does.

func scalarMultBaseGo(pk *[BoxPublicKeyBytes]byte, sk *[BoxSecretKeyBytes]byte) error {
	q, err := curve25519.X25519(sk[:], curve25519.Basepoint)
	if err != nil {
		return ErrForged
	}
	copy(pk[:], q)
	return nil
}

// boxKey is crypto_box_beforenm: false for a low-order public key.
func boxKey(key *[32]byte, sk, pk []byte) bool {
	shared, err := curve25519.X25519(sk, pk)
	if err != nil {
		return false
	}
	var zeros [16]byte
	salsa.HSalsa20(key, &zeros, (*[32]byte)(shared), &salsa.Sigma)
	clear(shared)
	return true
}

func sealNonce(nonce *[SecretboxNonceBytes]byte, epk, pk []byte) {
	h, _ := blake2b.New(SecretboxNonceBytes, nil) // cannot fail for size 24, no key
	h.Write(epk)
	h.Write(pk)
	h.Sum(nonce[:0])
}

func boxSealGo(out, m []byte, pk *[BoxPublicKeyBytes]byte, esk *[BoxSecretKeyBytes]byte) bool {
	var epk, key [32]byte
	if scalarMultBaseGo(&epk, esk) != nil || !boxKey(&key, esk[:], pk[:]) {
		return false
	}
	var nonce [SecretboxNonceBytes]byte
	sealNonce(&nonce, epk[:], pk[:])
	// Seal first: m may start where epk goes (sealing in place).
	secretboxEasyGo(out[BoxPublicKeyBytes:], m, &nonce, &key)
	copy(out, epk[:])
	clear(key[:])
	return true
}

func boxSealOpenGo(out, box []byte, pk *[BoxPublicKeyBytes]byte, sk *[BoxSecretKeyBytes]byte) bool {
	var key [32]byte
	epk := box[:BoxPublicKeyBytes]
	if !boxKey(&key, sk[:], epk) {
		return false
	}
	var nonce [SecretboxNonceBytes]byte
	sealNonce(&nonce, epk, pk[:])
	ok := secretboxOpenEasyGo(out, box[BoxPublicKeyBytes:], &nonce, &key)
	clear(key[:])
	return ok
}
