package keys_test

import (
	"fmt"
	"strings"
	"testing"

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
	if err != nil {
		t.Fatal(err)
	}
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
			if got := fmt.Sprint(tc.v); got != tc.text {
				t.Errorf("prints %q, want %q", got, tc.text)
			}
		})
	}
	// Secrets hold three secrets: none may show.
	for name, b := range map[string][]byte{"master key": mk.Bytes(), "private key": s.PrivateKey().Bytes(), "KEK": kek.Bytes()} {
		t.Run("Secrets/"+name, func(t *testing.T) {
			redacttest.Check(t, *s, b)
			redacttest.Check(t, s, b)
		})
	}
	if got := fmt.Sprint(s); got != "keys.Secrets(REDACTED)" {
		t.Errorf("Secrets print %q", got)
	}
	// The mnemonic is the key too.
	text := fmt.Sprintf("%v %+v %#v %s %q", rk, *rk, rk, rk, rk)
	for _, w := range strings.Fields(rk.Mnemonic())[:3] {
		if strings.Contains(text, w+" ") {
			t.Fatalf("recovery key prints its mnemonic: %s", text)
		}
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
		if err == nil {
			t.Fatal("a failing path succeeded")
		}
		for _, s := range secrets {
			if l := redacttest.Leak(err.Error(), s); l != "" {
				t.Errorf("error %q shows a secret (%s)", err, l)
			}
		}
		if !strings.HasPrefix(err.Error(), "keys: ") {
			t.Errorf("error %q does not start with the package name", err)
		}
	}
}
