package sodium

// SecretboxEasy writes crypto_secretbox_easy(m, nonce, key) (MAC ‖ ciphertext)
// into out, which must be exactly len(m)+SecretboxMACBytes long. out may
// alias m only exactly (same start), as libsodium allows.
func SecretboxEasy(out, m []byte, nonce *[SecretboxNonceBytes]byte, key *[SecretboxKeyBytes]byte) error {
	if len(out) != len(m)+SecretboxMACBytes {
		return ErrSize
	}
	secretboxEasy(out, m, nonce, key)
	return nil
}

// SecretboxOpenEasy verifies and decrypts box into out, which must be exactly
// len(box)-SecretboxMACBytes long. On failure out is zeroed and ErrForged is
// returned.
func SecretboxOpenEasy(out, box []byte, nonce *[SecretboxNonceBytes]byte, key *[SecretboxKeyBytes]byte) error {
	if len(box) < SecretboxMACBytes || len(out) != len(box)-SecretboxMACBytes {
		return ErrSize
	}
	if !secretboxOpenEasy(out, box, nonce, key) {
		clear(out)
		return ErrForged
	}
	return nil
}
