package sodium

import (
	"golang.org/x/crypto/poly1305"      //lint:ignore SA1019 a building block of secretbox and secretstream, used as libsodium uses it
	"golang.org/x/crypto/salsa20/salsa" //lint:ignore SA1019 HSalsa20 and the Salsa20 core are what crypto_secretbox and crypto_box are built from
)

// The pure-Go crypto_secretbox_easy: XSalsa20 (HSalsa20 subkey, then Salsa20
// with nonce[16:24]) whose first 32 keystream bytes key Poly1305, and the
// message encrypted from keystream byte 32 on. x/crypto's nacl/secretbox
// computes the same bytes, but refuses any overlap of input and output,
// where libsodium (and this package's callers) seal and open in place.

// xsalsaBlock0 derives the XSalsa20 subkey for nonce and returns it with
// keystream block 0 (Poly1305 key ‖ the pad for the first 32 message bytes).
func xsalsaBlock0(subkey *[32]byte, block0 *[64]byte, nonce *[SecretboxNonceBytes]byte, key *[SecretboxKeyBytes]byte) {
	salsa.HSalsa20(subkey, (*[16]byte)(nonce[:16]), key, &salsa.Sigma)
	var counter [16]byte
	copy(counter[:8], nonce[16:])
	clear(block0[:])
	salsa.XORKeyStream(block0[:], block0[:], &counter, subkey)
}

// xsalsaXOR encrypts c in place from keystream byte 32 on.
func xsalsaXOR(c []byte, subkey *[32]byte, block0 *[64]byte, nonce *[SecretboxNonceBytes]byte) {
	n := min(len(c), 32)
	for i := range n {
		c[i] ^= block0[32+i]
	}
	if len(c) > 32 {
		var counter [16]byte
		copy(counter[:8], nonce[16:])
		counter[8] = 1 // block 1
		salsa.XORKeyStream(c[32:], c[32:], &counter, subkey)
	}
}

func secretboxEasyGo(out, m []byte, nonce *[SecretboxNonceBytes]byte, key *[SecretboxKeyBytes]byte) {
	c := out[SecretboxMACBytes:]
	copy(c, m) // a memmove: whatever the overlap of m and out, c now holds m
	var subkey [32]byte
	var block0 [64]byte
	xsalsaBlock0(&subkey, &block0, nonce, key)
	xsalsaXOR(c, &subkey, &block0, nonce)
	var mac [16]byte
	poly1305.Sum(&mac, c, (*[32]byte)(block0[:32]))
	copy(out, mac[:])
	clear(subkey[:])
	clear(block0[:])
}

func secretboxOpenEasyGo(out, box []byte, nonce *[SecretboxNonceBytes]byte, key *[SecretboxKeyBytes]byte) bool {
	var subkey [32]byte
	var block0 [64]byte
	xsalsaBlock0(&subkey, &block0, nonce, key)
	defer clear(subkey[:])
	defer clear(block0[:])
	c := box[SecretboxMACBytes:]
	if !poly1305.Verify((*[16]byte)(box[:SecretboxMACBytes]), c, (*[32]byte)(block0[:32])) {
		return false
	}
	copy(out, c) // a memmove, for out == box[:len(box)-16] (opening in place)
	xsalsaXOR(out, &subkey, &block0, nonce)
	return true
}
