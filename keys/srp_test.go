package keys_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"testing"

	srp "github.com/ente-io/go-srp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	require.NoError(t, err)
	sv, b := srpServer(t, setup.Verifier, s.A())
	m1, err := s.M1(b)
	require.NoError(t, err)
	m2, err := sv.CheckM1(m1)
	require.NoError(t, err, "the server refuses M1")
	return setup, s, m2
}

// TestSRPAgainstGoSRPServer signs up and signs in against go-srp's server
// role: the session's M1 convinces it, its M2 convinces the session, and
// the KEK handed over unlocks the account.
func TestSRPAgainstGoSRPServer(t *testing.T) {
	acc := signUp(t)
	setup, s, err := keys.NewSRPSetup(acc.secrets.KEK())
	require.NoError(t, err)
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, setup.UserID,
		"srpUserID is not a version 4 UUID")
	require.Len(t, setup.Salt, keys.SRPSaltSize, "salt")
	require.Len(t, setup.Verifier, keys.SRPValueSize, "verifier")
	v, err := keys.SRPVerifier(acc.secrets.KEK(), setup.UserID, setup.Salt)
	require.NoError(t, err, "SRPVerifier")
	require.Equal(t, setup.Verifier, v, "SRPVerifier differs from the setup's verifier")
	body, err := json.Marshal(setup)
	require.NoError(t, err)
	for _, name := range []string{`"srpUserID"`, `"srpSalt"`, `"srpVerifier"`} {
		assert.Contains(t, string(body), name, "setup JSON")
	}

	// The setup exchange, then a sign-in on a "second device" from the
	// password alone.
	for _, phase := range []string{"setup", "sign-in"} {
		if phase == "sign-in" {
			kek, err := keys.DeriveKEK(password, acc.attrs, pwhash.DefaultLimits)
			require.NoError(t, err)
			s, err = keys.NewSRPSession(kek, setup.UserID, setup.Salt)
			require.NoError(t, err)
			kek.Destroy()
		}
		a := s.A()
		require.Len(t, a, keys.SRPValueSize, "%s: A", phase)
		sv, b := srpServer(t, setup.Verifier, a)
		m1, err := s.M1(b)
		require.NoError(t, err, "%s: M1", phase)
		m2, err := sv.CheckM1(m1)
		require.NoError(t, err, "%s: the server refuses M1", phase)
		kek, err := s.Verify(m2)
		require.NoError(t, err, "%s: Verify", phase)
		sec, err := keys.Unlock(kek, acc.attrs)
		require.NoError(t, err, "%s: the KEK from Verify does not unlock", phase)
		sec.Destroy()
		kek.Destroy()
	}
}

// TestSRPWrongPassword: a session from another password's KEK does not
// convince the server.
func TestSRPWrongPassword(t *testing.T) {
	acc := signUp(t)
	setup, _, err := keys.NewSRPSetup(acc.secrets.KEK())
	require.NoError(t, err)
	wrong, err := keys.DeriveKEK([]byte("wrong password"), acc.attrs, pwhash.DefaultLimits)
	require.NoError(t, err)
	s, err := keys.NewSRPSession(wrong, setup.UserID, setup.Salt)
	require.NoError(t, err)
	sv, b := srpServer(t, setup.Verifier, s.A())
	m1, err := s.M1(b)
	require.NoError(t, err)
	_, err = sv.CheckM1(m1)
	require.Error(t, err, "the server accepted M1 from a wrong password")
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
			require.NoError(t, err)
			_, err = s.M1(tc.b)
			require.ErrorIs(t, err, keys.ErrInvalidSRPB, "M1")
			_, err = s.M1(pad(one))
			assert.ErrorIs(t, err, keys.ErrSRPSession, "M1 after a bad B")
		})
	}
	// The edges of the range are accepted: 1 and N-1.
	for _, b := range []*big.Int{one, new(big.Int).Sub(n, one)} {
		_, s, err := keys.NewSRPSetup(acc.secrets.KEK())
		require.NoError(t, err)
		m1, err := s.M1(pad(b))
		h := b.Text(16)
		h = h[:min(4, len(h))] // the messages' arguments are built on success too
		assert.NoError(t, err, "B = %v…: M1", h)
		assert.Equal(t, keys.SRPProofSize, len(m1), "B = %v…: M1 bytes", h) // a proof: no diff of its bytes
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
			require.ErrorIs(t, err, keys.ErrSRPServerProof, "Verify")
			require.Nil(t, kek, "Verify: want no KEK")
			_, err = s.Verify(m2)
			assert.ErrorIs(t, err, keys.ErrSRPSession, "Verify after a failure")
		})
	}
}

// TestSRPOutOfOrder: Verify before M1, M1 twice, anything after Destroy.
func TestSRPOutOfOrder(t *testing.T) {
	acc := signUp(t)
	setup, s, err := keys.NewSRPSetup(acc.secrets.KEK())
	require.NoError(t, err)
	_, err = s.Verify(make([]byte, 32))
	assert.ErrorIs(t, err, keys.ErrSRPSession, "Verify before M1")
	_, b := srpServer(t, setup.Verifier, s.A())
	_, err = s.M1(b)
	require.NoError(t, err)
	_, err = s.M1(b)
	assert.ErrorIs(t, err, keys.ErrSRPSession, "M1 twice")
	s.Destroy()
	_, err = s.Verify(make([]byte, 32))
	assert.ErrorIs(t, err, keys.ErrSRPSession, "Verify after Destroy")
	_, _, err = keys.NewSRPSetup(nil)
	assert.ErrorIs(t, err, keys.ErrSRPSession, "NewSRPSetup(nil)")
	for _, tc := range []struct {
		id   string
		salt []byte
	}{{"", []byte{1}}, {"id", nil}, {strings.Repeat("x", 257), []byte{1}}} {
		_, err := keys.NewSRPSession(acc.secrets.KEK(), tc.id, tc.salt)
		assert.ErrorIs(t, err, keys.ErrInvalidSRPParams, "NewSRPSession(%d-byte ID, %d-byte salt)", len(tc.id), len(tc.salt))
	}
}

// TestParseSRPAttributes reads GET /users/srp/attributes's object strictly.
func TestParseSRPAttributes(t *testing.T) {
	good := `{"srpUserID":"5b7bd4e2-2b2b-4f4e-9d0b-6a1f0c3e8d11","srpSalt":"AAECAwQFBgcICQoLDA0ODw==",` +
		`"memLimit":268435456,"opsLimit":16,"kekSalt":"AAECAwQFBgcICQoLDA0ODw==","isEmailMFAEnabled":false}`
	a, err := keys.ParseSRPAttributes([]byte(good))
	require.NoError(t, err)
	assert.Equal(t, "5b7bd4e2-2b2b-4f4e-9d0b-6a1f0c3e8d11", a.UserID, "parsed %+v", a)
	if assert.Len(t, a.Salt, 16, "parsed %+v", a) {
		assert.Equal(t, byte(15), a.Salt[15], "parsed %+v", a)
	}
	assert.Equal(t, pwhash.Params{OpsLimit: 16, MemLimit: 256 << 20}, a.Params(), "parsed %+v", a)
	assert.False(t, a.IsEmailMFAEnabled, "parsed %+v", a)
	for _, tc := range []struct{ name, json string }{
		{"missing srpSalt", strings.Replace(good, `"srpSalt"`, `"srpSalx"`, 1)},
		{"unpadded base64", strings.Replace(good, `"AAECAwQFBgcICQoLDA0ODw=="`, `"AAECAwQFBgcICQoLDA0ODw"`, 1)},
		{"duplicate", strings.Replace(good, `{`, `{"srpUserID":"x",`, 1)},
		{"ops below minimum", strings.Replace(good, `"opsLimit":16`, `"opsLimit":0`, 1)},
		{"not an object", `[]`},
	} {
		_, err := keys.ParseSRPAttributes([]byte(tc.json))
		assert.ErrorIs(t, err, keys.ErrInvalidAttributes, tc.name)
	}
}

// TestSRPSessionRedacted: a session holds the KEK and go-srp's secrets;
// none shows under any verb, in slog or an encoder.
func TestSRPSessionRedacted(t *testing.T) {
	acc := signUp(t)
	kek := acc.secrets.KEK()
	_, s, err := keys.NewSRPSetup(kek)
	require.NoError(t, err)
	redacttest.Check(t, *s, kek.Bytes())
	redacttest.Check(t, s, kek.Bytes())
	assert.Equal(t, "keys.SRPSession(REDACTED)", fmt.Sprint(s), "prints")
}

// TestSRPAfterChangePassword: a password change gives a new KEK; its SRP
// setup (a new salt and verifier) signs in with the new password, and the
// old password's KEK no longer opens the updated attributes.
func TestSRPAfterChangePassword(t *testing.T) {
	acc := signUp(t)
	newPassword := []byte("a new password")
	changed, err := acc.secrets.ChangePassword(newPassword, cheap)
	require.NoError(t, err)
	setup, s, m2 := setupExchange(t, acc.secrets.KEK())
	_, err = s.Verify(m2)
	require.NoError(t, err)
	acc.attrs.SetPassword(changed)
	kek, err := keys.DeriveKEK(newPassword, acc.attrs, pwhash.DefaultLimits)
	require.NoError(t, err)
	v, err := keys.SRPVerifier(kek, setup.UserID, setup.Salt)
	assert.NoError(t, err, "the new password's verifier")
	assert.Equal(t, setup.Verifier, v, "the new password's verifier differs")
	old, err := keys.DeriveKEK(password, acc.attrs, pwhash.DefaultLimits)
	require.NoError(t, err)
	_, err = keys.Unlock(old, acc.attrs)
	assert.ErrorIs(t, err, keys.ErrIncorrectPassword, "the old password unlocks the changed attributes")
}

// TestSRPErrorsQuoteNoSecret: the failing paths of a session name what is
// wrong without the KEK, the login key or the proofs.
func TestSRPErrorsQuoteNoSecret(t *testing.T) {
	acc := signUp(t)
	kek := acc.secrets.KEK()
	setup, s, m2 := setupExchange(t, kek)
	_, wrongM2 := s.Verify(append(bytes.Clone(m2[:31]), m2[31]^1))
	s2, err := keys.NewSRPSession(kek, setup.UserID, setup.Salt)
	require.NoError(t, err)
	_, badB := s2.M1(bytes.Repeat([]byte{0xff}, keys.SRPValueSize))
	_, late := s2.M1(make([]byte, keys.SRPValueSize))
	redacttest.CheckErrors(t, []error{wrongM2, badB, late}, map[string][]byte{
		"KEK": kek.Bytes(), "login key": keys.LoginKey(kek), "M2": m2,
	})
}
