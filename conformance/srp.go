package conformance

import (
	"encoding/json"

	srp "github.com/ente-io/go-srp"

	"github.com/e2eekit/e2ee/keys"
)

// srp.json: SrpTest, SrpBadBTest, SrpBadM2Test.
//
// keys.SRPSession draws its secret exponent a from crypto/rand and has no
// API that takes one, so the client's A and M1 for the vector's a are not
// reproduced here (the keys package's own tests do, from the same file).
// Checked through the public API: the login key and the verifier
// (keys.SRPVerifier); the server's role with go-srp, the library Ente's
// server uses (B from b, the vector's M1 accepted, M2 reproduced); a fresh
// keys.SRPSession against that server with the vector's verifier; and the
// client's refusals of a bad B (keys.SRPSession.M1) and of a wrong M2
// (keys.SRPSession.Verify).

type srpTest struct {
	testCase
	KEK      bin    `json:"kek"`
	LoginKey bin    `json:"loginKey"`
	UserID   string `json:"srpUserID"`
	Salt     bin    `json:"srpSalt"`
	Verifier bin    `json:"verifier"`
	A        bin    `json:"A"`
	SecretB  bin    `json:"b"`
	B        bin    `json:"B"`
	M1       bin    `json:"M1"`
	M2       bin    `json:"M2"`
}

var srpParams = srp.GetParams(4096)

func runSRP(g *group, tests []json.RawMessage) {
	each(g, tests, func(t *srpTest) {
		if err := need(req{"kek", t.KEK != nil}, req{"loginKey", t.LoginKey != nil}, req{"srpUserID", t.UserID != ""},
			req{"srpSalt", t.Salt != nil}, req{"verifier", len(t.Verifier) == keys.SRPValueSize},
			req{"A", len(t.A) == keys.SRPValueSize}, req{"b", t.SecretB != nil}, req{"B", t.B != nil},
			req{"M1", t.M1 != nil}, req{"M2", t.M2 != nil}); err != nil {
			g.malformed(t.testCase, err)
			return
		}
		kek, err := keys.NewKEK(t.KEK)
		if err != nil {
			g.malformed(t.testCase, err)
			return
		}
		defer kek.Destroy()
		v, err := keys.SRPVerifier(kek, t.UserID, t.Salt)
		g.verdict(&t.testCase, "keys.SRPVerifier", err, diff("loginKey", keys.LoginKey(kek), t.LoginKey), diff("verifier", v, t.Verifier))

		// The server's role (go-srp, as museum runs it) with the vector's b.
		sv := srp.NewServer(srpParams, t.Verifier, t.SecretB)
		sv.SetA(t.A)
		m2, err := sv.CheckM1(t.M1)
		g.verdict(&t.testCase, "go-srp server", err, diff("B", sv.ComputeB(), t.B), diff("M2", m2, t.M2))

		// A fresh client session against that server.
		s, err := keys.NewSRPSession(kek, t.UserID, t.Salt)
		if err == nil {
			sv := srp.NewServer(srpParams, t.Verifier, t.SecretB)
			sv.SetA(s.A())
			var m1 []byte
			if m1, err = s.M1(sv.ComputeB()); err == nil {
				var got *keys.KEK
				if m2, err = sv.CheckM1(m1); err == nil {
					if got, err = s.Verify(m2); err == nil {
						got.Destroy()
					}
				}
			}
			s.Destroy()
		}
		g.verdict(&t.testCase, "keys.SRPSession", err)
	})
}

// srpSession starts a session for a bad-answer test with the public API
// (a random a: these tests do not depend on it), or reports the vector
// malformed.
func srpSession(g *group, t *srpTest, more ...req) (*keys.SRPSession, bool, error) {
	fields := append([]req{{"kek", t.KEK != nil}, {"srpUserID", t.UserID != ""}, {"srpSalt", t.Salt != nil}, {"B", t.B != nil}}, more...)
	if err := need(fields...); err != nil {
		g.malformed(t.testCase, err)
		return nil, false, nil
	}
	kek, err := keys.NewKEK(t.KEK)
	if err != nil {
		g.malformed(t.testCase, err)
		return nil, false, nil
	}
	defer kek.Destroy()
	s, err := keys.NewSRPSession(kek, t.UserID, t.Salt)
	return s, true, err
}

func runSRPBadB(g *group, tests []json.RawMessage) {
	each(g, tests, func(t *srpTest) {
		s, ok, err := srpSession(g, t)
		if !ok {
			return
		}
		if err == nil {
			_, err = s.M1(t.B)
			s.Destroy()
		}
		g.verdict(&t.testCase, "keys.SRPSession.M1", err)
	})
}

func runSRPBadM2(g *group, tests []json.RawMessage) {
	each(g, tests, func(t *srpTest) {
		s, ok, err := srpSession(g, t, req{"M2", t.M2 != nil})
		if !ok {
			return
		}
		if err == nil {
			if _, err = s.M1(t.B); err == nil {
				_, err = s.Verify(t.M2)
			}
			s.Destroy()
		}
		g.verdict(&t.testCase, "keys.SRPSession.Verify", err)
	})
}
