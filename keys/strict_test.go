package keys_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/record"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/stream"
)

// prepend inserts raw members right after the opening brace of the object
// that starts at the first occurrence of at in wire ("{" for the outermost).
func prepend(t testing.TB, wire []byte, at, members string) []byte {
	t.Helper()
	i := bytes.Index(wire, []byte(at))
	require.True(t, i >= 0 && strings.HasSuffix(at, "{"), "no %s in %s", at, wire)
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
	require.NoError(t, err)
	vt, err := keys.SealVaultToken(totp, nil, ak)
	require.NoError(t, err)
	marshal := func(v any) []byte {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return b
	}
	return map[string]wireObject{
		"Attributes":         {marshal(a), keys.ErrInvalidAttributes, func() any { return new(keys.Attributes) }},
		"PasswordAttributes": {marshal(p), keys.ErrInvalidAttributes, func() any { return new(keys.PasswordAttributes) }},
		"RecoveryAttributes": {marshal(r), keys.ErrInvalidAttributes, func() any { return new(keys.RecoveryAttributes) }},
		"AuthKeyEnvelope":    {marshal(env), keys.ErrInvalidEnvelope, func() any { return new(keys.AuthKeyEnvelope) }},
		"AuthEntity":         {marshal(entity), keys.ErrInvalidEnvelope, func() any { return new(keys.AuthEntity) }},
		"VaultToken":         {marshal(vt), keys.ErrInvalidEnvelope, func() any { return new(keys.VaultToken) }},
		"WrappedKey":         {marshal(keys.WrapFileKey(ak, ak)), record.ErrInvalid, func() any { return new(keys.WrappedKey) }},
		"Export":             {cheapExport(t, totp+"\n", stream.TagFinal), keys.ErrInvalidExport, func() any { return new(keys.Export) }},
	}
}

// TestDuplicateNamesRefused: a member named twice, with the same value or
// another, at the top or nested, is refused rather than read
// last-name-wins (issue 11, item 9).
func TestDuplicateNamesRefused(t *testing.T) {
	for name, o := range wireObjects(t) {
		require.NoError(t, json.Unmarshal(o.wire, o.v()), "%s: the valid wire form does not decode", name)
		fields := fieldsOf(t, o.wire)
		for member, raw := range fields {
			if string(raw) == "null" {
				continue
			}
			dup := prepend(t, o.wire, "{", `"`+member+`":`+string(raw))
			assert.ErrorIs(t, json.Unmarshal(dup, o.v()), o.kind, "%s with %s twice", name, member)
		}
		// Escaped, the same name is still the same name.
		first := slices.Sorted(maps.Keys(fields))[0]
		escaped := fmt.Sprintf(`"\u%04x%s":%s`, first[0], first[1:], fields[first])
		err := json.Unmarshal(prepend(t, o.wire, "{", escaped), o.v())
		assert.ErrorIs(t, err, o.kind, "%s with %s twice, once escaped", name, first)
		// At any depth, even in a member the type does not read.
		nested := prepend(t, o.wire, "{", `"x":[{"y":1,"y":2}]`)
		assert.ErrorIs(t, json.Unmarshal(nested, o.v()), o.kind, "%s with a nested duplicate", name)
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
		_, err := keys.DecryptExport(bad, password, pwhash.DefaultLimits)
		assert.ErrorIs(t, err, keys.ErrInvalidExport, "DecryptExport, %s", what)
		_, err = keys.ParseExport(bad)
		assert.ErrorIs(t, err, keys.ErrInvalidExport, "ParseExport, %s", what)
	}
	wire, _ := json.Marshal(signUp(t).attrs)
	_, err := keys.ParseAttributes(prepend(t, wire, "{", `"memLimit":1073741824`))
	assert.ErrorIs(t, err, keys.ErrInvalidAttributes, "attributes with memLimit twice")
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
		assert.ErrorIs(t, err, keys.ErrInvalidAttributes, "ParseAttributes, %s", what)
		assert.NotErrorAs(t, err, &se, "ParseAttributes, %s", what)
		assert.Nil(t, a, "ParseAttributes, %s", what)
		var b keys.Attributes
		err = b.UnmarshalJSON(bad)
		assert.ErrorIs(t, err, keys.ErrInvalidAttributes, "Attributes.UnmarshalJSON, %s", what)
		assert.NotErrorAs(t, err, &se, "Attributes.UnmarshalJSON, %s", what)
		x, err := keys.ParseExport(spoil(file))
		assert.ErrorIs(t, err, keys.ErrInvalidExport, "ParseExport, %s", what)
		assert.NotErrorAs(t, err, &se, "ParseExport, %s", what)
		assert.Nil(t, x, "ParseExport, %s", what)
	}
	a, err := keys.ParseAttributes(wire)
	require.NoError(t, err, "ParseAttributes of valid attributes")
	require.Equal(t, acc.attrs.EncryptedKey, a.EncryptedKey, "ParseAttributes of valid attributes")
	x, err := keys.ParseExport(file)
	require.NoError(t, err, "ParseExport of a valid export")
	require.Equal(t, keys.ExportVersion, x.Version, "ParseExport of a valid export")
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
		uri, _, err := open(msg)
		assert.ErrorIs(t, err, keys.ErrInvalidEnvelope, "%s: %q", msg, uri)
	}
	uri, md, err := open(`{"uri":"otpauth://a","URI":"otpauth://b","metadata":{"k":1,"K":2}}`)
	require.NoError(t, err, `"uri" and "URI"`)
	require.Equal(t, "otpauth://a", uri, `"uri" and "URI": want the exact name's value`)
	require.Equal(t, `{"k":1,"K":2}`, string(md), `"uri" and "URI": want the exact name's value`)
	// Sealing refuses metadata that opening would refuse.
	_, err = keys.SealVaultToken(totp, json.RawMessage(`{"k":1,"k":2}`), ak)
	require.ErrorIs(t, err, keys.ErrInvalidEnvelope, "SealVaultToken with duplicate metadata names")
}
