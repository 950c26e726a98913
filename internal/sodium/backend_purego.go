//go:build !cgo || purego

package sodium

// The pure-Go backend alone: every call goes to the *_go.go code.

// PureGo reports a build with only the pure-Go backend.
const PureGo = true

func backendName() string { return PureGoName }

func secretboxEasy(out, m []byte, nonce *[SecretboxNonceBytes]byte, key *[SecretboxKeyBytes]byte) {
	secretboxEasyGo(out, m, nonce, key)
}

func secretboxOpenEasy(out, box []byte, nonce *[SecretboxNonceBytes]byte, key *[SecretboxKeyBytes]byte) bool {
	return secretboxOpenEasyGo(out, box, nonce, key)
}

func scalarMultBase(pk *[BoxPublicKeyBytes]byte, sk *[BoxSecretKeyBytes]byte) error {
	return scalarMultBaseGo(pk, sk)
}

func boxSeal(out, m []byte, pk *[BoxPublicKeyBytes]byte, esk *[BoxSecretKeyBytes]byte) bool {
	return boxSealGo(out, m, pk, esk)
}

func boxSealOpen(out, box []byte, pk *[BoxPublicKeyBytes]byte, sk *[BoxSecretKeyBytes]byte) bool {
	return boxSealOpenGo(out, box, pk, sk)
}

func kdfDeriveFromKey(n int, id uint64, context string, key *[KDFKeyBytes]byte) ([]byte, error) {
	return kdfDeriveFromKeyGo(n, id, context, key)
}

func pwhash(out, password []byte, salt *[PwhashSaltBytes]byte, opsLimit uint64, memLimit uint64) error {
	return pwhashGo(out, password, salt, opsLimit, memLimit)
}

func (st *SecretstreamState) init(header *[SecretstreamHeaderBytes]byte, key *[SecretstreamKeyBytes]byte) {
	st.initGo(header, key)
}

func (st *SecretstreamState) push(out, m []byte, tag byte) { st.pushGo(out, m, tag) }

func (st *SecretstreamState) pull(out, in []byte) (byte, bool) { return st.pullGo(out, in) }

func pushBufCopies() bool { return true }

func (st *SecretstreamState) pushBuf(buf, m []byte, tag byte) { st.pushBufGo(buf, m, tag) }

func (st *SecretstreamState) pullBuf(buf, in []byte) (byte, bool) { return st.pullBufGo(buf, in) }

func (st *SecretstreamState) rekey() { st.rekeyGo() }

func (st *SecretstreamState) successor(next *SecretstreamState, in []byte) byte {
	return st.successorGo(next, in)
}
