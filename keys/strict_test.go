package keys_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/stream"
)

// prepend inserts raw members right after the opening brace of the object
// that starts at the first occurrence of at in wire ("{" for the outermost).
func prepend(t testing.TB, wire []byte, at, members string) []byte {
	t.Helper()
	i := bytes.Index(wire, []byte(at))
	if i < 0 || !strings.HasSuffix(at, "{") {
		t.Fatalf("no %s in %s", at, wire)
	}
	i += len(at)
	return append(append(append([]byte{}, wire[:i]...), members+","...), wire[i:]...)
}

// wireObject is one valid wire form of a type, the sentinel its decoding
// errors wrap, and a fresh value to decode into.
type wireObject struct {
	wire []byte
	kind error
	v    func() any
}

// wireObjects are a wireObject of every keys type whose fields choose keys
// or costs.
func wireObjects(t *testing.T) map[string]wireObject {
	acc := signUp(t)
	a := acc.attrs
	r, _ := a.Recovery()
	p := keys.PasswordAttributes{KEKSalt: a.KEKSalt, EncryptedKey: a.EncryptedKey,
		KeyDecryptionNonce: a.KeyDecryptionNonce, MemLimit: a.MemLimit, OpsLimit: a.OpsLimit}
	ak, env := keys.NewAuthKey(acc.secrets.MasterKey())
	entity, err := keys.SealAuthEntity(totp, ak)
	if err != nil {
		t.Fatal(err)
	}
	vt, err := keys.SealVaultToken(totp, nil, ak)
	if err != nil {
		t.Fatal(err)
	}
	marshal := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return map[string]wireObject{
		"Attributes":         {marshal(a), keys.ErrInvalidAttributes, func() any { return new(keys.Attributes) }},
		"PasswordAttributes": {marshal(p), keys.ErrInvalidAttributes, func() any { return new(keys.PasswordAttributes) }},
		"RecoveryAttributes": {marshal(r), keys.ErrInvalidAttributes, func() any { return new(keys.RecoveryAttributes) }},
		"AuthKeyEnvelope":    {marshal(env), keys.ErrInvalidEnvelope, func() any { return new(keys.AuthKeyEnvelope) }},
		"AuthEntity":         {marshal(entity), keys.ErrInvalidEnvelope, func() any { return new(keys.AuthEntity) }},
		"VaultToken":         {marshal(vt), keys.ErrInvalidEnvelope, func() any { return new(keys.VaultToken) }},
		"WrappedKey":         {marshal(keys.WrapFileKey(ak, ak)), keys.ErrInvalidEnvelope, func() any { return new(keys.WrappedKey) }},
		"Export":             {cheapExport(t, totp+"\n", stream.TagFinal), keys.ErrInvalidExport, func() any { return new(keys.Export) }},
	}
}

// TestDuplicateNamesRefused: a member named twice, with the same value or
// another, at the top or nested, is refused rather than read
// last-name-wins (issue 11, item 9).
func TestDuplicateNamesRefused(t *testing.T) {
	for name, o := range wireObjects(t) {
		if err := json.Unmarshal(o.wire, o.v()); err != nil {
			t.Fatalf("%s: the valid wire form does not decode: %v", name, err)
		}
		fields := fieldsOf(t, o.wire)
		for member, raw := range fields {
			if string(raw) == "null" {
				continue
			}
			dup := prepend(t, o.wire, "{", `"`+member+`":`+string(raw))
			if err := json.Unmarshal(dup, o.v()); !errors.Is(err, o.kind) {
				t.Errorf("%s with %s twice: %v, want %v", name, member, err, o.kind)
			}
		}
		// Escaped, the same name is still the same name.
		first := slices.Sorted(maps.Keys(fields))[0]
		escaped := fmt.Sprintf(`"\u%04x%s":%s`, first[0], first[1:], fields[first])
		if err := json.Unmarshal(prepend(t, o.wire, "{", escaped), o.v()); !errors.Is(err, o.kind) {
			t.Errorf("%s with %s twice, once escaped: %v, want %v", name, first, err, o.kind)
		}
		// At any depth, even in a member the type does not read.
		nested := prepend(t, o.wire, "{", `"x":[{"y":1,"y":2}]`)
		if err := json.Unmarshal(nested, o.v()); !errors.Is(err, o.kind) {
			t.Errorf("%s with a nested duplicate: %v, want %v", name, err, o.kind)
		}
	}
}

// The examples: an export that says version 2 then 1, and a
// duplicate memLimit, in an export's kdfParams and in key attributes.
func TestDuplicateCostOrVersion(t *testing.T) {
	file := cheapExport(t, totp+"\n", stream.TagFinal)
	for what, bad := range map[string][]byte{
		"version 2 then 1":   prepend(t, file, "{", `"version":2`),
		"kdfParams.memLimit": prepend(t, file, `"kdfParams":{`, `"memLimit":1073741824`),
		"kdfParams twice":    prepend(t, file, "{", `"kdfParams":{"memLimit":8192,"opsLimit":1,"salt":"AAAAAAAAAAAAAAAAAAAAAA=="}`),
	} {
		if _, err := keys.DecryptExport(bad, password, pwhash.DefaultLimits); !errors.Is(err, keys.ErrInvalidExport) {
			t.Errorf("DecryptExport, %s: %v, want ErrInvalidExport", what, err)
		}
		if _, err := keys.ParseExport(bad); !errors.Is(err, keys.ErrInvalidExport) {
			t.Errorf("ParseExport, %s: %v, want ErrInvalidExport", what, err)
		}
	}
	wire, _ := json.Marshal(signUp(t).attrs)
	if _, err := keys.ParseAttributes(prepend(t, wire, "{", `"memLimit":1073741824`)); !errors.Is(err, keys.ErrInvalidAttributes) {
		t.Errorf("attributes with memLimit twice: %v, want ErrInvalidAttributes", err)
	}
}

// Invalid JSON reaching a parse function or UnmarshalJSON wraps the type's
// sentinel, never a bare *json.SyntaxError.
func TestInvalidJSONWrapsSentinel(t *testing.T) {
	acc := signUp(t)
	wire, _ := json.Marshal(acc.attrs)
	file := cheapExport(t, totp+"\n", stream.TagFinal)
	for what, spoil := range map[string]func([]byte) []byte{
		"a byte-order mark": func(b []byte) []byte { return append([]byte("\uFEFF"), b...) },
		"trailing data":     func(b []byte) []byte { return append(append([]byte{}, b...), "{}"...) },
		"cut short":         func(b []byte) []byte { return b[:len(b)-1] },
		"invalid UTF-8":     func(b []byte) []byte { return prepend(t, b, "{", "\"x\":\"\xff\"") },
		"empty":             func([]byte) []byte { return nil },
		"nested 65 deep": func(b []byte) []byte {
			return prepend(t, b, "{", `"x":`+strings.Repeat("[", 65)+strings.Repeat("]", 65))
		},
	} {
		var se *json.SyntaxError
		bad := spoil(wire)
		a, err := keys.ParseAttributes(bad)
		if !errors.Is(err, keys.ErrInvalidAttributes) || errors.As(err, &se) || a != nil {
			t.Errorf("ParseAttributes, %s: %v", what, err)
		}
		var b keys.Attributes
		if err := b.UnmarshalJSON(bad); !errors.Is(err, keys.ErrInvalidAttributes) || errors.As(err, &se) {
			t.Errorf("Attributes.UnmarshalJSON, %s: %v", what, err)
		}
		if x, err := keys.ParseExport(spoil(file)); !errors.Is(err, keys.ErrInvalidExport) || errors.As(err, &se) || x != nil {
			t.Errorf("ParseExport, %s: %v", what, err)
		}
	}
	a, err := keys.ParseAttributes(wire)
	if err != nil || !bytes.Equal(a.EncryptedKey, acc.attrs.EncryptedKey) {
		t.Fatalf("ParseAttributes of valid attributes: %v", err)
	}
	x, err := keys.ParseExport(file)
	if err != nil || x.Version != keys.ExportVersion {
		t.Fatalf("ParseExport of a valid export: %v", err)
	}
}

// A vault token's plaintext is read with exact names and no duplicates:
// encoding/json would let a later "uri" or "URI" win.
func TestVaultTokenPlaintextStrict(t *testing.T) {
	ak := secret.GenerateKey()
	tk := secret.GenerateKey()
	wrapped := keys.WrapFileKey(tk, ak)
	open := func(msg string) (string, json.RawMessage, error) {
		ct, h := legacyBlob(t, []byte(msg), stream.TagFinal, tk)
		return keys.OpenVaultToken(&keys.VaultToken{EncryptedKey: wrapped.EncryptedKey,
			KeyDecryptionNonce: wrapped.KeyDecryptionNonce, EncryptedData: ct, DecryptionHeader: h}, ak)
	}
	for _, msg := range []string{
		`{"uri":"otpauth://a","uri":"otpauth://b"}`,
		`{"uri":"otpauth://a","metadata":{"k":1,"k":2}}`,
	} {
		if uri, _, err := open(msg); !errors.Is(err, keys.ErrInvalidEnvelope) {
			t.Errorf("%s: %q, %v; want ErrInvalidEnvelope", msg, uri, err)
		}
	}
	uri, md, err := open(`{"uri":"otpauth://a","URI":"otpauth://b","metadata":{"k":1,"K":2}}`)
	if err != nil || uri != "otpauth://a" || string(md) != `{"k":1,"K":2}` {
		t.Fatalf(`"uri" and "URI": %q, %s, %v; want the exact name's value`, uri, md, err)
	}
	// Sealing refuses metadata that opening would refuse.
	if _, err := keys.SealVaultToken(totp, json.RawMessage(`{"k":1,"k":2}`), ak); !errors.Is(err, keys.ErrInvalidEnvelope) {
		t.Fatalf("SealVaultToken with duplicate metadata names: %v, want ErrInvalidEnvelope", err)
	}
}
