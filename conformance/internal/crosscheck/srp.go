package main

import (
	"crypto/rand"
	"fmt"
	"math/big"

	srp "github.com/ente-io/go-srp"

	"github.com/e2eekit/e2ee/keys"
)

// srpExchangeObj is one complete SRP exchange (Ente's sign-in), made by the
// producer playing both roles: the client with its library and a secret
// exponent it keeps, the server with b, which it records. The opener
// plays the server with its own library and b: the verifier it computes
// from the KEK's login key must match, its B must match, the producer's
// client's M1 must convince it, and its M2 must be the one the producer's
// client accepted. Node producing and Go opening is JS client ↔ Go (go-srp)
// server; Go producing and Node opening is Go client (keys.SRPSession) ↔
// JS (fast-srp-hap) server.
type srpExchangeObj struct {
	KEK      []byte `json:"kek"`
	UserID   string `json:"srpUserID"`
	Salt     []byte `json:"srpSalt"`
	Verifier []byte `json:"verifier"`
	A        []byte `json:"A"`
	SecretB  []byte `json:"b"`
	B        []byte `json:"B"`
	M1       []byte `json:"M1"`
	M2       []byte `json:"M2"`
}

var srpParams = srp.GetParams(4096)

// srpExchange signs in on the account of kek as a second device would:
// keys.NewSRPSetup makes the verifier, a keys.SRPSession talks to go-srp's
// server, and the session must accept the server's M2.
func (p *producer) srpExchange(name string, kek *keys.KEK) error {
	setup, _, err := keys.NewSRPSetup(kek)
	if err != nil {
		return err
	}
	s, err := keys.NewSRPSession(kek, setup.UserID, setup.Salt)
	if err != nil {
		return err
	}
	o := srpExchangeObj{KEK: kek.Bytes(), UserID: setup.UserID, Salt: setup.Salt, Verifier: setup.Verifier, A: s.A(), SecretB: make([]byte, 32)}
	rand.Read(o.SecretB)
	sv := srp.NewServer(srpParams, o.Verifier, o.SecretB)
	sv.SetA(o.A)
	o.B = sv.ComputeB()
	if o.M1, err = s.M1(o.B); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if o.M2, err = sv.CheckM1(o.M1); err != nil {
		return fmt.Errorf("%s: go-srp refuses the session's M1: %w", name, err)
	}
	got, err := s.Verify(o.M2)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	got.Destroy()
	p.add("srpExchange", name, o)
	return nil
}

// inGroup reports whether v is a 512-byte value in 1..N-1 (go-srp panics
// on an A outside that range).
func inGroup(v []byte) bool {
	n := new(big.Int).SetBytes(v)
	return len(v) == keys.SRPValueSize && n.Sign() > 0 && n.Cmp(srpParams.N) < 0
}

func (o *opener) srpExchange(obj rawObject) error {
	x, err := decode[srpExchangeObj](obj)
	if err != nil {
		return err
	}
	kek, err := keys.NewKEK(x.KEK)
	if err != nil {
		return err
	}
	defer kek.Destroy()
	v, err := keys.SRPVerifier(kek, x.UserID, x.Salt)
	if o.failed(obj, "verifier", err) {
		return nil
	}
	o.same(obj, "verifier", v, x.Verifier)
	if !inGroup(x.A) || len(x.SecretB) == 0 {
		o.fail(obj, "A", "not a 512-byte value in 1..N-1, or no b")
		return nil
	}
	sv := srp.NewServer(srpParams, v, x.SecretB)
	o.same(obj, "B", sv.ComputeB(), x.B)
	sv.SetA(x.A)
	m2, err := sv.CheckM1(x.M1)
	if err != nil {
		o.fail(obj, "M1", "go-srp's server refuses it")
		return nil
	}
	o.same(obj, "M2", m2, x.M2)
	return nil
}
