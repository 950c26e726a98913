//go:build integration

package museum_test

// SRP password sign-in on museum (issue 19): the account made by the
// signup phase sets up SRP from its KEK, a "second device" signs in with
// the e-mail and the password alone, a wrong password is refused at
// verify-session, and a password change moves the account to a new salt
// and verifier together with its five key attributes.

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/museum"
	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
)

const newPassword = "a brand new passphrase"

// srp runs the SRP phases in order.
func (s *suite) srp(t *testing.T) {
	for _, p := range []struct {
		name string
		run  func(*testing.T)
	}{
		{"setup", s.srpSetup},
		{"signin", func(t *testing.T) { s.srpSignInOK(t, password) }},
		{"wrong-password", func(t *testing.T) { s.srpSignInWrong(t, "not the password") }},
		{"change-password", s.srpChangePassword},
		{"signin-new", func(t *testing.T) { s.srpSignInOK(t, newPassword) }},
		{"signin-old", func(t *testing.T) { s.srpSignInWrong(t, password) }},
	} {
		require.True(t, t.Run(p.name, p.run), "phase %s failed; the next ones build on it", p.name)
	}
}

// srpSetup: POST /users/srp/setup with a verifier from the sign-up KEK and
// the setup session's A, then /users/srp/complete with M1; M2 checks.
func (s *suite) srpSetup(t *testing.T) {
	setup := s.setUpSRP(t, nil)
	t.Logf("SRP set up: srpUserID %s", setup.UserID)
}

// setUpSRP registers a new SRP user ID, salt and verifier for the
// account's current KEK: /users/srp/setup, then /users/srp/complete, or
// with changed (a password change) /users/srp/update carrying the five
// changed key attributes. Museum's M2 must check.
func (s *suite) setUpSRP(t *testing.T, changed *keys.PasswordAttributes) *keys.SRPSetup {
	t.Helper()
	ctx := t.Context()
	setup, sess, err := keys.NewSRPSetup(s.secrets.KEK())
	require.NoError(t, err)
	defer sess.Destroy()
	setupID, b, err := s.c.SetupSRP(ctx, setup.UserID, setup.Salt, setup.Verifier, sess.A())
	require.NoError(t, err)
	m1, err := sess.M1(b)
	require.NoError(t, err)
	var m2 []byte
	if changed == nil {
		m2, err = s.c.CompleteSRP(ctx, setupID, m1)
	} else {
		m2, err = s.c.UpdateSRP(ctx, setupID, m1, changed, false)
	}
	require.NoError(t, err)
	kek, err := sess.Verify(m2)
	require.NoError(t, err, "museum's M2")
	kek.Destroy()
	return setup
}

// srpSignIn signs in on a new device that knows the e-mail and the
// password and nothing else: GET /users/srp/attributes, the KEK by
// Argon2id with the stored params, create-session, verify-session, M2,
// then the key attributes and the token museum returned. A wrong password
// is museum's 401 at verify-session, reported as keys.ErrIncorrectPassword.
func (s *suite) srpSignIn(t *testing.T, pw string) (*museum.Client, *keys.Secrets, error) {
	ctx := t.Context()
	c, err := museum.New(s.api)
	if err != nil {
		return nil, nil, err
	}
	c.Logf = t.Logf
	raw, err := c.SRPAttributes(ctx, s.email)
	if err != nil {
		return nil, nil, err
	}
	sa, err := keys.ParseSRPAttributes(raw)
	if err != nil {
		return nil, nil, err
	}
	start := time.Now()
	kek, err := sa.DeriveKEK([]byte(pw), pwhash.DefaultLimits)
	if err != nil {
		return nil, nil, err
	}
	t.Logf("KEK derived (Argon2id %d MiB × %d) in %v", sa.MemLimit>>20, sa.OpsLimit, time.Since(start).Round(time.Millisecond))
	sess, err := keys.NewSRPSession(kek, sa.UserID, sa.Salt)
	kek.Destroy()
	if err != nil {
		return nil, nil, err
	}
	defer sess.Destroy()
	sessionID, b, err := c.CreateSRPSession(ctx, sa.UserID, sess.A())
	if err != nil {
		return nil, nil, err
	}
	m1, err := sess.M1(b)
	if err != nil {
		return nil, nil, err
	}
	v, m2, err := c.VerifySRPSession(ctx, sessionID, sa.UserID, m1)
	if museum.IsStatus(err, http.StatusUnauthorized) {
		return nil, nil, fmt.Errorf("%w (%w)", keys.ErrIncorrectPassword, err)
	}
	if err != nil {
		return nil, nil, err
	}
	kek, err = sess.Verify(m2)
	if err != nil {
		return nil, nil, err
	}
	defer kek.Destroy()
	if v.TwoFactorSessionID != "" || v.PasskeySessionID != "" {
		return nil, nil, errors.New("museum asks for a second factor")
	}
	attrs, err := keys.ParseAttributes(v.KeyAttributes)
	if err != nil {
		return nil, nil, err
	}
	sec, err := keys.Unlock(kek, attrs)
	if err != nil {
		return nil, nil, err
	}
	tok, err := keys.OpenToken(v.EncryptedToken, sec)
	if err != nil {
		sec.Destroy()
		return nil, nil, err
	}
	c.SetToken(tok.HeaderValue())
	tok.Destroy()
	return c, sec, nil
}

// srpSignInOK: the new device unlocks the same account and its token
// works on a private endpoint.
func (s *suite) srpSignInOK(t *testing.T, pw string) {
	c, sec, err := s.srpSignIn(t, pw)
	require.NoError(t, err)
	defer sec.Destroy()
	require.True(t, sec.MasterKey().Equal(s.secrets.MasterKey()), "signed in to another master key")
	cols, err := c.Collections(t.Context())
	require.NoError(t, err, "GET /collections/v2 with the SRP session's token")
	t.Logf("signed in by SRP; %d collections visible", len(cols))
}

// srpSignInWrong: a wrong password fails at verify-session.
func (s *suite) srpSignInWrong(t *testing.T, pw string) {
	_, sec, err := s.srpSignIn(t, pw)
	if sec != nil {
		sec.Destroy()
	}
	require.ErrorIs(t, err, keys.ErrIncorrectPassword, "sign-in with a wrong password")
	t.Logf("refused: %v", err)
}

// srpChangePassword: Secrets.ChangePassword (a new kekSalt and KEK, the
// master key rewrapped), a new SRP setup from the new KEK, then
// /users/srp/update with its M1 and the five changed fields together.
func (s *suite) srpChangePassword(t *testing.T) {
	changed, err := s.secrets.ChangePassword([]byte(newPassword), pwhash.EntePolicy)
	require.NoError(t, err)
	s.setUpSRP(t, changed)
	// This device's session survives (logOutOtherDevices false).
	_, err = s.c.Collections(t.Context())
	require.NoError(t, err, "GET /collections/v2 after the change")
}
