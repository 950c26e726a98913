package conformance

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/stream"
)

// authenticator.json: AuthKeyTest, AuthEntityTest, AuthEntityEncodingTest,
// AuthExportTest. The
// envelopes are handed to the SDK's own JSON decoders, as they come off
// the wire.

type authKeyTest struct {
	testCase
	EncryptedKey json.RawMessage `json:"encryptedKey"`
	Header       json.RawMessage `json:"header"`
	AuthKey      bin             `json:"authKey"`
}

func runAuthKey(g *group, tests []json.RawMessage) {
	var gr struct {
		MasterKey bin `json:"masterKey"`
	}
	err := g.decodeGroup(&gr)
	var mk *keys.MasterKey
	if err == nil {
		mk, err = keys.NewMasterKey(gr.MasterKey)
	}
	if err != nil {
		g.failAll(tests, err)
		return
	}
	defer mk.Destroy()
	each(g, tests, func(t *authKeyTest) {
		if err := need(req{"encryptedKey", t.EncryptedKey != nil}, req{"header", t.Header != nil},
			req{"authKey", t.Result != "valid" || t.AuthKey != nil}); err != nil {
			g.malformed(t.testCase, err)
			return
		}
		var e keys.AuthKeyEnvelope
		err := unmarshalObject(&e, "encryptedKey", t.EncryptedKey, "header", t.Header)
		var k *secret.Key
		if err == nil {
			k, err = keys.OpenAuthKey(&e, mk)
		}
		var m string
		if err == nil {
			m = diff("authKey", k.Bytes(), t.AuthKey)
			k.Destroy()
		}
		g.verdict(&t.testCase, "keys.OpenAuthKey", err, m)
	})
}

// unmarshalObject builds a JSON object from name/value pairs and decodes it
// into v with v's own UnmarshalJSON.
func unmarshalObject(v any, kv ...any) error {
	obj := map[string]json.RawMessage{}
	for i := 0; i+1 < len(kv); i += 2 {
		obj[kv[i].(string)] = kv[i+1].(json.RawMessage)
	}
	raw, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

type authEntityTest struct {
	testCase
	EncryptedData json.RawMessage `json:"encryptedData"`
	Header        json.RawMessage `json:"header"`
	URI           *string         `json:"uri"`
}

func runAuthEntity(g *group, tests []json.RawMessage) {
	var gr struct {
		AuthKey bin `json:"authKey"`
	}
	err := g.decodeGroup(&gr)
	var k *secret.Key
	if err == nil {
		k, err = secret.NewKey(gr.AuthKey)
	}
	if err != nil {
		g.failAll(tests, err)
		return
	}
	defer k.Destroy()
	each(g, tests, func(t *authEntityTest) {
		if err := need(req{"encryptedData", t.EncryptedData != nil}, req{"header", t.Header != nil},
			req{"uri", t.Result != "valid" || t.URI != nil}); err != nil {
			g.malformed(t.testCase, err)
			return
		}
		var e keys.AuthEntity
		err := unmarshalObject(&e, "encryptedData", t.EncryptedData, "header", t.Header)
		var uri string
		if err == nil {
			uri, err = keys.OpenAuthEntity(&e, k)
		}
		g.verdict(&t.testCase, "keys.OpenAuthEntity", err, diffString("uri", uri, deref(t.URI)))
	})
}

type authEntityEncodingTest struct {
	testCase
	URI  *string `json:"uri"`
	JSON *string `json:"json"`
}

// runAuthEntityEncoding seals each URI as an entity under a fresh key and
// compares the decrypted plaintext with what JSON.stringify wrote.
func runAuthEntityEncoding(g *group, tests []json.RawMessage) {
	k := secret.GenerateKey()
	defer k.Destroy()
	each(g, tests, func(t *authEntityEncodingTest) {
		if err := need(req{"uri", t.URI != nil}, req{"json", t.JSON != nil}); err != nil {
			g.malformed(t.testCase, err)
			return
		}
		e, err := keys.SealAuthEntity(*t.URI, k)
		var plain []byte
		if err == nil {
			plain, err = stream.DecryptBlob(e.EncryptedData, e.Header, k)
		}
		g.verdict(&t.testCase, "keys.SealAuthEntity", err, diffString("plaintext", string(plain), *t.JSON))
	})
}

type authExportTest struct {
	testCase
	Password *string         `json:"password"`
	Export   json.RawMessage `json:"export"`
	URIs     []string        `json:"uris"`
}

func runAuthExport(g *group, tests []json.RawMessage) {
	each(g, tests, func(t *authExportTest) {
		if err := need(req{"password", t.Password != nil}, req{"export", t.Export != nil},
			req{"uris", t.Result != "valid" || t.URIs != nil}); err != nil {
			g.malformed(t.testCase, err)
			return
		}
		var params struct {
			KDFParams struct {
				MemLimit uint64 `json:"memLimit"`
				OpsLimit uint64 `json:"opsLimit"`
			} `json:"kdfParams"`
		}
		if json.Unmarshal(t.Export, &params) == nil {
			p := params.KDFParams
			if reason := g.tooCostly(pwhash.Params{OpsLimit: p.OpsLimit, MemLimit: p.MemLimit}, g.r.opts.Limits); reason != "" {
				g.skip(&t.testCase, "keys.DecryptExport", reason)
				return
			}
		}
		uris, err := keys.DecryptExport(t.Export, []byte(*t.Password), g.r.opts.Limits)
		var m string
		if err == nil && !slices.Equal(uris, t.URIs) {
			m = fmt.Sprintf("uris: got %d URIs, want %d, or they differ", len(uris), len(t.URIs))
		}
		g.verdict(&t.testCase, "keys.DecryptExport", err, m)
	})
}
