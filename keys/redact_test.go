package keys_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/redacttest"
	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/secret"
)

// TestRedaction runs every secret-bearing type of the package through
// every fmt verb, structs holding it, slog and the encoders, by value and
// by pointer, searching the output for the secret bytes.
func TestRedaction(t *testing.T) {
	acc := signUp(t)
	s := acc.secrets
	tokenBytes := []byte("0123456789abcdef0123456789abcdef")
	tok, err := keys.OpenToken(serverToken(t, tokenBytes, s.PublicKey()), s)
	require.NoError(t, err)
	mk, kek, rk := s.MasterKey(), s.KEK(), acc.rk
	for _, tc := range []struct {
		name   string
		v      any // printed with %v, must give text
		text   string
		check  func(t *testing.T, secret []byte) // redacttest.Check by value and by pointer
		secret []byte
	}{
		{"MasterKey", mk, "keys.MasterKey(REDACTED)",
			func(t *testing.T, b []byte) { redacttest.Check(t, *mk, b); redacttest.Check(t, mk, b) }, mk.Bytes()},
		{"KEK", kek, "keys.KEK(REDACTED)",
			func(t *testing.T, b []byte) { redacttest.Check(t, *kek, b); redacttest.Check(t, kek, b) }, kek.Bytes()},
		{"RecoveryKey", rk, "keys.RecoveryKey(REDACTED)",
			func(t *testing.T, b []byte) { redacttest.Check(t, *rk, b); redacttest.Check(t, rk, b) }, rk.Bytes()},
		{"AuthToken", tok, "keys.AuthToken(REDACTED)",
			func(t *testing.T, b []byte) { redacttest.Check(t, *tok, b); redacttest.Check(t, tok, b) }, tokenBytes},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, tc.secret)
			assert.Equal(t, tc.text, fmt.Sprint(tc.v), "prints")
		})
	}
	// Secrets hold three secrets: none may show.
	for name, b := range map[string][]byte{"master key": mk.Bytes(), "private key": s.PrivateKey().Bytes(), "KEK": kek.Bytes()} {
		t.Run("Secrets/"+name, func(t *testing.T) {
			redacttest.Check(t, *s, b)
			redacttest.Check(t, s, b)
		})
	}
	assert.Equal(t, "keys.Secrets(REDACTED)", fmt.Sprint(s), "Secrets print")
	// The mnemonic is the key too: its words do not go to testify's Contains.
	text := fmt.Sprintf("%v %+v %#v %s %q", rk, *rk, rk, rk, rk)
	for _, w := range strings.Fields(rk.Mnemonic())[:3] {
		require.False(t, strings.Contains(text, w+" "), "recovery key prints its mnemonic: %s", text)
	}
}

// TestErrorsCarryNoSecrets drives known keys through failing paths and
// searches the error text for them.
func TestErrorsCarryNoSecrets(t *testing.T) {
	acc := signUp(t)
	other := signUp(t)
	secrets := [][]byte{acc.secrets.MasterKey().Bytes(), acc.rk.Bytes(), other.rk.Bytes(), other.secrets.KEK().Bytes(), acc.secrets.KEK().Bytes()}
	var errs []error
	_, err := keys.Unlock(other.secrets.KEK(), acc.attrs)
	errs = append(errs, err)
	_, err = keys.UnlockWithRecoveryKey(other.rk, acc.attrs)
	errs = append(errs, err)
	_, err = keys.ParseRecoveryKey(acc.rk.Hex()[:63])
	errs = append(errs, err)
	_, err = keys.ParseRecoveryKey(acc.rk.Mnemonic() + " zoo")
	errs = append(errs, err)
	_, err = keys.OpenCollectionKey(keys.WrapCollectionKey(secret.GenerateKey(), acc.secrets.MasterKey()), other.secrets.MasterKey())
	errs = append(errs, err)
	for _, err := range errs {
		require.Error(t, err, "a failing path succeeded")
		for _, s := range secrets {
			assert.Empty(t, redacttest.Leak(err.Error(), s), "error %q shows a secret", err)
		}
		assert.True(t, strings.HasPrefix(err.Error(), "keys: "), "error %q does not start with the package name", err)
	}
}
