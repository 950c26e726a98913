package conformance

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/sealed"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
)

// Reasons for checks the public API cannot express.
const (
	noDeterministicSeal = "sealed.Seal draws its ephemeral key from crypto/rand: no API seals with a given ephemeral secret key (Go-made sealed boxes are checked by the live cross-check)"
)

// pwhash.json: PwhashTest.

type pwhashGroup struct {
	Limits *struct {
		MaxMemLimit              uint64 `json:"maxMemLimit"`
		MaxMemLimitTimesOpsLimit uint64 `json:"maxMemLimitTimesOpsLimit"`
	} `json:"limits"`
}

type pwhashTest struct {
	testCase
	Password *string `json:"password"`
	Salt     bin     `json:"salt"`
	OpsLimit *uint64 `json:"opsLimit"`
	MemLimit *uint64 `json:"memLimit"`
	Key      bin     `json:"key"`
}

func runPwhash(g *group, tests []json.RawMessage) {
	var gr pwhashGroup
	if err := g.decodeGroup(&gr); err != nil {
		g.failAll(tests, err)
		return
	}
	limits := pwhash.DefaultLimits
	if gr.Limits != nil {
		limits = pwhash.Limits{MaxMemLimit: gr.Limits.MaxMemLimit, MaxWork: gr.Limits.MaxMemLimitTimesOpsLimit}
	}
	each(g, tests, func(t *pwhashTest) {
		if err := need(req{"password", t.Password != nil}, req{"salt", t.Salt != nil},
			req{"opsLimit", t.OpsLimit != nil}, req{"memLimit", t.MemLimit != nil},
			req{"key", t.Result != "valid" || t.Key != nil}); err != nil {
			g.malformed(t.testCase, err)
			return
		}
		var salt pwhash.Salt
		if len(t.Salt) != len(salt) {
			g.malformed(t.testCase, fmt.Errorf("salt is %d bytes, want %d", len(t.Salt), len(salt)))
			return
		}
		copy(salt[:], t.Salt)
		p := pwhash.Params{OpsLimit: *t.OpsLimit, MemLimit: *t.MemLimit}
		if reason := g.tooCostly(p, limits); reason != "" {
			g.skip(&t.testCase, "pwhash.DeriveKey", reason)
			return
		}
		k, err := pwhash.DeriveKey([]byte(*t.Password), &salt, p, limits)
		var m string
		if err == nil {
			m = diff("key", k.Bytes(), t.Key)
			k.Destroy()
		}
		g.verdict(&t.testCase, "pwhash.DeriveKey", err, m)
	})
}

// tooCostly returns a reason to skip a derivation that limits would let
// run but the run's own limits do not.
func (g *group) tooCostly(p pwhash.Params, limits pwhash.Limits) string {
	if p.Check(limits) != nil {
		return "" // refused before any work: cheap to check
	}
	if err := p.Check(g.r.opts.Limits); errors.Is(err, pwhash.ErrTooExpensive) {
		return fmt.Sprintf("Argon2id params (memLimit %d, opsLimit %d) exceed this run's limits", p.MemLimit, p.OpsLimit)
	}
	return ""
}

// kdf.json: LoginSubkeyTest.

type loginSubkeyTest struct {
	testCase
	KEK      bin `json:"kek"`
	LoginKey bin `json:"loginKey"`
}

func runLoginSubkey(g *group, tests []json.RawMessage) {
	each(g, tests, func(t *loginSubkeyTest) {
		if err := need(req{"kek", t.KEK != nil}, req{"loginKey", t.LoginKey != nil}); err != nil {
			g.malformed(t.testCase, err)
			return
		}
		kek, err := keys.NewKEK(t.KEK)
		var m string
		if err == nil {
			m = diff("loginKey", keys.LoginKey(kek), t.LoginKey)
			kek.Destroy()
		}
		g.verdict(&t.testCase, "keys.LoginKey", err, m)
	})
}

// secretbox.json: SecretboxTest.

type secretboxTest struct {
	testCase
	Key   bin `json:"key"`
	Nonce bin `json:"nonce"`
	Msg   bin `json:"msg"`
	CT    bin `json:"ct"`
}

func runSecretbox(g *group, tests []json.RawMessage) {
	each(g, tests, func(t *secretboxTest) {
		if err := need(req{"key", t.Key != nil}, req{"nonce", t.Nonce != nil},
			req{"msg", t.Msg != nil}, req{"ct", t.CT != nil}); err != nil {
			g.malformed(t.testCase, err)
			return
		}
		var nonce secretbox.Nonce
		if len(t.Nonce) != len(nonce) {
			g.malformed(t.testCase, fmt.Errorf("nonce is %d bytes", len(t.Nonce)))
			return
		}
		copy(nonce[:], t.Nonce)
		key, err := secret.NewKey(t.Key)
		if err != nil {
			g.malformed(t.testCase, err)
			return
		}
		defer key.Destroy()
		msg, err := secretbox.Open(nil, t.CT, &nonce, key)
		g.verdict(&t.testCase, "secretbox.Open", err, diff("msg", msg, t.Msg))
		if t.Result == "valid" {
			ct := secretbox.Seal(nil, t.Msg, &nonce, key)
			g.verdict(&t.testCase, "secretbox.Seal", nil, diff("ct", ct, t.CT))
		}
	})
}

// sealed.json: SealedBoxTest.

type sealedGroup struct {
	PublicKey bin `json:"publicKey"`
	SecretKey bin `json:"secretKey"`
}

type sealedTest struct {
	testCase
	Msg                bin `json:"msg"`
	CT                 bin `json:"ct"`
	EphemeralSecretKey bin `json:"ephemeralSecretKey"`
}

// recipient decodes a group's key pair and checks that the SDK derives the
// same public key from the secret key.
func recipient(pub, sk bin) (*sealed.PrivateKey, string, error) {
	if err := need(req{"publicKey", pub != nil}, req{"secretKey", sk != nil}); err != nil {
		return nil, "", err
	}
	k, err := sealed.NewPrivateKey(sk)
	if err != nil {
		return nil, "", err
	}
	return k, diff("publicKey", k.PublicKey()[:], pub), nil
}

func runSealed(g *group, tests []json.RawMessage) {
	var gr sealedGroup
	err := g.decodeGroup(&gr)
	var k *sealed.PrivateKey
	var pubDiff string
	if err == nil {
		k, pubDiff, err = recipient(gr.PublicKey, gr.SecretKey)
	}
	if err != nil {
		g.failAll(tests, err)
		return
	}
	defer k.Destroy()
	each(g, tests, func(t *sealedTest) {
		if err := need(req{"msg", t.Msg != nil}, req{"ct", t.CT != nil}); err != nil {
			g.malformed(t.testCase, err)
			return
		}
		msg, err := sealed.Open(nil, t.CT, k)
		g.verdict(&t.testCase, "sealed.Open", err, pubDiff, diff("msg", msg, t.Msg))
		if t.EphemeralSecretKey != nil {
			g.skip(&t.testCase, "sealed.Seal", noDeterministicSeal)
		}
	})
}

// authtoken.json: AuthTokenTest.

type authTokenTest struct {
	testCase
	EncryptedToken     *string `json:"encryptedToken"`
	Token              bin     `json:"token"`
	TokenHeader        *string `json:"tokenHeader"`
	EphemeralSecretKey bin     `json:"ephemeralSecretKey"`
}

func runAuthToken(g *group, tests []json.RawMessage) {
	var gr sealedGroup
	err := g.decodeGroup(&gr)
	var k *sealed.PrivateKey
	var pubDiff string
	var s *keys.Secrets
	if err == nil {
		k, pubDiff, err = recipient(gr.PublicKey, gr.SecretKey)
	}
	if err == nil {
		defer k.Destroy()
		s, err = accountFor(k)
	}
	if err != nil {
		g.failAll(tests, err)
		return
	}
	defer s.Destroy()
	each(g, tests, func(t *authTokenTest) {
		valid := t.Result == "valid"
		if err := need(req{"encryptedToken", t.EncryptedToken != nil},
			req{"token", !valid || t.Token != nil}, req{"tokenHeader", !valid || t.TokenHeader != nil}); err != nil {
			g.malformed(t.testCase, err)
			return
		}
		box, err := b64.Decode(*t.EncryptedToken)
		if err != nil {
			g.malformed(t.testCase, fmt.Errorf("encryptedToken: %w", err))
			return
		}
		token, err := sealed.Open(nil, box, k)
		g.verdict(&t.testCase, "sealed.Open", err, pubDiff, diff("token", token, t.Token))
		tok, err := keys.OpenToken(box, s)
		var m string
		if err == nil {
			m = diffString("tokenHeader", tok.HeaderValue(), deref(t.TokenHeader))
			tok.Destroy()
		}
		g.verdict(&t.testCase, "keys.OpenToken", err, m)
		if t.EphemeralSecretKey != nil {
			g.skip(&t.testCase, "sealed.Seal", noDeterministicSeal)
		}
	})
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// accountFor builds, with the public API only, an account whose key pair
// is k: keys.OpenToken takes the Secrets of an unlocked account, and the
// vectors give a bare key pair. The KEK is random and the attributes'
// Argon2id params are never used (Unlock takes the KEK directly).
func accountFor(k *sealed.PrivateKey) (*keys.Secrets, error) {
	kek, mk := secret.GenerateKey(), secret.GenerateKey()
	defer kek.Destroy()
	defer mk.Destroy()
	kekBytes, mkBytes, skBytes := kek.Bytes(), mk.Bytes(), k.Bytes()
	defer clear(kekBytes)
	defer clear(mkBytes)
	defer clear(skBytes)
	n1, n2 := secretbox.RandomNonce(), secretbox.RandomNonce()
	attrs, err := json.Marshal(map[string]any{
		"kekSalt":                  pwhash.RandomSalt(),
		"encryptedKey":             b64.Encode(secretbox.Seal(nil, mkBytes, n1, kek)),
		"keyDecryptionNonce":       n1,
		"publicKey":                k.PublicKey(),
		"encryptedSecretKey":       b64.Encode(secretbox.Seal(nil, skBytes, n2, mk)),
		"secretKeyDecryptionNonce": n2,
		"memLimit":                 pwhash.MinMemLimit,
		"opsLimit":                 pwhash.MinOpsLimit,
	})
	if err != nil {
		return nil, err
	}
	var a keys.Attributes
	if err := json.Unmarshal(attrs, &a); err != nil {
		return nil, err
	}
	kk, err := keys.NewKEK(kekBytes)
	if err != nil {
		return nil, err
	}
	return keys.Unlock(kk, &a) // the Secrets keep kk

}
