package keys_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/keys"
)

var allFields = []string{
	"kekSalt", "encryptedKey", "keyDecryptionNonce", "publicKey", "encryptedSecretKey",
	"secretKeyDecryptionNonce", "memLimit", "opsLimit", "masterKeyEncryptedWithRecoveryKey",
	"masterKeyDecryptionNonce", "recoveryKeyEncryptedWithMasterKey", "recoveryKeyDecryptionNonce",
}

func TestAttributesFieldNames(t *testing.T) {
	acc := signUp(t)
	wire, err := json.Marshal(acc.attrs)
	require.NoError(t, err)
	assertFields(t, wire, allFields...)
	m := fieldsOf(t, wire)
	require.Equal(t, "8192", string(m["memLimit"]), "memLimit: want the JSON number 8192 (bytes)")
	require.Equal(t, "1", string(m["opsLimit"]), "opsLimit: want the JSON number 1")

	a := clone(t, acc.attrs)
	a.MasterKeyEncryptedWithRecoveryKey, a.MasterKeyDecryptionNonce = nil, nil
	a.RecoveryKeyEncryptedWithMasterKey, a.RecoveryKeyDecryptionNonce = nil, nil
	wire, err = json.Marshal(a)
	require.NoError(t, err)
	assertFields(t, wire, allFields[:8]...)

	a.EncryptedKey = a.EncryptedKey[:40]
	_, err = json.Marshal(a)
	require.ErrorIs(t, err, keys.ErrInvalidAttributes, "marshalling invalid attributes")
}

// mutate returns the attributes' JSON with one member replaced (raw JSON)
// or, when raw is "", removed.
func mutate(t testing.TB, wire []byte, name, raw string) []byte {
	t.Helper()
	m := fieldsOf(t, wire)
	if raw == "" {
		delete(m, name)
	} else {
		m[name] = json.RawMessage(raw)
	}
	out, err := json.Marshal(m)
	require.NoError(t, err)
	return out
}

func str(s string) string { b, _ := json.Marshal(s); return string(b) }

// nonCanonical sets unused trailing bits in padded base64, which Go's
// lenient decoder and libsodium's strict one disagree about.
func nonCanonical(s string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	i := strings.IndexByte(s, '=') - 1
	v := strings.IndexByte(alphabet, s[i])
	return s[:i] + string(alphabet[v|1]) + s[i+1:]
}

func TestAttributesStrictDecoding(t *testing.T) {
	acc := signUp(t)
	wire, err := json.Marshal(acc.attrs)
	require.NoError(t, err)
	m := fieldsOf(t, wire)
	var value = func(name string) string {
		var s string
		require.NoError(t, json.Unmarshal(m[name], &s))
		return s
	}
	sizes := map[string]int{"kekSalt": 16, "publicKey": 32, "keyDecryptionNonce": 24, "secretKeyDecryptionNonce": 24,
		"masterKeyDecryptionNonce": 24, "recoveryKeyDecryptionNonce": 24, "encryptedKey": 48, "encryptedSecretKey": 48,
		"masterKeyEncryptedWithRecoveryKey": 48, "recoveryKeyEncryptedWithMasterKey": 48}
	type bad struct{ field, raw, what string }
	var cases []bad
	for name, n := range sizes {
		v := value(name)
		cases = append(cases,
			bad{name, str(v[:len(v)-1]), "truncated base64"},
			bad{name, str(strings.NewReplacer("+", "-", "/", "_").Replace(v) + "-"), "URL-safe alphabet"},
			bad{name, str(v[:4] + "\n" + v[4:]), "line break"},
			bad{name, str(base64.StdEncoding.EncodeToString(make([]byte, n-1))), "one byte short"},
			bad{name, str(base64.StdEncoding.EncodeToString(make([]byte, n+1))), "one byte long"},
			bad{name, "42", "a number"},
			bad{name, "[]", "an array"},
		)
		if strings.HasSuffix(v, "=") {
			cases = append(cases,
				bad{name, str(strings.TrimRight(v, "=")), "unpadded"},
				bad{name, str(nonCanonical(v)), "non-canonical trailing bits"})
		}
	}
	for _, name := range allFields[:8] {
		cases = append(cases, bad{name, "", "missing"}, bad{name, "null", "null"})
	}
	for _, name := range []string{"memLimit", "opsLimit"} {
		cases = append(cases,
			bad{name, `"8192"`, "a string"}, bad{name, "-1", "negative"}, bad{name, "1.5", "a fraction"},
			bad{name, "18446744073709551616", "beyond uint64"}, bad{name, "0", "zero"})
	}
	cases = append(cases, bad{"masterKeyDecryptionNonce", "", "3 of 4 recovery fields"})
	for _, tc := range cases {
		t.Run(tc.field+"/"+tc.what, func(t *testing.T) {
			var a keys.Attributes
			err := json.Unmarshal(mutate(t, wire, tc.field, tc.raw), &a)
			require.ErrorIs(t, err, keys.ErrInvalidAttributes)
			names := strings.Contains(err.Error(), tc.field) || strings.Contains(err.Error(), "recovery fields") ||
				strings.Contains(err.Error(), "opsLimit") || strings.Contains(err.Error(), "memLimit")
			require.True(t, names, "error %q does not name the field", err)
		})
	}
}

func TestAttributesLenientWhereEnteIs(t *testing.T) {
	acc := signUp(t)
	wire, err := json.Marshal(acc.attrs)
	require.NoError(t, err)
	// Ente's server adds kekHash and writes unset recovery fields as "".
	w := mutate(t, wire, "kekHash", `"whatever"`)
	for _, name := range allFields[8:] {
		w = mutate(t, w, name, `""`)
	}
	var a keys.Attributes
	require.NoError(t, json.Unmarshal(w, &a))
	_, ok := a.Recovery()
	require.False(t, ok, `recovery fields written as "" decoded as present`)
	_, err = keys.Unlock(acc.secrets.KEK(), &a)
	require.NoError(t, err)
	for _, name := range allFields[8:] {
		w = mutate(t, w, name, "null")
	}
	require.NoError(t, json.Unmarshal(w, &a), "null recovery fields")
}

func TestAttributesExactNames(t *testing.T) {
	acc := signUp(t)
	wire, _ := json.Marshal(acc.attrs)
	// encoding/json would match "KEKSalt" to kekSalt; Ente's names are exact.
	w := strings.Replace(string(wire), `"kekSalt"`, `"KEKSalt"`, 1)
	var a keys.Attributes
	err := json.Unmarshal([]byte(w), &a)
	require.ErrorIs(t, err, keys.ErrInvalidAttributes, "want kekSalt missing")
	require.ErrorContains(t, err, "kekSalt: missing")
	for _, doc := range []string{"null", "[]", "1", `"x"`, "{", ""} {
		assert.ErrorIs(t, a.UnmarshalJSON([]byte(doc)), keys.ErrInvalidAttributes, "%q", doc)
	}
}

// TestAttributesErrorsQuoteNothing feeds a malformed secret-bearing field
// and checks that the error does not repeat it.
func TestAttributesErrorsQuoteNothing(t *testing.T) {
	acc := signUp(t)
	wire, _ := json.Marshal(acc.attrs)
	v := base64.StdEncoding.EncodeToString(acc.attrs.EncryptedKey)
	var a keys.Attributes
	err := json.Unmarshal(mutate(t, wire, "encryptedKey", str(v[:len(v)-1])), &a)
	require.Error(t, err)
	require.NotContains(t, err.Error(), v[:12], "error quotes the field")
}

func TestUpdateBodiesDecodeStrictly(t *testing.T) {
	acc := signUp(t)
	p, err := acc.secrets.ChangePassword([]byte("x"), cheap)
	require.NoError(t, err)
	r, _ := acc.secrets.RotateRecoveryKey()
	pw, _ := json.Marshal(p)
	rw, _ := json.Marshal(r)
	var p2 keys.PasswordAttributes
	var r2 keys.RecoveryAttributes
	require.NoError(t, json.Unmarshal(pw, &p2), "PasswordAttributes round trip")
	require.Equal(t, p.KEKSalt, p2.KEKSalt, "PasswordAttributes round trip")
	require.Equal(t, string(p.EncryptedKey), string(p2.EncryptedKey), "PasswordAttributes round trip")
	require.NoError(t, json.Unmarshal(rw, &r2), "RecoveryAttributes round trip")
	require.Equal(t, r.MasterKeyDecryptionNonce, r2.MasterKeyDecryptionNonce, "RecoveryAttributes round trip")
	short := str(base64.StdEncoding.EncodeToString(make([]byte, 47)))
	for name, tc := range map[string]struct {
		doc []byte
		dst any
	}{
		"short encryptedKey":      {mutate(t, pw, "encryptedKey", short), &p2},
		"no kekSalt":              {mutate(t, pw, "kekSalt", ""), &p2},
		"opsLimit 0":              {mutate(t, pw, "opsLimit", "0"), &p2},
		"short recovery box":      {mutate(t, rw, "recoveryKeyEncryptedWithMasterKey", short), &r2},
		"no masterKey nonce":      {mutate(t, rw, "masterKeyDecryptionNonce", ""), &r2},
		"short masterKey box":     {mutate(t, rw, "masterKeyEncryptedWithRecoveryKey", short), &r2},
		"bad base64 recovery box": {mutate(t, rw, "masterKeyEncryptedWithRecoveryKey", `"AAA"`), &r2},
	} {
		assert.ErrorIs(t, json.Unmarshal(tc.doc, tc.dst), keys.ErrInvalidAttributes, name)
	}
}
