package conformance

import (
	"encoding/json"
	"fmt"

	"github.com/e2eekit/e2ee/keys"
)

// attributes.json: RecoveryKeyEncodingTest, RecoveryKeyParseTest,
// PasswordUnlockTest, RecoveryUnlockTest, BadAttributesTest.

type recoveryEncodingTest struct {
	testCase
	RecoveryKey    bin     `json:"recoveryKey"`
	RecoveryKeyHex *string `json:"recoveryKeyHex"`
	RecoveryPhrase *string `json:"recoveryPhrase"`
}

func runRecoveryEncoding(g *group, tests []json.RawMessage) {
	each(g, tests, func(t *recoveryEncodingTest) {
		if err := need(req{"recoveryKey", t.RecoveryKey != nil}, req{"recoveryKeyHex", t.RecoveryKeyHex != nil},
			req{"recoveryPhrase", t.RecoveryPhrase != nil}); err != nil {
			g.malformed(t.testCase, err)
			return
		}
		rk, err := keys.NewRecoveryKey(t.RecoveryKey)
		var m []string
		if err == nil {
			m = append(m, diffString("recoveryPhrase", rk.Mnemonic(), *t.RecoveryPhrase),
				diffString("recoveryKeyHex", rk.Hex(), *t.RecoveryKeyHex))
			rk.Destroy()
		}
		g.verdict(&t.testCase, "keys.RecoveryKey.Mnemonic", err, m...)
		for _, in := range []struct{ check, text string }{
			{"keys.ParseRecoveryKey(phrase)", *t.RecoveryPhrase},
			{"keys.ParseRecoveryKey(hex)", *t.RecoveryKeyHex},
		} {
			rk, err := keys.ParseRecoveryKey(in.text)
			var m string
			if err == nil {
				m = diff("recoveryKey", rk.Bytes(), t.RecoveryKey)
				rk.Destroy()
			}
			g.verdict(&t.testCase, in.check, err, m)
		}
	})
}

type recoveryParseTest struct {
	testCase
	Input       *string `json:"input"`
	RecoveryKey bin     `json:"recoveryKey"`
}

func runRecoveryParse(g *group, tests []json.RawMessage) {
	each(g, tests, func(t *recoveryParseTest) {
		if err := need(req{"input", t.Input != nil}, req{"recoveryKey", t.Result != "valid" || t.RecoveryKey != nil}); err != nil {
			g.malformed(t.testCase, err)
			return
		}
		rk, err := keys.ParseRecoveryKey(*t.Input)
		var m string
		if err == nil {
			m = diff("recoveryKey", rk.Bytes(), t.RecoveryKey)
			rk.Destroy()
		}
		g.verdict(&t.testCase, "keys.ParseRecoveryKey", err, m)
	})
}

// account is the group of the unlock tests: attributes as on the wire and
// what unlocking them yields.
type account struct {
	Attributes json.RawMessage `json:"attributes"`
	Password   *string         `json:"password"` // BadAttributesTest
	Expected   struct {
		KEK            bin     `json:"kek"`
		LoginKey       bin     `json:"loginKey"`
		MasterKey      bin     `json:"masterKey"`
		SecretKey      bin     `json:"secretKey"`
		PublicKey      bin     `json:"publicKey"`
		RecoveryKey    bin     `json:"recoveryKey"`
		RecoveryKeyHex *string `json:"recoveryKeyHex"`
		RecoveryPhrase *string `json:"recoveryPhrase"`
	} `json:"expected"`
}

// checkSecrets compares unlocked secrets with the expected keys.
func (a *account) checkSecrets(s *keys.Secrets) []string {
	e := &a.Expected
	return []string{
		diff("masterKey", s.MasterKey().Bytes(), e.MasterKey),
		diff("secretKey", s.PrivateKey().Bytes(), e.SecretKey),
		diff("publicKey", s.PublicKey()[:], e.PublicKey),
	}
}

func (a *account) decode() (*keys.Attributes, error) {
	var attrs keys.Attributes
	if err := json.Unmarshal(a.Attributes, &attrs); err != nil {
		return nil, err
	}
	return &attrs, nil
}

type passwordUnlockTest struct {
	testCase
	Password *string `json:"password"`
}

// unlockGroup decodes the group of the unlock tests: its attributes, and
// the expected keys every unlock checks; withKEK also requires the KEK and
// login key a password unlock derives. Every test of a group that fails
// here is reported malformed, and ok is false.
func unlockGroup(g *group, tests []json.RawMessage, withKEK bool) (acc *account, attrs *keys.Attributes, ok bool) {
	acc = new(account)
	err := g.decodeGroup(acc)
	if err == nil {
		e := &acc.Expected
		reqs := []req{{"attributes", acc.Attributes != nil}}
		if withKEK {
			reqs = append(reqs, req{"expected.kek", e.KEK != nil}, req{"expected.loginKey", e.LoginKey != nil})
		}
		err = need(append(reqs, req{"expected.masterKey", e.MasterKey != nil},
			req{"expected.secretKey", e.SecretKey != nil}, req{"expected.publicKey", e.PublicKey != nil})...)
	}
	if err == nil {
		// These attributes are well formed: a decoding error is the SDK's.
		attrs, err = acc.decode()
		if err != nil {
			err = fmt.Errorf("keys.Attributes refuses the group's attributes: %w", err)
		}
	}
	if err != nil {
		g.failAll(tests, err)
		return nil, nil, false
	}
	return acc, attrs, true
}

func runPasswordUnlock(g *group, tests []json.RawMessage) {
	acc, attrs, ok := unlockGroup(g, tests, true)
	if !ok {
		return
	}
	each(g, tests, func(t *passwordUnlockTest) {
		if t.Password == nil {
			g.malformed(t.testCase, need(req{"password", false}))
			return
		}
		if reason := g.tooCostly(attrs.Params(), g.r.opts.Limits); reason != "" {
			g.skip(&t.testCase, "keys.Unlock", reason)
			return
		}
		kek, err := keys.DeriveKEK([]byte(*t.Password), attrs, g.r.opts.Limits)
		var s *keys.Secrets
		if err == nil {
			s, err = keys.Unlock(kek, attrs)
		}
		var m []string
		if err == nil {
			defer s.Destroy()
			m = append(acc.checkSecrets(s),
				diff("kek", kek.Bytes(), acc.Expected.KEK),
				diff("loginKey", keys.LoginKey(kek), acc.Expected.LoginKey))
			m = append(m, acc.checkRecovery(s, attrs)...)
		}
		g.verdict(&t.testCase, "keys.Unlock", err, m...)
	})
}

// checkRecovery compares the recovery key an unlocked account holds with
// the expected one, or checks that there is none.
func (a *account) checkRecovery(s *keys.Secrets, attrs *keys.Attributes) []string {
	e := &a.Expected
	rk, err := s.RecoveryKey(attrs)
	if e.RecoveryKey == nil {
		if err == nil {
			rk.Destroy()
			return []string{"recoveryKey: the account has one, the vector none"}
		}
		return nil
	}
	if err != nil {
		return []string{"recoveryKey: " + err.Error()}
	}
	defer rk.Destroy()
	m := []string{diff("recoveryKey", rk.Bytes(), e.RecoveryKey)}
	if e.RecoveryPhrase != nil {
		m = append(m, diffString("recoveryPhrase", rk.Mnemonic(), *e.RecoveryPhrase))
	}
	if e.RecoveryKeyHex != nil {
		m = append(m, diffString("recoveryKeyHex", rk.Hex(), *e.RecoveryKeyHex))
	}
	return m
}

type recoveryUnlockTest struct {
	testCase
	RecoveryKey *string `json:"recoveryKey"` // a phrase or hex, as typed
}

func runRecoveryUnlock(g *group, tests []json.RawMessage) {
	acc, attrs, ok := unlockGroup(g, tests, false)
	if !ok {
		return
	}
	each(g, tests, func(t *recoveryUnlockTest) {
		if t.RecoveryKey == nil {
			g.malformed(t.testCase, need(req{"recoveryKey", false}))
			return
		}
		rk, err := keys.ParseRecoveryKey(*t.RecoveryKey)
		var s *keys.Secrets
		if err == nil {
			s, err = keys.UnlockWithRecoveryKey(rk, attrs)
			rk.Destroy()
		}
		var m []string
		if err == nil {
			m = acc.checkSecrets(s)
			s.Destroy()
		}
		g.verdict(&t.testCase, "keys.UnlockWithRecoveryKey", err, m...)
	})
}

type badAttributesTest struct {
	testCase
	Field      string          `json:"field"`
	Attributes json.RawMessage `json:"attributes"`
}

func runBadAttributes(g *group, tests []json.RawMessage) {
	var acc account
	err := g.decodeGroup(&acc)
	if err == nil && acc.Password == nil {
		err = need(req{"password", false})
	}
	if err != nil {
		g.failAll(tests, err)
		return
	}
	each(g, tests, func(t *badAttributesTest) {
		if t.Attributes == nil {
			g.malformed(t.testCase, need(req{"attributes", false}))
			return
		}
		// The failure may come while decoding or while unlocking.
		a := account{Attributes: t.Attributes}
		attrs, err := a.decode()
		if err == nil {
			if reason := g.tooCostly(attrs.Params(), g.r.opts.Limits); reason != "" {
				g.skip(&t.testCase, "keys.Unlock", reason)
				return
			}
			var kek *keys.KEK
			kek, err = keys.DeriveKEK([]byte(*acc.Password), attrs, g.r.opts.Limits)
			if err == nil {
				var s *keys.Secrets
				if s, err = keys.Unlock(kek, attrs); err == nil {
					s.Destroy()
				}
			}
		}
		g.verdict(&t.testCase, "keys.Unlock", err)
	})
}
