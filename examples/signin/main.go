// Command signin is password sign-in as Ente's apps do it, with SRP-6a: the
// server never sees the password, the KEK or the login key, and the client
// checks that the server holds the verifier before trusting its answer.
//
//  1. Sign-up: keys.Generate, then keys.NewSRPSetup(secrets.KEK()) gives the
//     srpUserID, srpSalt and verifier (POST /users/srp/setup with A, then
//     /users/srp/complete with M1; the client checks M2).
//  2. A second device, with the e-mail and the password alone: GET
//     /users/srp/attributes, the KEK by Argon2id with the stored params,
//     keys.NewSRPSession, POST /users/srp/create-session (A → B) and
//     /users/srp/verify-session (M1 → key attributes, sealed token, M2);
//     SRPSession.Verify checks M2 and hands over the KEK for keys.Unlock
//     and keys.OpenToken. A wrong password is refused by the server.
//  3. A server that does not hold the verifier cannot fake M2.
//  4. A password change: Secrets.ChangePassword, a new SRP setup from the
//     new KEK, and POST /users/srp/update carrying the five changed key
//     attributes with the new setup's M1.
//
// The "server" is in this process and plays museum's part with
// github.com/ente-io/go-srp, the library museum uses; Argon2id runs at its
// minimum cost so that the example takes milliseconds.
package main

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	srp "github.com/ente-io/go-srp"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/sealed"
)

// demoPolicy is Argon2id's minimum cost, for a fast demo. Ente's server
// requires pwhash.EntePolicy-like params (memLimit × opsLimit = 4 GiB).
var demoPolicy = pwhash.Policy{Start: pwhash.Params{OpsLimit: 1, MemLimit: pwhash.MinMemLimit}, FloorMemLimit: pwhash.MinMemLimit}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "signin:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	srv := newServer()
	const email = "alice@example.org"

	// 1. Sign-up on the first device.
	attrs, secrets, _, err := keys.Generate([]byte("correct horse battery staple"), demoPolicy)
	if err != nil {
		return err
	}
	defer secrets.Destroy()
	srv.signUp(email, attrs)
	setup, err := setUpSRP(srv, email, secrets.KEK(), nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "1. sign-up: srpUserID %d characters, srpSalt %d bytes, verifier %d bytes; the server's M2 checked\n",
		len(setup.UserID), len(setup.Salt), len(setup.Verifier))

	// 2. A second device knows the e-mail and what the person types.
	for _, typed := range []string{"hunter2", "correct horse battery staple"} {
		s, err := signIn(srv, email, typed)
		if err != nil {
			fmt.Fprintf(w, "2. %q: %v\n", typed, err)
			continue
		}
		fmt.Fprintf(w, "2. %q: signed in, %v, same master key: %t, X-Auth-Token of %d characters\n",
			typed, s.secrets, s.secrets.MasterKey().Equal(secrets.MasterKey()), len(s.token))
		s.secrets.Destroy()
	}

	// 3. A server without the verifier answers with a wrong M2.
	srv.forgeM2 = true
	_, err = signIn(srv, email, "correct horse battery staple")
	fmt.Fprintf(w, "3. a forged M2: %v (ErrSRPServerProof: %t)\n", err, errors.Is(err, keys.ErrSRPServerProof))
	srv.forgeM2 = false

	// 4. A password change: new KEK, new SRP setup, one update.
	changed, err := secrets.ChangePassword([]byte("a new passphrase"), demoPolicy)
	if err != nil {
		return err
	}
	if _, err := setUpSRP(srv, email, secrets.KEK(), changed); err != nil {
		return err
	}
	for _, typed := range []string{"correct horse battery staple", "a new passphrase"} {
		s, err := signIn(srv, email, typed)
		if err != nil {
			fmt.Fprintf(w, "4. after the change, %q: %v\n", typed, err)
			continue
		}
		fmt.Fprintf(w, "4. after the change, %q: signed in\n", typed)
		s.secrets.Destroy()
	}
	return nil
}

// setUpSRP registers an SRP verifier for kek, as /users/srp/setup and then
// /users/srp/complete (at sign-up) or /users/srp/update with the changed
// key attributes (after a password change) do.
func setUpSRP(srv *server, email string, kek *keys.KEK, changed *keys.PasswordAttributes) (*keys.SRPSetup, error) {
	setup, sess, err := keys.NewSRPSetup(kek)
	if err != nil {
		return nil, err
	}
	defer sess.Destroy()
	setupID, b, err := srv.setupSRP(email, setup, sess.A())
	if err != nil {
		return nil, err
	}
	m1, err := sess.M1(b)
	if err != nil {
		return nil, err
	}
	m2, err := srv.completeSRP(setupID, m1, changed)
	if err != nil {
		return nil, err
	}
	k, err := sess.Verify(m2)
	if err != nil {
		return nil, err
	}
	k.Destroy()
	return setup, nil
}

type signedIn struct {
	secrets *keys.Secrets
	token   string // X-Auth-Token
}

// signIn is the second device: nothing but the e-mail and the password.
func signIn(srv *server, email, typed string) (*signedIn, error) {
	sa, err := keys.ParseSRPAttributes(srv.srpAttributes(email))
	if err != nil {
		return nil, err
	}
	// The params come from the server: capped before any work.
	kek, err := sa.DeriveKEK([]byte(typed), pwhash.DefaultLimits)
	if err != nil {
		return nil, err
	}
	sess, err := keys.NewSRPSession(kek, sa.UserID, sa.Salt)
	kek.Destroy()
	if err != nil {
		return nil, err
	}
	defer sess.Destroy()
	sessionID, b, err := srv.createSession(sa.UserID, sess.A())
	if err != nil {
		return nil, err
	}
	m1, err := sess.M1(b)
	if err != nil {
		return nil, err
	}
	ans, err := srv.verifySession(sessionID, m1)
	if err != nil {
		return nil, err
	}
	kek, err = sess.Verify(ans.m2) // before anything else in the answer is trusted
	if err != nil {
		return nil, err
	}
	defer kek.Destroy()
	attrs, err := keys.ParseAttributes(ans.keyAttributes)
	if err != nil {
		return nil, err
	}
	s, err := keys.Unlock(kek, attrs)
	if err != nil {
		return nil, err
	}
	tok, err := keys.OpenToken(ans.encryptedToken, s)
	if err != nil {
		s.Destroy()
		return nil, err
	}
	defer tok.Destroy()
	return &signedIn{secrets: s, token: tok.HeaderValue()}, nil
}

// server plays museum's part for one account, with go-srp as museum does.
// Byte values travel base64-decoded here; on the wire they are base64.
type server struct {
	attrs    *keys.Attributes
	email    string
	srp      keys.SRPSetup             // the stored userID, salt and verifier
	pending  map[string]pendingSession // by setup or session ID
	forgeM2  bool
	sessions int
}

type pendingSession struct {
	srv   *srp.SRPServer
	setup keys.SRPSetup
}

// errIncorrectPassword is what museum's 401 at verify-session means.
var errIncorrectPassword = fmt.Errorf("%w (the server refused M1)", keys.ErrIncorrectPassword)

func newServer() *server { return &server{pending: map[string]pendingSession{}} }

func (s *server) signUp(email string, a *keys.Attributes) { s.email, s.attrs = email, a }

func (s *server) newExchange(verifier, a []byte) (*srp.SRPServer, []byte, error) {
	if len(a) != keys.SRPValueSize {
		return nil, nil, errors.New("server: invalid srpA")
	}
	sv := srp.NewServer(srp.GetParams(4096), verifier, srp.GenKey())
	sv.SetA(a)
	return sv, sv.ComputeB(), nil
}

func (s *server) id() string { s.sessions++; return fmt.Sprint("session-", s.sessions) }

// setupSRP is POST /users/srp/setup.
func (s *server) setupSRP(email string, st *keys.SRPSetup, a []byte) (string, []byte, error) {
	sv, b, err := s.newExchange(st.Verifier, a)
	if err != nil {
		return "", nil, err
	}
	id := s.id()
	s.pending[id] = pendingSession{srv: sv, setup: *st}
	return id, b, nil
}

// completeSRP is POST /users/srp/complete, or /users/srp/update when the
// key attributes change with the verifier.
func (s *server) completeSRP(setupID string, m1 []byte, changed *keys.PasswordAttributes) ([]byte, error) {
	p, ok := s.pending[setupID]
	delete(s.pending, setupID)
	if !ok {
		return nil, errors.New("server: unknown setup")
	}
	m2, err := p.srv.CheckM1(m1)
	if err != nil {
		return nil, errIncorrectPassword
	}
	s.srp = p.setup
	if changed != nil {
		s.attrs.SetPassword(changed)
	}
	return m2, nil
}

// srpAttributes is GET /users/srp/attributes's "attributes" object.
func (s *server) srpAttributes(email string) []byte {
	b, _ := json.Marshal(map[string]any{
		"srpUserID": s.srp.UserID, "srpSalt": s.srp.Salt, "kekSalt": s.attrs.KEKSalt,
		"memLimit": s.attrs.MemLimit, "opsLimit": s.attrs.OpsLimit, "isEmailMFAEnabled": false,
	})
	return b
}

// createSession is POST /users/srp/create-session.
func (s *server) createSession(userID string, a []byte) (string, []byte, error) {
	if userID != s.srp.UserID {
		return "", nil, errors.New("server: unknown srpUserID")
	}
	sv, b, err := s.newExchange(s.srp.Verifier, a)
	if err != nil {
		return "", nil, err
	}
	id := s.id()
	s.pending[id] = pendingSession{srv: sv}
	return id, b, nil
}

type verified struct {
	keyAttributes  []byte
	encryptedToken keys.Ciphertext // base64 on the wire: decode it where the JSON is read
	m2             []byte
}

// verifySession is POST /users/srp/verify-session: on the right M1, the
// key attributes, a fresh token sealed to the account's public key, and M2.
func (s *server) verifySession(sessionID string, m1 []byte) (*verified, error) {
	p, ok := s.pending[sessionID]
	delete(s.pending, sessionID)
	if !ok {
		return nil, errors.New("server: unknown session")
	}
	m2, err := p.srv.CheckM1(m1)
	if err != nil {
		return nil, errIncorrectPassword
	}
	if s.forgeM2 {
		m2 = make([]byte, len(m2))
		rand.Read(m2)
	}
	body, err := json.Marshal(s.attrs)
	if err != nil {
		return nil, err
	}
	token := make([]byte, keys.AuthTokenSize)
	rand.Read(token)
	box, err := sealed.Seal(nil, token, &s.attrs.PublicKey)
	if err != nil {
		return nil, err
	}
	return &verified{keyAttributes: body, encryptedToken: box, m2: m2}, nil
}
