package keys_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
	"github.com/e2eekit/e2ee/stream"
)

// isAny reports whether err wraps one of targets.
func isAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

// FuzzAttributesJSON: decoding never panics, fails only with
// ErrInvalidAttributes, and what decodes is valid, re-encodes to a fixed
// point, and unlocks or fails with a documented error.
func FuzzAttributesJSON(f *testing.F) {
	acc := signUp(f)
	wire, _ := json.Marshal(acc.attrs)
	f.Add(wire)
	f.Add(mutate(f, wire, "masterKeyDecryptionNonce", `""`))
	f.Add(mutate(f, wire, "kekHash", `"x"`))
	f.Add([]byte(`{"kekSalt":"AAAAAAAAAAAAAAAAAAAAAA==","memLimit":8192,"opsLimit":1}`))
	f.Add([]byte(`null`))
	kek := acc.secrets.KEK()
	f.Fuzz(func(t *testing.T, data []byte) {
		var a keys.Attributes
		if err := a.UnmarshalJSON(data); err != nil {
			if !errors.Is(err, keys.ErrInvalidAttributes) {
				t.Fatalf("undocumented error %v", err)
			}
			return
		}
		if err := a.Validate(); err != nil {
			t.Fatalf("decoded attributes do not validate: %v", err)
		}
		out, err := json.Marshal(&a)
		if err != nil {
			t.Fatal(err)
		}
		var b keys.Attributes
		if err := json.Unmarshal(out, &b); err != nil {
			t.Fatal(err)
		}
		if out2, _ := json.Marshal(&b); !bytes.Equal(out, out2) {
			t.Fatalf("re-encoding is not a fixed point:\n%s\n%s", out, out2)
		}
		if _, err := keys.Unlock(kek, &a); err != nil && !isAny(err, keys.ErrIncorrectPassword, keys.ErrInvalidAttributes) {
			t.Fatalf("Unlock: undocumented error %v", err)
		}
		if _, err := keys.UnlockWithRecoveryKey(acc.rk, &a); err != nil &&
			!isAny(err, keys.ErrIncorrectRecoveryKey, keys.ErrNoRecoveryKey, keys.ErrInvalidAttributes) {
			t.Fatalf("UnlockWithRecoveryKey: undocumented error %v", err)
		}
	})
}

// FuzzParseRecoveryKey: parsing never panics, fails only with
// ErrInvalidRecoveryKey, and a parsed key round-trips through both forms.
func FuzzParseRecoveryKey(f *testing.F) {
	for _, v := range bip39Vectors {
		f.Add(v.phrase)
		f.Add(v.entropy)
	}
	f.Add(strings.ToUpper(bip39Vectors[5].phrase) + "\n")
	f.Add("abandon")
	f.Fuzz(func(t *testing.T, s string) {
		rk, err := keys.ParseRecoveryKey(s)
		if err != nil {
			if !errors.Is(err, keys.ErrInvalidRecoveryKey) {
				t.Fatalf("undocumented error %v", err)
			}
			return
		}
		for _, text := range []string{rk.Mnemonic(), rk.Hex()} {
			again, err := keys.ParseRecoveryKey(text)
			if err != nil || !again.Equal(rk) {
				t.Fatalf("%q does not round-trip: %v", text, err)
			}
		}
	})
}

// FuzzAuthEntity: decoding and opening an entity never panic and fail only
// with documented errors; what opens re-seals and opens to the same URI.
func FuzzAuthEntity(f *testing.F) {
	ak, _ := secret.NewKey(bytes.Repeat([]byte{0x42}, 32))
	e, _ := keys.SealAuthEntity(totp, ak)
	wire, _ := json.Marshal(e)
	f.Add(wire)
	msg, _ := json.Marshal(totp)
	ct, h := legacyBlob(f, msg, stream.TagMessage, ak)
	wire, _ = json.Marshal(keys.AuthEntity{EncryptedData: ct, Header: h})
	f.Add(wire)
	f.Add([]byte(`{"encryptedData":"` + enteStreamCT + `","header":"` + enteStreamHeader + `"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var e keys.AuthEntity
		if err := e.UnmarshalJSON(data); err != nil {
			if !errors.Is(err, keys.ErrInvalidEnvelope) {
				t.Fatalf("undocumented error %v", err)
			}
			return
		}
		uri, err := keys.OpenAuthEntity(&e, ak)
		if err != nil {
			if !isAny(err, keys.ErrInvalidEnvelope, stream.ErrOpen, stream.ErrTruncated, stream.ErrUnexpectedTag, stream.ErrTooLarge) {
				t.Fatalf("undocumented error %v", err)
			}
			return
		}
		e2, err := keys.SealAuthEntity(uri, ak)
		if err != nil {
			if !errors.Is(err, keys.ErrInvalidURI) {
				t.Fatalf("re-sealing: %v", err)
			}
			return
		}
		if got, err := keys.OpenAuthEntity(e2, ak); err != nil || got != uri {
			t.Fatalf("re-sealed entity opens to %q, %v", got, err)
		}
	})
}

// fuzzLimits keep every Argon2id run the fuzzer can ask for tiny.
var fuzzLimits = pwhash.Limits{MaxMemLimit: 64 << 10, MaxWork: 128 << 10}

// FuzzDecryptExport: reading an export never panics, never derives above
// its limits, and fails only with documented errors.
func FuzzDecryptExport(f *testing.F) {
	f.Add(cheapExport(f, totp+"\n", stream.TagFinal))
	f.Add(cheapExport(f, totp+"\n"+totp, stream.TagMessage))
	f.Add(cheapExport(f, "", stream.TagFinal))
	f.Add(enteExport("1"))
	f.Add(enteExport("2"))
	f.Fuzz(func(t *testing.T, data []byte) {
		uris, err := keys.DecryptExport(data, password, fuzzLimits)
		if err != nil {
			if !isAny(err, keys.ErrInvalidExport, keys.ErrUnsupportedVersion, keys.ErrIncorrectPassword,
				pwhash.ErrTooExpensive, pwhash.ErrInvalidParams) {
				t.Fatalf("undocumented error %v", err)
			}
			return
		}
		for _, u := range uris {
			if u == "" || strings.ContainsAny(u, "\r\n") {
				t.Fatalf("URI %q", u)
			}
		}
	})
}

// FuzzVaultToken: the published design's records, same properties.
func FuzzVaultToken(f *testing.F) {
	ak, _ := secret.NewKey(bytes.Repeat([]byte{0x24}, 32))
	vt, _ := keys.SealVaultToken(totp, json.RawMessage(`{"a":1}`), ak)
	wire, _ := json.Marshal(vt)
	f.Add(wire)
	f.Fuzz(func(t *testing.T, data []byte) {
		var v keys.VaultToken
		if err := v.UnmarshalJSON(data); err != nil {
			if !errors.Is(err, keys.ErrInvalidEnvelope) {
				t.Fatalf("undocumented error %v", err)
			}
			return
		}
		if _, _, err := keys.OpenVaultToken(&v, ak); err != nil &&
			!isAny(err, keys.ErrInvalidEnvelope, secretbox.ErrOpen, stream.ErrOpen, stream.ErrTruncated, stream.ErrUnexpectedTag, stream.ErrTooLarge) {
			t.Fatalf("undocumented error %v", err)
		}
	})
}
