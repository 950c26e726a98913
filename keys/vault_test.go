package keys_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	nacl "golang.org/x/crypto/nacl/secretbox"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
	"github.com/e2eekit/e2ee/stream"
)

const totp = "otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example"

func TestAuthKeyEnvelope(t *testing.T) {
	acc := signUp(t)
	mk := acc.secrets.MasterKey()
	ak, env := keys.NewAuthKey(mk)
	wire, err := json.Marshal(env)
	require.NoError(t, err)
	assertFields(t, wire, "encryptedKey", "header")
	var back keys.AuthKeyEnvelope
	require.NoError(t, json.Unmarshal(wire, &back))
	got, err := keys.OpenAuthKey(&back, mk)
	require.NoError(t, err, "OpenAuthKey")
	require.True(t, got.Equal(ak), "OpenAuthKey")
	// "header" is the secretbox nonce: x/crypto opens it as one.
	plain := xOpen(t, env.EncryptedKey, (*[24]byte)(&env.Header), mk.Bytes())
	require.True(t, bytes.Equal(plain, ak.Bytes()), "x/crypto opens another key")
	_, err = keys.OpenAuthKey(env, signUp(t).secrets.MasterKey())
	require.ErrorIs(t, err, secretbox.ErrOpen, "another master key")
	for _, doc := range []string{`{}`, `{"encryptedKey":"AAAA"}`, `{"encryptedKey":"AAAA","header":"AAAA"}`} {
		assert.ErrorIs(t, json.Unmarshal([]byte(doc), &back), keys.ErrInvalidEnvelope, "%s", doc)
	}
}

func TestAuthEntityRoundTrip(t *testing.T) {
	ak := secret.GenerateKey()
	for _, uri := range []string{totp, `otpauth://hotp/"quoted"\back?secret=A&counter=1`, "otpauth://totp/caf%C3%A9 ☕?secret=B"} {
		e, err := keys.SealAuthEntity(uri, ak)
		require.NoError(t, err)
		wire, err := json.Marshal(e)
		require.NoError(t, err)
		assertFields(t, wire, "encryptedData", "header")
		// Entities come from the server with more fields.
		wire = mutate(t, mutate(t, wire, "id", `"0190c0a1"`), "isDeleted", "false")
		var back keys.AuthEntity
		require.NoError(t, json.Unmarshal(wire, &back))
		got, err := keys.OpenAuthEntity(&back, ak)
		require.NoError(t, err, "OpenAuthEntity")
		require.Equal(t, uri, got, "OpenAuthEntity")
		// The plaintext is the URI as a JSON string, in one FINAL message
		// (DecryptBlob is strict about the tag).
		plain, err := stream.DecryptBlob(e.EncryptedData, e.Header, ak)
		require.NoError(t, err)
		// As JSON.stringify writes it: only '"' and '\\' escaped among
		// printable characters, '&' left as is (not Go's \u0026).
		want := []byte(`"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(uri) + `"`)
		require.Equal(t, want, plain, "plaintext, want the JSON string")
	}
}

// legacyBlob encrypts msg as one message tagged tag, as Ente Auth wrote
// before November 2025 (tag MESSAGE).
func legacyBlob(t testing.TB, msg []byte, tag stream.Tag, k *secret.Key) ([]byte, stream.Header) {
	t.Helper()
	enc, h, err := stream.NewEncryptor(k)
	require.NoError(t, err)
	ct, err := enc.Push(nil, msg, tag)
	require.NoError(t, err)
	return ct, h
}

func TestAuthEntityTags(t *testing.T) {
	ak := secret.GenerateKey()
	msg, _ := json.Marshal(totp)
	ct, h := legacyBlob(t, msg, stream.TagMessage, ak)
	got, err := keys.OpenAuthEntity(&keys.AuthEntity{EncryptedData: ct, Header: h}, ak)
	require.NoError(t, err, "legacy MESSAGE-tagged entity")
	require.Equal(t, totp, got, "legacy MESSAGE-tagged entity")
	for _, tag := range []stream.Tag{stream.TagPush, stream.TagRekey} {
		ct, h := legacyBlob(t, msg, tag, ak)
		_, err := keys.OpenAuthEntity(&keys.AuthEntity{EncryptedData: ct, Header: h}, ak)
		assert.ErrorIs(t, err, stream.ErrUnexpectedTag, "entity tagged %v", tag)
	}
}

func TestAuthEntityRejects(t *testing.T) {
	ak := secret.GenerateKey()
	e, err := keys.SealAuthEntity(totp, ak)
	require.NoError(t, err)
	for i := range e.EncryptedData {
		bad := &keys.AuthEntity{EncryptedData: flip(e.EncryptedData, i), Header: e.Header}
		_, err := keys.OpenAuthEntity(bad, ak)
		require.ErrorIs(t, err, stream.ErrOpen, "byte %d flipped", i)
	}
	bad := *e
	bad.Header[0] ^= 1
	_, err = keys.OpenAuthEntity(&bad, ak)
	require.ErrorIs(t, err, stream.ErrOpen, "header flipped")
	_, err = keys.OpenAuthEntity(e, secret.GenerateKey())
	require.ErrorIs(t, err, stream.ErrOpen, "wrong authKey")
	_, err = keys.OpenAuthEntity(&keys.AuthEntity{EncryptedData: e.EncryptedData[:16], Header: e.Header}, ak)
	require.ErrorIs(t, err, stream.ErrTruncated, "16-byte entity")
	for _, uri := range []string{"", "otpauth://a\nb", "otpauth://a\rb", "\xff"} {
		_, err := keys.SealAuthEntity(uri, ak)
		assert.ErrorIs(t, err, keys.ErrInvalidURI, "SealAuthEntity(%q)", uri)
	}
}

// TestAuthEntityKnownAnswer decrypts Ente's secretstream known answer as an
// entity: it authenticates, but its plaintext "plain_text" is not a JSON
// string, so it is not a valid entity.
func TestAuthEntityKnownAnswer(t *testing.T) {
	k, _ := secret.NewKey(b64(t, enteArgonKey))
	var e keys.AuthEntity
	doc := `{"encryptedData":"` + enteStreamCT + `","header":"` + enteStreamHeader + `"}`
	require.NoError(t, json.Unmarshal([]byte(doc), &e))
	_, err := keys.OpenAuthEntity(&e, k)
	require.ErrorIs(t, err, keys.ErrInvalidEnvelope)
	plain, err := stream.DecryptBlob(e.EncryptedData, e.Header, k)
	require.NoError(t, err, "known answer does not decrypt")
	require.Equal(t, enteStreamPlain, string(plain), "known answer does not decrypt")
}

func TestVaultToken(t *testing.T) {
	ak := secret.GenerateKey()
	meta := json.RawMessage(`{"tags":["work"],"pinned":true}`)
	vt, err := keys.SealVaultToken(totp, meta, ak)
	require.NoError(t, err)
	wire, err := json.Marshal(vt)
	require.NoError(t, err)
	assertFields(t, wire, "encryptedKey", "keyDecryptionNonce", "encryptedData", "decryptionHeader")
	var back keys.VaultToken
	require.NoError(t, json.Unmarshal(wire, &back))
	uri, gotMeta, err := keys.OpenVaultToken(&back, ak)
	require.NoError(t, err, "OpenVaultToken")
	require.Equal(t, totp, uri, "OpenVaultToken")
	require.Equal(t, string(meta), string(gotMeta), "OpenVaultToken")

	// Independently: x/crypto opens the tokenKey, which decrypts the data.
	tk, ok := nacl.Open(nil, vt.EncryptedKey, (*[24]byte)(&vt.KeyDecryptionNonce), (*[32]byte)(ak.Bytes()))
	require.True(t, ok, "x/crypto does not open the tokenKey")
	tokenKey, _ := secret.NewKey(tk)
	plain, err := stream.DecryptBlob(vt.EncryptedData, vt.DecryptionHeader, tokenKey)
	require.NoError(t, err)
	var p struct {
		URI      string          `json:"uri"`
		Metadata json.RawMessage `json:"metadata"`
	}
	require.NoError(t, json.Unmarshal(plain, &p), "plaintext %s", plain)
	require.Equal(t, totp, p.URI, "plaintext %s", plain)
	require.Equal(t, string(meta), string(p.Metadata), "plaintext %s", plain)
	require.False(t, tokenKey.Equal(ak), "the token is encrypted under the authKey itself")

	// Each token has its own tokenKey.
	vt2, _ := keys.SealVaultToken(totp, nil, ak)
	require.NotEqual(t, vt.EncryptedKey, vt2.EncryptedKey, "two tokens share a wrapped tokenKey")
	_, m, err := keys.OpenVaultToken(vt2, ak)
	require.NoError(t, err, "token without metadata")
	require.Nil(t, m, "token without metadata")
}

func TestVaultTokenRejects(t *testing.T) {
	ak := secret.GenerateKey()
	vt, err := keys.SealVaultToken(totp, nil, ak)
	require.NoError(t, err)
	_, _, err = keys.OpenVaultToken(vt, secret.GenerateKey())
	require.ErrorIs(t, err, secretbox.ErrOpen, "wrong authKey")
	bad := *vt
	bad.EncryptedData = flip(vt.EncryptedData, 3)
	_, _, err = keys.OpenVaultToken(&bad, ak)
	require.ErrorIs(t, err, stream.ErrOpen, "tampered data")
	bad = *vt
	bad.EncryptedKey = vt.EncryptedKey[:47]
	_, _, err = keys.OpenVaultToken(&bad, ak)
	require.ErrorIs(t, err, keys.ErrInvalidEnvelope, "short tokenKey")
	_, err = keys.SealVaultToken(totp, json.RawMessage(`{"a":`), ak)
	require.ErrorIs(t, err, keys.ErrInvalidEnvelope, "invalid metadata")
	_, err = keys.SealVaultToken("a\nb", nil, ak)
	require.ErrorIs(t, err, keys.ErrInvalidURI, "URI with a newline")

	// The published design is new: its blobs must be FINAL, and the
	// plaintext an object with a uri.
	tk := secret.GenerateKey()
	wrapped := keys.WrapFileKey(tk, ak) // the same secretbox wrap
	for name, tc := range map[string]struct {
		msg  string
		tag  stream.Tag
		want error
	}{
		"tag MESSAGE":  {`{"uri":"otpauth://x"}`, stream.TagMessage, stream.ErrUnexpectedTag},
		"no uri":       {`{"metadata":{}}`, stream.TagFinal, keys.ErrInvalidEnvelope},
		"not JSON":     {`otpauth://x`, stream.TagFinal, keys.ErrInvalidEnvelope},
		"a JSON array": {`["otpauth://x"]`, stream.TagFinal, keys.ErrInvalidEnvelope},
	} {
		ct, h := legacyBlob(t, []byte(tc.msg), tc.tag, tk)
		v := &keys.VaultToken{EncryptedKey: wrapped.EncryptedKey, KeyDecryptionNonce: wrapped.KeyDecryptionNonce,
			EncryptedData: ct, DecryptionHeader: h}
		_, _, err := keys.OpenVaultToken(v, ak)
		assert.ErrorIs(t, err, tc.want, name)
	}
}

// An entity's plaintext is the URI as JSON.stringify writes it: U+2028 and
// U+2029 as they are (3 bytes each), not as the 6-character escapes of
// encoding/json (issue 11, item 6).
func TestAuthEntityEncodedLikeJS(t *testing.T) {
	ak := secret.GenerateKey()
	uri := "otpauth://totp/a\u2028b?secret=JBSWY3DP&issuer=<x>\u2029"
	e, err := keys.SealAuthEntity(uri, ak)
	require.NoError(t, err)
	plain, err := stream.DecryptBlob(e.EncryptedData, e.Header, ak)
	require.NoError(t, err)
	want := `"` + uri + `"`
	require.Equal(t, want, string(plain), "plaintext (%d bytes), want %d bytes", len(plain), len(want))
}

// A legacy entity whose plaintext is {"rawData": URI, "display": …}, as
// Ente Auth mobile reads it, opens to rawData (issue 11, item 10a).
func TestAuthEntityLegacyRawData(t *testing.T) {
	ak := secret.GenerateKey()
	open := func(msg string, tag stream.Tag) (string, error) {
		ct, h := legacyBlob(t, []byte(msg), tag, ak)
		return keys.OpenAuthEntity(&keys.AuthEntity{EncryptedData: ct, Header: h}, ak)
	}
	for _, msg := range []string{
		`{"rawData":` + str(totp) + `,"display":{"pinned":true,"tags":["work"]}}`,
		`{"display":null,"rawData":` + str(totp) + `}`,
		`{"rawData":` + str(totp) + `}`,
	} {
		for _, tag := range []stream.Tag{stream.TagMessage, stream.TagFinal} {
			got, err := open(msg, tag)
			assert.NoError(t, err, "%s, tag %v", msg, tag)
			assert.Equal(t, totp, got, "%s, tag %v: want the rawData URI", msg, tag)
		}
	}
	for _, msg := range []string{
		`{"display":{}}`,
		`{"rawData":""}`,
		`{"rawData":5}`,
		`{"rawData":null}`,
		`{"RAWDATA":` + str(totp) + `}`,
		`{"rawData":` + str(totp) + `,"rawData":"otpauth://totp/other?secret=AAAA"}`,
		`{"rawData":` + str(totp) + `,"display":{"a":1,"a":2}}`,
		`[` + str(totp) + `]`,
		`null`,
		`5`,
		"\uFEFF" + str(totp),
	} {
		got, err := open(msg, stream.TagFinal)
		assert.ErrorIs(t, err, keys.ErrInvalidEnvelope, "%s", msg)
		assert.Empty(t, got, "%s", msg)
	}
}
