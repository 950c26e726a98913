package sodium

// ScalarMultBase returns the X25519 public key of sk, as crypto_box_keypair
// computes it after drawing sk at random.
func ScalarMultBase(pk *[BoxPublicKeyBytes]byte, sk *[BoxSecretKeyBytes]byte) error {
	return scalarMultBase(pk, sk)
}

// BoxSeal writes a sealed box of m to pk into out (len(m)+BoxSealBytes),
// using esk as the ephemeral secret key. It fails only if pk is a
// low-order point that makes the shared secret zero.
func BoxSeal(out, m []byte, pk *[BoxPublicKeyBytes]byte, esk *[BoxSecretKeyBytes]byte) error {
	if len(out) != len(m)+BoxSealBytes {
		return ErrSize
	}
	if !boxSeal(out, m, pk, esk) {
		clear(out)
		return ErrForged
	}
	return nil
}

// BoxSealOpen opens a sealed box with the recipient's key pair into out,
// which must be exactly len(box)-BoxSealBytes long. On failure out is
// zeroed and ErrForged is returned.
func BoxSealOpen(out, box []byte, pk *[BoxPublicKeyBytes]byte, sk *[BoxSecretKeyBytes]byte) error {
	if len(box) < BoxSealBytes || len(out) != len(box)-BoxSealBytes {
		return ErrSize
	}
	if !boxSealOpen(out, box, pk, sk) {
		clear(out)
		return ErrForged
	}
	return nil
}
