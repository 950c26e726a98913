package keys_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	nacl "golang.org/x/crypto/nacl/secretbox"

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
	if err != nil {
		t.Fatal(err)
	}
	assertFields(t, wire, "encryptedKey", "header")
	var back keys.AuthKeyEnvelope
	if err := json.Unmarshal(wire, &back); err != nil {
		t.Fatal(err)
	}
	got, err := keys.OpenAuthKey(&back, mk)
	if err != nil || !got.Equal(ak) {
		t.Fatalf("OpenAuthKey: %v", err)
	}
	// "header" is the secretbox nonce: x/crypto opens it as one.
	if plain := xOpen(t, env.EncryptedKey, (*[24]byte)(&env.Header), mk.Bytes()); !bytes.Equal(plain, ak.Bytes()) {
		t.Fatal("x/crypto opens another key")
	}
	if _, err := keys.OpenAuthKey(env, signUp(t).secrets.MasterKey()); !errors.Is(err, secretbox.ErrOpen) {
		t.Fatalf("another master key: %v, want secretbox.ErrOpen", err)
	}
	for _, doc := range []string{`{}`, `{"encryptedKey":"AAAA"}`, `{"encryptedKey":"AAAA","header":"AAAA"}`} {
		if err := json.Unmarshal([]byte(doc), &back); !errors.Is(err, keys.ErrInvalidEnvelope) {
			t.Errorf("%s: %v, want ErrInvalidEnvelope", doc, err)
		}
	}
}

func TestAuthEntityRoundTrip(t *testing.T) {
	ak := secret.GenerateKey()
	for _, uri := range []string{totp, `otpauth://hotp/"quoted"\back?secret=A&counter=1`, "otpauth://totp/caf%C3%A9 ☕?secret=B"} {
		e, err := keys.SealAuthEntity(uri, ak)
		if err != nil {
			t.Fatal(err)
		}
		wire, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		assertFields(t, wire, "encryptedData", "header")
		// Entities come from the server with more fields.
		wire = mutate(t, mutate(t, wire, "id", `"0190c0a1"`), "isDeleted", "false")
		var back keys.AuthEntity
		if err := json.Unmarshal(wire, &back); err != nil {
			t.Fatal(err)
		}
		got, err := keys.OpenAuthEntity(&back, ak)
		if err != nil || got != uri {
			t.Fatalf("OpenAuthEntity = %q, %v; want %q", got, err, uri)
		}
		// The plaintext is the URI as a JSON string, in one FINAL message
		// (DecryptBlob is strict about the tag).
		plain, err := stream.DecryptBlob(e.EncryptedData, e.Header, ak)
		if err != nil {
			t.Fatal(err)
		}
		// As JSON.stringify writes it: only '"' and '\\' escaped among
		// printable characters, '&' left as is (not Go's \u0026).
		want := []byte(`"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(uri) + `"`)
		if !bytes.Equal(plain, want) {
			t.Fatalf("plaintext %q, want the JSON string %q", plain, want)
		}
	}
}

// legacyBlob encrypts msg as one message tagged tag, as Ente Auth wrote
// before November 2025 (tag MESSAGE).
func legacyBlob(t testing.TB, msg []byte, tag stream.Tag, k *secret.Key) ([]byte, stream.Header) {
	t.Helper()
	enc, h, err := stream.NewEncryptor(k)
	if err != nil {
		t.Fatal(err)
	}
	ct, err := enc.Push(nil, msg, tag)
	if err != nil {
		t.Fatal(err)
	}
	return ct, h
}

func TestAuthEntityTags(t *testing.T) {
	ak := secret.GenerateKey()
	msg, _ := json.Marshal(totp)
	ct, h := legacyBlob(t, msg, stream.TagMessage, ak)
	got, err := keys.OpenAuthEntity(&keys.AuthEntity{EncryptedData: ct, Header: h}, ak)
	if err != nil || got != totp {
		t.Fatalf("legacy MESSAGE-tagged entity: %q, %v", got, err)
	}
	for _, tag := range []stream.Tag{stream.TagPush, stream.TagRekey} {
		ct, h := legacyBlob(t, msg, tag, ak)
		if _, err := keys.OpenAuthEntity(&keys.AuthEntity{EncryptedData: ct, Header: h}, ak); !errors.Is(err, stream.ErrUnexpectedTag) {
			t.Errorf("entity tagged %v: %v, want stream.ErrUnexpectedTag", tag, err)
		}
	}
}

func TestAuthEntityRejects(t *testing.T) {
	ak := secret.GenerateKey()
	e, err := keys.SealAuthEntity(totp, ak)
	if err != nil {
		t.Fatal(err)
	}
	for i := range e.EncryptedData {
		bad := &keys.AuthEntity{EncryptedData: flip(e.EncryptedData, i), Header: e.Header}
		if _, err := keys.OpenAuthEntity(bad, ak); !errors.Is(err, stream.ErrOpen) {
			t.Fatalf("byte %d flipped: %v, want stream.ErrOpen", i, err)
		}
	}
	bad := *e
	bad.Header[0] ^= 1
	if _, err := keys.OpenAuthEntity(&bad, ak); !errors.Is(err, stream.ErrOpen) {
		t.Fatalf("header flipped: %v, want stream.ErrOpen", err)
	}
	if _, err := keys.OpenAuthEntity(e, secret.GenerateKey()); !errors.Is(err, stream.ErrOpen) {
		t.Fatalf("wrong authKey: %v, want stream.ErrOpen", err)
	}
	if _, err := keys.OpenAuthEntity(&keys.AuthEntity{EncryptedData: e.EncryptedData[:16], Header: e.Header}, ak); !errors.Is(err, stream.ErrTruncated) {
		t.Fatalf("16-byte entity: %v, want stream.ErrTruncated", err)
	}
	for _, uri := range []string{"", "otpauth://a\nb", "otpauth://a\rb", "\xff"} {
		if _, err := keys.SealAuthEntity(uri, ak); !errors.Is(err, keys.ErrInvalidURI) {
			t.Errorf("SealAuthEntity(%q): %v, want ErrInvalidURI", uri, err)
		}
	}
}

// TestAuthEntityKnownAnswer decrypts Ente's secretstream known answer as an
// entity: it authenticates, but its plaintext "plain_text" is not a JSON
// string, so it is not a valid entity.
func TestAuthEntityKnownAnswer(t *testing.T) {
	k, _ := secret.NewKey(b64(t, enteArgonKey))
	var e keys.AuthEntity
	doc := `{"encryptedData":"` + enteStreamCT + `","header":"` + enteStreamHeader + `"}`
	if err := json.Unmarshal([]byte(doc), &e); err != nil {
		t.Fatal(err)
	}
	if _, err := keys.OpenAuthEntity(&e, k); !errors.Is(err, keys.ErrInvalidEnvelope) {
		t.Fatalf("got %v, want ErrInvalidEnvelope", err)
	}
	plain, err := stream.DecryptBlob(e.EncryptedData, e.Header, k)
	if err != nil || string(plain) != enteStreamPlain {
		t.Fatalf("known answer does not decrypt: %v", err)
	}
}

func TestVaultToken(t *testing.T) {
	ak := secret.GenerateKey()
	meta := json.RawMessage(`{"tags":["work"],"pinned":true}`)
	vt, err := keys.SealVaultToken(totp, meta, ak)
	if err != nil {
		t.Fatal(err)
	}
	wire, err := json.Marshal(vt)
	if err != nil {
		t.Fatal(err)
	}
	assertFields(t, wire, "encryptedKey", "keyDecryptionNonce", "encryptedData", "decryptionHeader")
	var back keys.VaultToken
	if err := json.Unmarshal(wire, &back); err != nil {
		t.Fatal(err)
	}
	uri, gotMeta, err := keys.OpenVaultToken(&back, ak)
	if err != nil || uri != totp || !bytes.Equal(gotMeta, meta) {
		t.Fatalf("OpenVaultToken = %q, %s, %v", uri, gotMeta, err)
	}

	// Independently: x/crypto opens the tokenKey, which decrypts the data.
	tk, ok := nacl.Open(nil, vt.EncryptedKey, (*[24]byte)(&vt.KeyDecryptionNonce), (*[32]byte)(ak.Bytes()))
	if !ok {
		t.Fatal("x/crypto does not open the tokenKey")
	}
	tokenKey, _ := secret.NewKey(tk)
	plain, err := stream.DecryptBlob(vt.EncryptedData, vt.DecryptionHeader, tokenKey)
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		URI      string          `json:"uri"`
		Metadata json.RawMessage `json:"metadata"`
	}
	if err := json.Unmarshal(plain, &p); err != nil || p.URI != totp || !bytes.Equal(p.Metadata, meta) {
		t.Fatalf("plaintext %s", plain)
	}
	if tokenKey.Equal(ak) {
		t.Fatal("the token is encrypted under the authKey itself")
	}

	// Each token has its own tokenKey.
	vt2, _ := keys.SealVaultToken(totp, nil, ak)
	if bytes.Equal(vt2.EncryptedKey, vt.EncryptedKey) {
		t.Fatal("two tokens share a wrapped tokenKey")
	}
	if _, m, err := keys.OpenVaultToken(vt2, ak); err != nil || m != nil {
		t.Fatalf("token without metadata: %s, %v", m, err)
	}
}

func TestVaultTokenRejects(t *testing.T) {
	ak := secret.GenerateKey()
	vt, err := keys.SealVaultToken(totp, nil, ak)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := keys.OpenVaultToken(vt, secret.GenerateKey()); !errors.Is(err, secretbox.ErrOpen) {
		t.Fatalf("wrong authKey: %v, want secretbox.ErrOpen", err)
	}
	bad := *vt
	bad.EncryptedData = flip(vt.EncryptedData, 3)
	if _, _, err := keys.OpenVaultToken(&bad, ak); !errors.Is(err, stream.ErrOpen) {
		t.Fatalf("tampered data: %v, want stream.ErrOpen", err)
	}
	bad = *vt
	bad.EncryptedKey = vt.EncryptedKey[:47]
	if _, _, err := keys.OpenVaultToken(&bad, ak); !errors.Is(err, keys.ErrInvalidEnvelope) {
		t.Fatalf("short tokenKey: %v, want ErrInvalidEnvelope", err)
	}
	if _, err := keys.SealVaultToken(totp, json.RawMessage(`{"a":`), ak); !errors.Is(err, keys.ErrInvalidEnvelope) {
		t.Fatalf("invalid metadata: %v", err)
	}
	if _, err := keys.SealVaultToken("a\nb", nil, ak); !errors.Is(err, keys.ErrInvalidURI) {
		t.Fatalf("URI with a newline: %v", err)
	}

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
		if _, _, err := keys.OpenVaultToken(v, ak); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
}

// An entity's plaintext is the URI as JSON.stringify writes it: U+2028 and
// U+2029 as they are (3 bytes each), not as the 6-character escapes of
// encoding/json (issue 11, item 6).
func TestAuthEntityEncodedLikeJS(t *testing.T) {
	ak := secret.GenerateKey()
	uri := "otpauth://totp/a\u2028b?secret=JBSWY3DP&issuer=<x>\u2029"
	e, err := keys.SealAuthEntity(uri, ak)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := stream.DecryptBlob(e.EncryptedData, e.Header, ak)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"` + uri + `"`; string(plain) != want {
		t.Fatalf("plaintext %q (%d bytes), want %q (%d bytes)", plain, len(plain), want, len(want))
	}
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
			if got, err := open(msg, tag); err != nil || got != totp {
				t.Errorf("%s, tag %v: %q, %v; want the rawData URI", msg, tag, got, err)
			}
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
		if got, err := open(msg, stream.TagFinal); !errors.Is(err, keys.ErrInvalidEnvelope) || got != "" {
			t.Errorf("%s: %q, %v; want ErrInvalidEnvelope", msg, got, err)
		}
	}
}
