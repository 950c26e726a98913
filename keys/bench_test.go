package keys_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/secret"
)

// BenchmarkUnlock is sign-in after the KEK: two secretbox opens and one
// X25519 base-point multiplication.
func BenchmarkUnlock(b *testing.B) {
	acc := signUp(b)
	kek := acc.secrets.KEK()
	b.ReportAllocs()
	for b.Loop() {
		s, err := keys.Unlock(kek, acc.attrs)
		require.NoError(b, err)
		s.Destroy()
	}
}

// BenchmarkGenerateMinCost is sign-up with Argon2id at its minimum, i.e.
// everything but the password hashing.
func BenchmarkGenerateMinCost(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _, _, err := keys.Generate(password, cheap)
		require.NoError(b, err)
	}
}

func BenchmarkParseRecoveryKey(b *testing.B) {
	phrase := bip39Vectors[5].phrase
	b.ReportAllocs()
	for b.Loop() {
		_, err := keys.ParseRecoveryKey(phrase)
		require.NoError(b, err)
	}
}

func BenchmarkOpenAuthEntity(b *testing.B) {
	ak := secret.GenerateKey()
	e, err := keys.SealAuthEntity(totp, ak)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		_, err := keys.OpenAuthEntity(e, ak)
		require.NoError(b, err)
	}
}

// BenchmarkDecryptExportMinCost reads a one-token export whose params are
// Argon2id's minimum.
func BenchmarkDecryptExportMinCost(b *testing.B) {
	file, err := keys.EncryptExport([]string{totp}, password, cheap)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		_, err := keys.DecryptExport(file, password, pwhash.DefaultLimits)
		require.NoError(b, err)
	}
}
