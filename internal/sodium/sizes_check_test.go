package sodium_test

import (
	"bytes"
	"testing"

	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLengthChecks calls every exported function with buffers or
// parameters out of range: each must return an error instead of reaching C.
func TestLengthChecks(t *testing.T) {
	sodium.ForEachBackend(t, func(t *testing.T) {
		var key [32]byte
		var nonce [24]byte
		var salt [16]byte
		kdf := func(_ []byte, err error) error { return err }
		for _, tt := range []struct {
			name      string
			err, want error
		}{
			{"SecretboxEasy short out", sodium.SecretboxEasy(make([]byte, 16), []byte{1}, &nonce, &key), sodium.ErrSize},
			{"SecretboxEasy long out", sodium.SecretboxEasy(make([]byte, 18), []byte{1}, &nonce, &key), sodium.ErrSize},
			{"SecretboxEasy nil out", sodium.SecretboxEasy(nil, nil, &nonce, &key), sodium.ErrSize},
			{"SecretboxOpenEasy short box", sodium.SecretboxOpenEasy(nil, make([]byte, 15), &nonce, &key), sodium.ErrSize},
			{"SecretboxOpenEasy wrong out", sodium.SecretboxOpenEasy(make([]byte, 2), make([]byte, 17), &nonce, &key), sodium.ErrSize},
			{"SecretboxOpenEasy forged", sodium.SecretboxOpenEasy(make([]byte, 1), make([]byte, 17), &nonce, &key), sodium.ErrForged},
			{"BoxSeal wrong out", sodium.BoxSeal(make([]byte, 48), []byte{1}, &key, &key), sodium.ErrSize},
			{"BoxSeal zero public key", sodium.BoxSeal(make([]byte, 49), []byte{1}, &key, &key), sodium.ErrForged},
			{"BoxSealOpen short box", sodium.BoxSealOpen(nil, make([]byte, 47), &key, &key), sodium.ErrSize},
			{"BoxSealOpen wrong out", sodium.BoxSealOpen(make([]byte, 1), make([]byte, 48), &key, &key), sodium.ErrSize},
			{"BoxSealOpen forged", sodium.BoxSealOpen(nil, make([]byte, 48), &key, &key), sodium.ErrForged},
			{"KDF context short", kdf(sodium.KDFDeriveFromKey(32, 1, "short", &key)), sodium.ErrSize},
			{"KDF context long", kdf(sodium.KDFDeriveFromKey(32, 1, "too long!", &key)), sodium.ErrSize},
			{"KDF subkey too short", kdf(sodium.KDFDeriveFromKey(15, 1, "loginctx", &key)), sodium.ErrSize},
			{"KDF subkey too long", kdf(sodium.KDFDeriveFromKey(65, 1, "loginctx", &key)), sodium.ErrSize},
			{"Pwhash short out", sodium.Pwhash(make([]byte, 15), nil, &salt, 1, 8192), sodium.ErrPwhash},
			{"Pwhash ops 0", sodium.Pwhash(make([]byte, 32), nil, &salt, 0, 8192), sodium.ErrPwhash},
			{"Pwhash mem below min", sodium.Pwhash(make([]byte, 32), nil, &salt, 1, 8191), sodium.ErrPwhash},
			{"Pwhash ops above 32 bits", sodium.Pwhash(make([]byte, 32), nil, &salt, 1<<32, 8192), sodium.ErrPwhash},
			{"Pwhash mem above libsodium's max", sodium.Pwhash(make([]byte, 32), nil, &salt, 1, 1<<62), sodium.ErrNoMemory},
		} {
			assert.ErrorIs(t, tt.err, tt.want, tt.name)
		}
	})
}

func TestKDF(t *testing.T) {
	sodium.ForEachBackend(t, func(t *testing.T) {
		var key [32]byte
		key[0] = 1
		a, err := sodium.KDFDeriveFromKey(32, 1, "loginctx", &key)
		require.NoError(t, err)
		// Subkeys are key material: lengths and bytes.Equal, never a diff.
		require.Equal(t, 32, len(a))
		b, _ := sodium.KDFDeriveFromKey(32, 2, "loginctx", &key)
		c, _ := sodium.KDFDeriveFromKey(32, 1, "otherctx", &key)
		d, _ := sodium.KDFDeriveFromKey(16, 1, "loginctx", &key)
		assert.False(t, bytes.Equal(a, b) || bytes.Equal(a, c), "id or context does not change the subkey")
		// The length is a BLAKE2b parameter: a shorter subkey is not a prefix.
		assert.Equal(t, 16, len(d), "16-byte subkey")
		assert.False(t, bytes.Equal(d, a[:16]), "the 16-byte subkey is a prefix of the 32-byte one")
	})
}
