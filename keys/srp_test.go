package keys_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"testing"

	srp "github.com/ente-io/go-srp"

	"github.com/e2eekit/e2ee/internal/redacttest"
	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
)

// srpServer plays museum's side with go-srp, as museum's
// server/pkg/controller/user/srp.go does: a server from the verifier and
// a random b, A set, B sent, M1 checked.
func srpServer(t *testing.T, verifier, a []byte) (*srp.SRPServer, []byte) {
	t.Helper()
	sv := srp.NewServer(srp.GetParams(4096), verifier, srp.GenKey())
	sv.SetA(a)
	return sv, sv.ComputeB()
}

// setupExchange runs NewSRPSetup's exchange against go-srp's server up to
// the server's M2, which it returns unchecked with the session.
func setupExchange(t *testing.T, kek *keys.KEK) (*keys.SRPSetup, *keys.SRPSession, []byte) {
	t.Helper()
	setup, s, err := keys.NewSRPSetup(kek)
	if err != nil {
		t.Fatal(err)
	}
	sv, b := srpServer(t, setup.Verifier, s.A())
	m1, err := s.M1(b)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := sv.CheckM1(m1)
	if err != nil {
		t.Fatalf("the server refuses M1: %v", err)
	}
	return setup, s, m2
}

// TestSRPAgainstGoSRPServer signs up and signs in against go-srp's server
// role: the session's M1 convinces it, its M2 convinces the session, and
// the KEK handed over unlocks the account.
func TestSRPAgainstGoSRPServer(t *testing.T) {
	acc := signUp(t)
	setup, s, err := keys.NewSRPSetup(acc.secrets.KEK())
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(setup.UserID) {
		t.Errorf("srpUserID %q is not a version 4 UUID", setup.UserID)
	}
	if len(setup.Salt) != keys.SRPSaltSize || len(setup.Verifier) != keys.SRPValueSize {
		t.Fatalf("salt %d bytes, verifier %d bytes", len(setup.Salt), len(setup.Verifier))
	}
	v, err := keys.SRPVerifier(acc.secrets.KEK(), setup.UserID, setup.Salt)
	if err != nil || !bytes.Equal(v, setup.Verifier) {
		t.Fatalf("SRPVerifier differs from the setup's verifier (err %v)", err)
	}
	body, err := json.Marshal(setup)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{`"srpUserID"`, `"srpSalt"`, `"srpVerifier"`} {
		if !bytes.Contains(body, []byte(name)) {
			t.Errorf("setup JSON %s has no %s", body, name)
		}
	}

	// The setup exchange, then a sign-in on a "second device" from the
	// password alone.
	for _, phase := range []string{"setup", "sign-in"} {
		if phase == "sign-in" {
			kek, err := keys.DeriveKEK(password, acc.attrs, pwhash.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if s, err = keys.NewSRPSession(kek, setup.UserID, setup.Salt); err != nil {
				t.Fatal(err)
			}
			kek.Destroy()
		}
		a := s.A()
		if len(a) != keys.SRPValueSize {
			t.Fatalf("%s: A is %d bytes", phase, len(a))
		}
		sv, b := srpServer(t, setup.Verifier, a)
		m1, err := s.M1(b)
		if err != nil {
			t.Fatalf("%s: M1: %v", phase, err)
		}
		m2, err := sv.CheckM1(m1)
		if err != nil {
			t.Fatalf("%s: the server refuses M1: %v", phase, err)
		}
		kek, err := s.Verify(m2)
		if err != nil {
			t.Fatalf("%s: Verify: %v", phase, err)
		}
		sec, err := keys.Unlock(kek, acc.attrs)
		if err != nil {
			t.Fatalf("%s: the KEK from Verify does not unlock: %v", phase, err)
		}
		sec.Destroy()
		kek.Destroy()
	}
}

// TestSRPWrongPassword: a session from another password's KEK does not
// convince the server.
func TestSRPWrongPassword(t *testing.T) {
	acc := signUp(t)
	setup, _, err := keys.NewSRPSetup(acc.secrets.KEK())
	if err != nil {
		t.Fatal(err)
	}
	wrong, err := keys.DeriveKEK([]byte("wrong password"), acc.attrs, pwhash.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	s, err := keys.NewSRPSession(wrong, setup.UserID, setup.Salt)
	if err != nil {
		t.Fatal(err)
	}
	sv, b := srpServer(t, setup.Verifier, s.A())
	m1, err := s.M1(b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sv.CheckM1(m1); err == nil {
		t.Fatal("the server accepted M1 from a wrong password")
	}
}

// TestSRPBadB feeds unusable B values: each is refused with ErrInvalidSRPB
// (go-srp alone panics on the out-of-range ones) and ends the session.
func TestSRPBadB(t *testing.T) {
	acc := signUp(t)
	n := srp.GetParams(4096).N
	pad := func(x *big.Int) []byte { return x.FillBytes(make([]byte, keys.SRPValueSize)) }
	one := big.NewInt(1)
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"511 bytes", make([]byte, 511)},
		{"513 bytes", append([]byte{0}, pad(one)...)},
		{"zero", make([]byte, keys.SRPValueSize)},
		{"N", pad(n)},
		{"N+1", pad(new(big.Int).Add(n, one))},
		{"all ones", bytes.Repeat([]byte{0xff}, keys.SRPValueSize)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, s, err := keys.NewSRPSetup(acc.secrets.KEK())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.M1(tc.b); !errors.Is(err, keys.ErrInvalidSRPB) {
				t.Fatalf("M1: %v, want ErrInvalidSRPB", err)
			}
			if _, err := s.M1(pad(one)); !errors.Is(err, keys.ErrSRPSession) {
				t.Errorf("M1 after a bad B: %v, want ErrSRPSession", err)
			}
		})
	}
	// The edges of the range are accepted: 1 and N-1.
	for _, b := range []*big.Int{one, new(big.Int).Sub(n, one)} {
		_, s, err := keys.NewSRPSetup(acc.secrets.KEK())
		if err != nil {
			t.Fatal(err)
		}
		if m1, err := s.M1(pad(b)); err != nil || len(m1) != keys.SRPProofSize {
			t.Errorf("B = %v…: M1 of %d bytes, %v", b.Text(16)[:4], len(m1), err)
		}
	}
}

// TestSRPWrongM2: a wrong, short or missing M2 is ErrSRPServerProof and
// ends the session; no KEK is handed over.
func TestSRPWrongM2(t *testing.T) {
	acc := signUp(t)
	for _, tc := range []struct {
		name string
		edit func(m2 []byte) []byte
	}{
		{"flipped bit", func(m2 []byte) []byte { m2[31] ^= 1; return m2 }},
		{"short", func(m2 []byte) []byte { return m2[:31] }},
		{"long", func(m2 []byte) []byte { return append(m2, 0) }},
		{"empty", func([]byte) []byte { return nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, s, m2 := setupExchange(t, acc.secrets.KEK())
			kek, err := s.Verify(tc.edit(bytes.Clone(m2)))
			if !errors.Is(err, keys.ErrSRPServerProof) || kek != nil {
				t.Fatalf("Verify: %v, %v; want ErrSRPServerProof and no KEK", kek, err)
			}
			if _, err := s.Verify(m2); !errors.Is(err, keys.ErrSRPSession) {
				t.Errorf("Verify after a failure: %v, want ErrSRPSession", err)
			}
		})
	}
}

// TestSRPOutOfOrder: Verify before M1, M1 twice, anything after Destroy.
func TestSRPOutOfOrder(t *testing.T) {
	acc := signUp(t)
	setup, s, err := keys.NewSRPSetup(acc.secrets.KEK())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Verify(make([]byte, 32)); !errors.Is(err, keys.ErrSRPSession) {
		t.Errorf("Verify before M1: %v", err)
	}
	_, b := srpServer(t, setup.Verifier, s.A())
	if _, err := s.M1(b); err != nil {
		t.Fatal(err)
	}
	if _, err := s.M1(b); !errors.Is(err, keys.ErrSRPSession) {
		t.Errorf("M1 twice: %v", err)
	}
	s.Destroy()
	if _, err := s.Verify(make([]byte, 32)); !errors.Is(err, keys.ErrSRPSession) {
		t.Errorf("Verify after Destroy: %v", err)
	}
	if _, _, err := keys.NewSRPSetup(nil); !errors.Is(err, keys.ErrSRPSession) {
		t.Errorf("NewSRPSetup(nil): %v", err)
	}
	for _, tc := range []struct {
		id   string
		salt []byte
	}{{"", []byte{1}}, {"id", nil}, {strings.Repeat("x", 257), []byte{1}}} {
		if _, err := keys.NewSRPSession(acc.secrets.KEK(), tc.id, tc.salt); !errors.Is(err, keys.ErrInvalidSRPParams) {
			t.Errorf("NewSRPSession(%d-byte ID, %d-byte salt): %v", len(tc.id), len(tc.salt), err)
		}
	}
}

// TestParseSRPAttributes reads GET /users/srp/attributes's object strictly.
func TestParseSRPAttributes(t *testing.T) {
	good := `{"srpUserID":"5b7bd4e2-2b2b-4f4e-9d0b-6a1f0c3e8d11","srpSalt":"AAECAwQFBgcICQoLDA0ODw==",` +
		`"memLimit":268435456,"opsLimit":16,"kekSalt":"AAECAwQFBgcICQoLDA0ODw==","isEmailMFAEnabled":false}`
	a, err := keys.ParseSRPAttributes([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if a.UserID != "5b7bd4e2-2b2b-4f4e-9d0b-6a1f0c3e8d11" || len(a.Salt) != 16 || a.Salt[15] != 15 ||
		a.Params() != (pwhash.Params{OpsLimit: 16, MemLimit: 256 << 20}) || a.IsEmailMFAEnabled {
		t.Errorf("parsed %+v", a)
	}
	for _, tc := range []struct{ name, json string }{
		{"missing srpSalt", strings.Replace(good, `"srpSalt"`, `"srpSalx"`, 1)},
		{"unpadded base64", strings.Replace(good, `"AAECAwQFBgcICQoLDA0ODw=="`, `"AAECAwQFBgcICQoLDA0ODw"`, 1)},
		{"duplicate", strings.Replace(good, `{`, `{"srpUserID":"x",`, 1)},
		{"ops below minimum", strings.Replace(good, `"opsLimit":16`, `"opsLimit":0`, 1)},
		{"not an object", `[]`},
	} {
		if _, err := keys.ParseSRPAttributes([]byte(tc.json)); !errors.Is(err, keys.ErrInvalidAttributes) {
			t.Errorf("%s: %v, want ErrInvalidAttributes", tc.name, err)
		}
	}
}

// TestSRPSessionRedacted: a session holds the KEK and go-srp's secrets;
// none shows under any verb, in slog or an encoder.
func TestSRPSessionRedacted(t *testing.T) {
	acc := signUp(t)
	kek := acc.secrets.KEK()
	_, s, err := keys.NewSRPSetup(kek)
	if err != nil {
		t.Fatal(err)
	}
	redacttest.Check(t, *s, kek.Bytes())
	redacttest.Check(t, s, kek.Bytes())
	if got := fmt.Sprint(s); got != "keys.SRPSession(REDACTED)" {
		t.Errorf("prints %q", got)
	}
}

// TestSRPAfterChangePassword: a password change gives a new KEK; its SRP
// setup (a new salt and verifier) signs in with the new password, and the
// old password's KEK no longer opens the updated attributes.
func TestSRPAfterChangePassword(t *testing.T) {
	acc := signUp(t)
	newPassword := []byte("a new password")
	changed, err := acc.secrets.ChangePassword(newPassword, cheap)
	if err != nil {
		t.Fatal(err)
	}
	setup, s, m2 := setupExchange(t, acc.secrets.KEK())
	if _, err := s.Verify(m2); err != nil {
		t.Fatal(err)
	}
	acc.attrs.SetPassword(changed)
	kek, err := keys.DeriveKEK(newPassword, acc.attrs, pwhash.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := keys.SRPVerifier(kek, setup.UserID, setup.Salt); err != nil || !bytes.Equal(v, setup.Verifier) {
		t.Errorf("the new password's verifier differs (err %v)", err)
	}
	old, err := keys.DeriveKEK(password, acc.attrs, pwhash.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keys.Unlock(old, acc.attrs); !errors.Is(err, keys.ErrIncorrectPassword) {
		t.Errorf("the old password unlocks the changed attributes: %v", err)
	}
}

// TestSRPErrorsQuoteNoSecret: the failing paths of a session name what is
// wrong without the KEK, the login key or the proofs.
func TestSRPErrorsQuoteNoSecret(t *testing.T) {
	acc := signUp(t)
	kek := acc.secrets.KEK()
	setup, s, m2 := setupExchange(t, kek)
	_, wrongM2 := s.Verify(append(bytes.Clone(m2[:31]), m2[31]^1))
	s2, err := keys.NewSRPSession(kek, setup.UserID, setup.Salt)
	if err != nil {
		t.Fatal(err)
	}
	_, badB := s2.M1(bytes.Repeat([]byte{0xff}, keys.SRPValueSize))
	_, late := s2.M1(make([]byte, keys.SRPValueSize))
	redacttest.CheckErrors(t, []error{wrongM2, badB, late}, map[string][]byte{
		"KEK": kek.Bytes(), "login key": keys.LoginKey(kek), "M2": m2,
	})
}
