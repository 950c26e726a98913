package keys_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/jsonstrict"
	"github.com/e2eekit/e2ee/internal/vectorseed"
	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/sealed"
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

// succeeded reports whether err is nil, and fails t unless it is nil or
// wraps one of the documented errors.
func succeeded(t *testing.T, err error, documented ...error) bool {
	t.Helper()
	require.True(t, err == nil || isAny(err, documented...), "undocumented error %v", err)
	return err == nil
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
	f.Add(prepend(f, wire, "{", `"memLimit":8192`))
	f.Add(append([]byte("\uFEFF"), wire...))
	// The vectors' accounts, and their malformed variants.
	for _, a := range vectorseed.Strings(f, "attributes.json", "attributes") {
		f.Add([]byte(a))
	}
	kek := acc.secrets.KEK()
	f.Fuzz(func(t *testing.T, data []byte) {
		var a keys.Attributes
		err := a.UnmarshalJSON(data)
		p, perr := keys.ParseAttributes(data)
		require.Equal(t, err == nil, perr == nil, "ParseAttributes (%v) and UnmarshalJSON (%v) disagree", perr, err)
		if perr == nil {
			require.Equal(t, &a, p, "ParseAttributes and UnmarshalJSON disagree")
		}
		if !succeeded(t, err, keys.ErrInvalidAttributes) {
			return
		}
		require.NoError(t, jsonstrict.Check(data), "accepted attributes that are not strict JSON")
		require.NoError(t, a.Validate(), "decoded attributes do not validate")
		out, err := json.Marshal(&a)
		require.NoError(t, err)
		var b keys.Attributes
		require.NoError(t, json.Unmarshal(out, &b))
		out2, _ := json.Marshal(&b)
		require.Equal(t, out, out2, "re-encoding is not a fixed point")
		_, err = keys.Unlock(kek, &a)
		require.True(t, err == nil || isAny(err, keys.ErrIncorrectPassword, keys.ErrInvalidAttributes), "Unlock: undocumented error %v", err)
		_, err = keys.UnlockWithRecoveryKey(acc.rk, &a)
		require.True(t, err == nil || isAny(err, keys.ErrIncorrectRecoveryKey, keys.ErrNoRecoveryKey, keys.ErrInvalidAttributes),
			"UnlockWithRecoveryKey: undocumented error %v", err)
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
	// Every phrase, hex form and typed input in the vectors, valid or not.
	for _, path := range []string{"recoveryPhrase", "recoveryKeyHex", "expected.recoveryPhrase",
		"expected.recoveryKeyHex", "RecoveryKeyParseTest/input", "RecoveryUnlockTest/recoveryKey"} {
		for _, s := range vectorseed.Strings(f, "attributes.json", path) {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		rk, err := keys.ParseRecoveryKey(s)
		if !succeeded(t, err, keys.ErrInvalidRecoveryKey) {
			return
		}
		for _, text := range []string{rk.Mnemonic(), rk.Hex()} {
			again, err := keys.ParseRecoveryKey(text)
			require.NoError(t, err, "%q does not round-trip", text)
			require.True(t, again.Equal(rk), "%q does not round-trip", text)
		}
	})
}

// FuzzAuthEntity: decoding and opening an entity never panic and fail only
// with documented errors; what opens re-seals and opens to the same URI.
// The authKey is the vectors', so that their entities open.
func FuzzAuthEntity(f *testing.F) {
	ak, err := secret.NewKey(vectorseed.Bytes(f, "authenticator.json", "AuthEntityTest/authKey")[0])
	require.NoError(f, err)
	for _, r := range vectorseed.Rows(f, "authenticator.json", "AuthEntityTest/encryptedData", "header") {
		f.Add(entityJSON(f, r[0], r[1]))
	}
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
		if !succeeded(t, e.UnmarshalJSON(data), keys.ErrInvalidEnvelope) {
			return
		}
		uri, err := keys.OpenAuthEntity(&e, ak)
		if !succeeded(t, err, keys.ErrInvalidEnvelope, stream.ErrOpen, stream.ErrTruncated, stream.ErrUnexpectedTag, stream.ErrTooLarge) {
			return
		}
		e2, err := keys.SealAuthEntity(uri, ak)
		if !succeeded(t, err, keys.ErrInvalidURI) {
			return
		}
		got, err := keys.OpenAuthEntity(e2, ak)
		require.NoError(t, err, "re-sealed entity")
		require.Equal(t, uri, got, "re-sealed entity opens to another URI")
	})
}

// entityJSON is an Auth entity as the server sends it.
func entityJSON(t testing.TB, data, header string) []byte {
	b, err := json.Marshal(map[string]any{"id": "e", "encryptedData": data, "header": header, "isDeleted": false})
	require.NoError(t, err)
	return b
}

// FuzzAuthKey: decoding and opening an authKey envelope never panic and
// fail only with documented errors; what opens is a key that re-wraps and
// opens again. The master key is the vectors', so that their envelopes open.
func FuzzAuthKey(f *testing.F) {
	mk, err := keys.NewMasterKey(vectorseed.Bytes(f, "authenticator.json", "AuthKeyTest/masterKey")[0])
	require.NoError(f, err)
	for _, r := range vectorseed.Rows(f, "authenticator.json", "AuthKeyTest/encryptedKey", "header") {
		b, _ := json.Marshal(map[string]string{"encryptedKey": r[0], "header": r[1]})
		f.Add(b)
	}
	_, env := keys.NewAuthKey(mk)
	wire, _ := json.Marshal(env)
	f.Add(wire)
	f.Add([]byte(`{"encryptedKey":"","header":""}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var e keys.AuthKeyEnvelope
		if !succeeded(t, e.UnmarshalJSON(data), keys.ErrInvalidEnvelope) {
			return
		}
		k, err := keys.OpenAuthKey(&e, mk)
		if !succeeded(t, err, keys.ErrInvalidEnvelope, secretbox.ErrOpen) {
			return
		}
		defer k.Destroy()
		wire, err := json.Marshal(&e)
		require.NoError(t, err)
		var again keys.AuthKeyEnvelope
		require.NoError(t, json.Unmarshal(wire, &again), "re-decoding %s", wire)
		k2, err := keys.OpenAuthKey(&again, mk)
		require.NoError(t, err, "re-encoded envelope")
		require.True(t, k2.Equal(k), "re-encoded envelope opens to another key")
	})
}

// FuzzOpenToken: opening an encryptedToken never panics and fails only
// with documented errors. The vectors' tokens are sealed to another key
// pair, so they exercise decoding and the sealed-box checks.
func FuzzOpenToken(f *testing.F) {
	acc := signUp(f)
	for _, s := range vectorseed.Strings(f, "authtoken.json", "encryptedToken") {
		f.Add(s)
	}
	box, err := sealed.Seal(nil, bytes.Repeat([]byte{7}, keys.AuthTokenSize), acc.secrets.PublicKey())
	require.NoError(f, err)
	f.Add(base64.StdEncoding.EncodeToString(box))
	f.Fuzz(func(t *testing.T, s string) {
		var box keys.Ciphertext
		if box.UnmarshalText([]byte(s)) != nil {
			return // refused before any cryptography
		}
		tok, err := keys.OpenToken(box, acc.secrets)
		if err != nil {
			require.True(t, isAny(err, keys.ErrInvalidEnvelope, sealed.ErrOpen), "OpenToken: undocumented error %v", err)
			require.Nil(t, tok, "OpenToken returned a token with an error")
			return
		}
		defer tok.Destroy()
		// raw is the token: its length is compared, not its bytes.
		raw, err := base64.URLEncoding.DecodeString(tok.HeaderValue())
		require.NoError(t, err, "header value")
		require.Equal(t, keys.AuthTokenSize, len(raw), "header value bytes")
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
	f.Add(prepend(f, cheapExport(f, totp+"\n", stream.TagFinal), "{", `"version":2`))
	f.Add(prepend(f, cheapExport(f, totp+"\n", stream.TagFinal), `"kdfParams":{`, `"opsLimit":1`))
	// The vectors' exports: under another password, and most above
	// fuzzLimits, so they exercise decoding and the cost cap.
	for _, x := range vectorseed.Strings(f, "authenticator.json", "export") {
		f.Add([]byte(x))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		x, perr := keys.ParseExport(data)
		if !succeeded(t, perr, keys.ErrInvalidExport, keys.ErrUnsupportedVersion) {
			require.Nil(t, x, "ParseExport returned an export with an error")
		} else {
			require.NoError(t, jsonstrict.Check(data), "accepted an export that is not strict JSON")
		}
		uris, err := keys.DecryptExport(data, password, fuzzLimits)
		if perr != nil {
			require.EqualError(t, err, perr.Error(), "DecryptExport does not fail as ParseExport")
		}
		if !succeeded(t, err, keys.ErrInvalidExport, keys.ErrUnsupportedVersion, keys.ErrIncorrectPassword,
			pwhash.ErrTooExpensive, pwhash.ErrInvalidParams) {
			return
		}
		for _, u := range uris {
			require.NotEmpty(t, u, "URI %q", u)
			require.False(t, strings.ContainsAny(u, "\r\n"), "URI %q", u)
		}
	})
}

// FuzzVaultToken: the published design's records, same properties.
func FuzzVaultToken(f *testing.F) {
	ak, _ := secret.NewKey(bytes.Repeat([]byte{0x24}, 32))
	vt, _ := keys.SealVaultToken(totp, json.RawMessage(`{"a":1}`), ak)
	wire, _ := json.Marshal(vt)
	f.Add(wire)
	// No vector holds a vault token (the published design's records); its
	// parts are a secretbox and a blob, so pair those vectors' fields.
	boxes := vectorseed.Rows(f, "secretbox.json", "ct", "nonce")
	blobs := vectorseed.Rows(f, "blob.json", "ct", "header")
	for i := range min(len(boxes), len(blobs)) {
		b, _ := json.Marshal(map[string]string{"encryptedKey": boxes[i][0], "keyDecryptionNonce": boxes[i][1],
			"encryptedData": blobs[i][0], "decryptionHeader": blobs[i][1]})
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v keys.VaultToken
		if !succeeded(t, v.UnmarshalJSON(data), keys.ErrInvalidEnvelope) {
			return
		}
		_, _, err := keys.OpenVaultToken(&v, ak)
		succeeded(t, err, keys.ErrInvalidEnvelope, secretbox.ErrOpen, stream.ErrOpen, stream.ErrTruncated, stream.ErrUnexpectedTag, stream.ErrTooLarge)
	})
}

// FuzzEntityPlaintexts: any authentic plaintext, as an Auth entity or a
// vault token, opens or fails with ErrInvalidEnvelope alone, and never
// from input that is not strict JSON; an entity's URI re-seals as
// JSON.stringify writes it and opens to itself.
func FuzzEntityPlaintexts(f *testing.F) {
	for _, s := range []string{str(totp), `{"rawData":` + str(totp) + `,"display":{"pinned":true}}`,
		`{"rawData":"a","rawData":"b"}`, `{"uri":` + str(totp) + `,"metadata":{"k":[1,2]}}`, `{"uri":"a","URI":"b"}`,
		`"x\u2028y"`, "\"x\u2028y\"", "\uFEFF\"x\"", `null`, `[]`, `{"rawData":""}`} {
		f.Add([]byte(s))
	}
	for _, p := range vectorseed.Strings(f, "authenticator.json", "AuthEntityTest/plaintext") {
		f.Add(b64(f, p))
	}
	ak := secret.GenerateKey()
	tk := secret.GenerateKey()
	wrapped := keys.WrapFileKey(tk, ak)
	f.Fuzz(func(t *testing.T, msg []byte) {
		strict := jsonstrict.Check(msg) == nil
		ct, h, err := stream.EncryptBlob(msg, ak)
		require.NoError(t, err)
		uri, err := keys.OpenAuthEntity(&keys.AuthEntity{EncryptedData: ct, Header: h}, ak)
		if succeeded(t, err, keys.ErrInvalidEnvelope) {
			require.True(t, strict, "an entity opened from a plaintext that is not strict JSON")
			if e, err := keys.SealAuthEntity(uri, ak); err == nil {
				plain, err := stream.DecryptBlob(e.EncryptedData, e.Header, ak)
				require.NoError(t, err, "re-sealed entity does not hold the URI")
				var back string
				require.NoError(t, json.Unmarshal(plain, &back), "re-sealed entity does not hold the URI")
				require.Equal(t, uri, back, "re-sealed entity does not hold the URI")
				// Without escapes, JSON.stringify's form is the input.
				if bytes.HasPrefix(msg, []byte(`"`)) && !bytes.ContainsRune(msg, '\\') {
					require.Equal(t, bytes.TrimRight(msg, " \t\r\n"), plain, "an unescaped JSON string re-encodes differently")
				}
			}
		}
		ct, h, err = stream.EncryptBlob(msg, tk)
		require.NoError(t, err)
		v := &keys.VaultToken{EncryptedKey: wrapped.EncryptedKey, KeyDecryptionNonce: wrapped.KeyDecryptionNonce,
			EncryptedData: ct, DecryptionHeader: h}
		if _, _, err := keys.OpenVaultToken(v, ak); succeeded(t, err, keys.ErrInvalidEnvelope) {
			require.True(t, strict, "a vault token opened from a plaintext that is not strict JSON")
		}
	})
}
