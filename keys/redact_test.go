package keys_test

import (
	"errors"
	"fmt"
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
	tok, err := keys.OpenToken(serverToken(t, []byte("0123456789abcdef0123456789abcdef"), s.PublicKey()), s)
	if err != nil {
		t.Fatal(err)
	}
	mk, kek, rk := s.MasterKey(), s.KEK(), acc.rk
	for _, tc := range []struct {
		name   string
		check  func(t *testing.T, secret []byte)
		secret []byte
		text   string
	}{
		{"MasterKey", func(t *testing.T, b []byte) { redacttest.Check(t, *mk, b); redacttest.Check(t, mk, b) }, mk.Bytes(), "keys.MasterKey(REDACTED)"},
		{"KEK", func(t *testing.T, b []byte) { redacttest.Check(t, *kek, b); redacttest.Check(t, kek, b) }, kek.Bytes(), "keys.KEK(REDACTED)"},
		{"RecoveryKey", func(t *testing.T, b []byte) { redacttest.Check(t, *rk, b); redacttest.Check(t, rk, b) }, rk.Bytes(), "keys.RecoveryKey(REDACTED)"},
		{"Secrets/master key", func(t *testing.T, b []byte) { redacttest.Check(t, *s, b); redacttest.Check(t, s, b) }, mk.Bytes(), "keys.Secrets(REDACTED)"},
		{"Secrets/private key", func(t *testing.T, b []byte) { redacttest.Check(t, *s, b); redacttest.Check(t, s, b) }, s.PrivateKey().Bytes(), "keys.Secrets(REDACTED)"},
		{"Secrets/KEK", func(t *testing.T, b []byte) { redacttest.Check(t, *s, b) }, kek.Bytes(), "keys.Secrets(REDACTED)"},
		{"AuthToken", func(t *testing.T, b []byte) { redacttest.Check(t, *tok, b); redacttest.Check(t, tok, b) }, []byte("0123456789abcdef0123456789abcdef"), "keys.AuthToken(REDACTED)"},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, tc.secret) })
		var v any
		switch tc.name {
		case "MasterKey":
			v = mk
		case "KEK":
			v = kek
		case "RecoveryKey":
			v = rk
		case "AuthToken":
			v = tok
		default:
			v = s
		}
		if got := fmt.Sprint(v); got != tc.text {
			t.Errorf("%s prints %q, want %q", tc.name, got, tc.text)
		}
	}
	// The mnemonic and hex forms are the key too.
	for _, text := range []string{fmt.Sprintf("%v %+v %#v %s", rk, *rk, rk, rk)} {
		if redacttest.Leak(text, []byte(rk.Hex())) != "" || redacttest.Leak(text, []byte(rk.Mnemonic()[:20])) != "" {
			t.Fatalf("recovery key text leaks: %s", text)
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
		if !errors.Is(err, keys.ErrIncorrectPassword) && !errors.Is(err, keys.ErrInvalidRecoveryKey) && err.Error()[:5] != "keys:" {
			t.Errorf("error %q does not start with the package name", err)
		}
	}
}
