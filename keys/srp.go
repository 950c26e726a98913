package keys

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"math/big"

	srp "github.com/ente-io/go-srp"

	"github.com/e2eekit/e2ee/internal/keymat"
	"github.com/e2eekit/e2ee/pwhash"
)

// SRP-6a as Ente's clients sign in with a password (the server never sees
// the password, the KEK or the login key):
//
//	group     RFC 5054's 4096-bit group, g = 5, SHA-256 (go-srp's GetParams(4096),
//	          fast-srp-hap's SRP.params["4096"])
//	identity  srpUserID, a random UUID string (its ASCII bytes)
//	salt      srpSalt, 16 random bytes
//	password  LoginKey(KEK), 16 bytes
//	x = H(salt ‖ H(I ‖ ":" ‖ P)),  v = g^x
//	M1 = H(A ‖ B ‖ S),  M2 = H(A ‖ M1 ‖ K),  K = H(S)   (not RFC 2945's M1)
//
// The arithmetic is github.com/ente-io/go-srp's, the library Ente's server
// uses; this file checks what go-srp does not (B's length and range, M2 in
// constant time) and keeps its secrets out of sight.

const (
	// SRPSaltSize is the length of srpSalt.
	SRPSaltSize = 16
	// SRPValueSize is the length of A, B and the verifier: the 4096-bit
	// group's modulus, big-endian, left-padded with zeros.
	SRPValueSize = 512
	// SRPProofSize is the length of M1 and M2 (SHA-256).
	SRPProofSize = 32
	// srpSecretSize is the length of the client's random exponent a, as in
	// Ente's web client.
	srpSecretSize = 32
)

var (
	// ErrInvalidSRPB means the server's SRP value B is unusable: not
	// SRPValueSize bytes, zero modulo N, or not below N. The session is
	// over; start a new one.
	ErrInvalidSRPB = errors.New("keys: invalid SRP B from the server")

	// ErrSRPServerProof means the server's proof M2 is wrong: the server
	// does not hold this password's verifier, or the answer was tampered
	// with. Do not trust the rest of that answer.
	ErrSRPServerProof = errors.New("keys: the server's SRP proof (M2) does not match")

	// ErrSRPSession means an SRPSession was used out of order: M1 before
	// or after its one B, Verify before M1, or anything after Verify or
	// Destroy.
	ErrSRPSession = errors.New("keys: SRP session used out of order")

	// ErrInvalidSRPParams means an SRP user ID or salt is malformed.
	ErrInvalidSRPParams = errors.New("keys: invalid SRP user ID or salt")
)

var srpParams = srp.GetParams(4096)

// SRPSetup is what the server stores to check a password by SRP: the body
// of Ente's POST /users/srp/setup without srpA (send SRPSession.A with
// it). It holds no secret that unlocks keys, but the verifier allows an
// offline guess of the login key: send it only to the account's server.
type SRPSetup struct {
	UserID   string `json:"srpUserID"`   // a random UUID
	Salt     []byte `json:"srpSalt"`     // SRPSaltSize bytes
	Verifier []byte `json:"srpVerifier"` // SRPValueSize bytes
}

// NewSRPSetup draws a new SRP user ID and salt for the password whose KEK
// is kek (after Generate or Secrets.ChangePassword: Secrets.KEK), computes
// the verifier, and opens a session on the same credentials for the setup
// exchange: Ente's server completes a setup (POST /users/srp/complete, or
// /users/srp/update after a password change) only with M1 from it.
func NewSRPSetup(kek *KEK) (*SRPSetup, *SRPSession, error) {
	if kek == nil {
		return nil, nil, fmt.Errorf("%w: no KEK (%w)", ErrSRPSession, ErrNilKey)
	}
	st := &SRPSetup{UserID: newUUID(), Salt: make([]byte, SRPSaltSize)}
	rand.Read(st.Salt)
	p := LoginKey(kek)
	st.Verifier = srp.ComputeVerifier(srpParams, st.Salt, []byte(st.UserID), p)
	clear(p)
	s, err := NewSRPSession(kek, st.UserID, st.Salt)
	if err != nil {
		return nil, nil, err
	}
	return st, s, nil
}

// SRPVerifier returns the verifier of kek's login key for userID and salt,
// as NewSRPSetup computes it (for known-answer tests and servers).
func SRPVerifier(kek *KEK, userID string, salt []byte) ([]byte, error) {
	if kek == nil {
		return nil, fmt.Errorf("%w: no KEK (%w)", ErrSRPSession, ErrNilKey)
	}
	if err := checkSRPParams(userID, salt); err != nil {
		return nil, err
	}
	p := LoginKey(kek)
	defer clear(p)
	return srp.ComputeVerifier(srpParams, salt, []byte(userID), p), nil
}

// newUUID returns a random (version 4) UUID in its canonical text form.
func newUUID() string {
	var u [16]byte
	rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
}

func checkSRPParams(userID string, salt []byte) error {
	switch {
	case userID == "":
		return fmt.Errorf("%w: empty user ID", ErrInvalidSRPParams)
	case len(userID) > 256:
		return fmt.Errorf("%w: user ID of %d bytes", ErrInvalidSRPParams, len(userID))
	case len(salt) == 0 || len(salt) > 1024:
		return fmt.Errorf("%w: salt of %d bytes", ErrInvalidSRPParams, len(salt))
	}
	return nil
}

// SRPAttributes is the "attributes" object of Ente's GET
// /users/srp/attributes: what a device needs, with the password, to sign
// in. Read it with ParseSRPAttributes (strict, as ParseAttributes).
type SRPAttributes struct {
	UserID            string      `json:"srpUserID"`
	Salt              []byte      `json:"srpSalt"`
	KEKSalt           pwhash.Salt `json:"kekSalt"`
	MemLimit          uint64      `json:"memLimit"` // Argon2id memory, bytes
	OpsLimit          uint64      `json:"opsLimit"` // Argon2id passes
	IsEmailMFAEnabled bool        `json:"isEmailMFAEnabled"`
}

// ParseSRPAttributes reads the attributes object (not the {"attributes":
// …} envelope around it) strictly: exact member names, no duplicates,
// strict base64, libsodium's Argon2id minimums. Errors wrap
// ErrInvalidAttributes and name the field.
func ParseSRPAttributes(data []byte) (*SRPAttributes, error) {
	var (
		a    SRPAttributes
		salt Ciphertext
		mfa  *bool
	)
	err := decodeObject(data, ErrInvalidAttributes,
		field{name: "srpUserID", dst: &a.UserID},
		field{name: "srpSalt", dst: &salt},
		field{name: "kekSalt", dst: &a.KEKSalt},
		field{name: "memLimit", dst: &a.MemLimit},
		field{name: "opsLimit", dst: &a.OpsLimit},
		field{name: "isEmailMFAEnabled", dst: &mfa, optional: true},
	)
	if err != nil {
		return nil, err
	}
	a.Salt = salt
	if mfa != nil {
		a.IsEmailMFAEnabled = *mfa
	}
	if err := checkSRPParams(a.UserID, a.Salt); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidAttributes, err)
	}
	if err := checkParams(a.OpsLimit, a.MemLimit); err != nil {
		return nil, err
	}
	return &a, nil
}

// Params returns the Argon2id parameters of the account's password; zero
// for nil SRPAttributes.
func (a *SRPAttributes) Params() pwhash.Params {
	if a == nil {
		return pwhash.Params{}
	}
	return pwhash.Params{OpsLimit: a.OpsLimit, MemLimit: a.MemLimit}
}

// DeriveKEK derives the KEK from password with the account's kekSalt,
// opsLimit and memLimit, after checking those against limits, as the
// function DeriveKEK does with full attributes. This is the slow step.
func (a *SRPAttributes) DeriveKEK(password []byte, limits pwhash.Limits) (*KEK, error) {
	if a == nil {
		return nil, fmt.Errorf("%w: nil SRP attributes", ErrInvalidAttributes)
	}
	return DeriveKEK(password, &Attributes{KEKSalt: a.KEKSalt, MemLimit: a.MemLimit, OpsLimit: a.OpsLimit}, limits)
}

// srpState is where an SRPSession is in the exchange.
type srpState uint8

const (
	srpWantB srpState = iota
	srpWantM2
	srpDone
)

// SRPSession is the client side of one SRP exchange: A to the server, B
// from it, M1 to it, M2 from it. On the right M2, Verify hands over the KEK
// (the server has proven it holds the verifier, and the password behind
// it is the one typed): keys.Unlock opens the key attributes the server
// sent with M2 and keys.OpenToken its token. An SRPSession prints as
// keys.SRPSession(REDACTED) and refuses to marshal; it is not safe for
// concurrent use. Each session is used once.
type SRPSession struct {
	redact[SRPSession]
	c      *srp.SRPClient
	kek    KEK
	a      []byte // A, padded
	m2     []byte // the expected M2, once B is set
	state  srpState
	userID string
}

// NewSRPSession starts a sign-in for the account whose SRP attributes
// (Ente's srpUserID and srpSalt) are userID and salt, with the KEK derived
// from the password (SRPAttributes.DeriveKEK). It keeps a copy of kek.
func NewSRPSession(kek *KEK, userID string, salt []byte) (*SRPSession, error) {
	a := make([]byte, srpSecretSize)
	rand.Read(a)
	defer clear(a)
	return newSRPSession(kek, userID, salt, a)
}

// newSRPSession is NewSRPSession with the secret exponent given (for known
// answers).
func newSRPSession(kek *KEK, userID string, salt, secretA []byte) (*SRPSession, error) {
	if kek == nil {
		return nil, fmt.Errorf("%w: no KEK (%w)", ErrSRPSession, ErrNilKey)
	}
	if err := checkSRPParams(userID, salt); err != nil {
		return nil, err
	}
	p := LoginKey(kek)
	defer clear(p)
	s := &SRPSession{c: srp.NewClient(srpParams, salt, []byte(userID), p, secretA), userID: userID}
	*keymat.Array(&s.kek.k) = *keymat.Array(&kek.k)
	s.a = s.c.ComputeA()
	return s, nil
}

// UserID returns the SRP user ID the session signs in as (Ente's
// srpUserID, sent with A and M1); "" for a nil session.
func (s *SRPSession) UserID() string {
	if s == nil {
		return ""
	}
	return s.userID
}

// A returns the client's public value (SRPValueSize bytes; Ente's srpA,
// base64), or nil for a nil session.
func (s *SRPSession) A() []byte {
	if s == nil {
		return nil
	}
	return append([]byte(nil), s.a...)
}

// M1 takes the server's B (Ente's srpB, decoded) and returns the client's
// proof M1 (SRPProofSize bytes). A B that is not SRPValueSize bytes, is
// zero modulo N or not below N gives ErrInvalidSRPB, and ends the session.
// M1 may be called once.
func (s *SRPSession) M1(b []byte) ([]byte, error) {
	if s == nil || s.c == nil {
		return nil, fmt.Errorf("%w: not made by NewSRPSession or NewSRPSetup, or destroyed", ErrSRPSession)
	}
	if s.state != srpWantB {
		return nil, fmt.Errorf("%w: B was already given", ErrSRPSession)
	}
	if len(b) != SRPValueSize {
		s.Destroy()
		return nil, fmt.Errorf("%w: %d bytes, want %d", ErrInvalidSRPB, len(b), SRPValueSize)
	}
	n := new(big.Int).SetBytes(b)
	if n.Sign() <= 0 || n.Cmp(srpParams.N) >= 0 {
		// 0 < B < N is what go-srp's SetB needs (it panics otherwise), and
		// within it B mod N ≠ 0, SRP-6a's abort condition.
		s.Destroy()
		return nil, fmt.Errorf("%w: not in 1..N-1", ErrInvalidSRPB)
	}
	s.c.SetB(b)
	s.m2 = append([]byte(nil), s.c.M2...)
	s.state = srpWantM2
	return append([]byte(nil), s.c.ComputeM1()...), nil
}

// Verify checks the server's proof M2 (Ente's srpM2, decoded) in constant
// time and, if it is right, returns a copy of the KEK (the caller should
// Destroy it). A wrong M2 gives ErrSRPServerProof. Either way the session
// is over and its secrets cleared.
func (s *SRPSession) Verify(m2 []byte) (*KEK, error) {
	if s == nil {
		return nil, fmt.Errorf("%w: nil session", ErrSRPSession)
	}
	if s.state != srpWantM2 {
		return nil, fmt.Errorf("%w: Verify needs M1 first, and works once", ErrSRPSession)
	}
	ok := subtle.ConstantTimeCompare(s.m2, m2) == 1
	var kek *KEK
	if ok {
		kek = new(KEK)
		*keymat.Array(&kek.k) = *keymat.Array(&s.kek.k)
	}
	s.Destroy()
	if !ok {
		return nil, ErrSRPServerProof
	}
	return kek, nil
}

// Destroy ends the session and clears what of its secrets it can: the KEK
// copy, K and the proofs (go-srp keeps a, x and S as big.Int, which cannot
// be cleared; they become garbage).
func (s *SRPSession) Destroy() {
	if s == nil {
		return
	}
	s.kek.Destroy()
	clear(s.m2)
	if s.c != nil {
		clear(s.c.K)
		clear(s.c.M1)
		clear(s.c.M2)
		s.c = nil
	}
	s.state = srpDone
}
