package sodium

// KDFDeriveFromKey is crypto_kdf_derive_from_key (BLAKE2b): a subkey of
// length n (KDFBytesMin..KDFBytesMax) for id and an 8-byte context.
func KDFDeriveFromKey(n int, id uint64, context string, key *[KDFKeyBytes]byte) ([]byte, error) {
	if n < KDFBytesMin || n > KDFBytesMax || len(context) != KDFContextBytes {
		return nil, ErrSize
	}
	return kdfDeriveFromKey(n, id, context, key)
}
