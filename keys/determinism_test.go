package keys_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"testing/cryptotest"

	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/secret"
)

// TestRandomnessFromGo checks that every random byte of a sign-up, an Auth
// entity and an export comes from crypto/rand (none from libsodium's
// randombytes): under a fixed cryptotest seed the outputs repeat exactly,
// and another seed changes them. That is what lets conformance vectors fix
// the randomness.
func TestRandomnessFromGo(t *testing.T) {
	run := func(seed uint64) []byte {
		cryptotest.SetGlobalRandom(t, seed)
		a, s, rk, err := keys.Generate(password, cheap)
		require.NoError(t, err)
		attrs, _ := json.Marshal(a)
		ak, env := keys.NewAuthKey(s.MasterKey())
		e, err := keys.SealAuthEntity(totp, ak)
		require.NoError(t, err)
		vt, err := keys.SealVaultToken(totp, nil, ak)
		require.NoError(t, err)
		shared, err := keys.ShareCollectionKey(secret.GenerateKey(), s.PublicKey())
		require.NoError(t, err)
		export, err := keys.EncryptExport([]string{totp}, password, cheap)
		require.NoError(t, err)
		out, _ := json.Marshal([]any{json.RawMessage(attrs), rk.Mnemonic(), env, e, vt, keys.Ciphertext(shared), json.RawMessage(export)})
		return out
	}
	a, b, c := run(1), run(1), run(2)
	require.True(t, bytes.Equal(a, b), "the same seed gave different outputs: some randomness bypasses crypto/rand")
	require.False(t, bytes.Equal(a, c), "another seed gave the same outputs")
}
