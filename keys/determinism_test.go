package keys_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"testing/cryptotest"

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
		if err != nil {
			t.Fatal(err)
		}
		attrs, _ := json.Marshal(a)
		ak, env := keys.NewAuthKey(s.MasterKey())
		e, err := keys.SealAuthEntity(totp, ak)
		if err != nil {
			t.Fatal(err)
		}
		vt, err := keys.SealVaultToken(totp, nil, ak)
		if err != nil {
			t.Fatal(err)
		}
		shared, err := keys.ShareCollectionKey(secret.GenerateKey(), s.PublicKey())
		if err != nil {
			t.Fatal(err)
		}
		export, err := keys.EncryptExport([]string{totp}, password, cheap)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal([]any{json.RawMessage(attrs), rk.Mnemonic(), env, e, vt, keys.Ciphertext(shared), json.RawMessage(export)})
		return out
	}
	a, b, c := run(1), run(1), run(2)
	if !bytes.Equal(a, b) {
		t.Fatal("the same seed gave different outputs: some randomness bypasses crypto/rand")
	}
	if bytes.Equal(a, c) {
		t.Fatal("another seed gave the same outputs")
	}
}
