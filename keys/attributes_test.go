package keys_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

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
	if err != nil {
		t.Fatal(err)
	}
	assertFields(t, wire, allFields...)
	m := fieldsOf(t, wire)
	if string(m["memLimit"]) != "8192" || string(m["opsLimit"]) != "1" {
		t.Fatalf("memLimit %s, opsLimit %s: want JSON numbers 8192 (bytes) and 1", m["memLimit"], m["opsLimit"])
	}

	a := clone(t, acc.attrs)
	a.MasterKeyEncryptedWithRecoveryKey, a.MasterKeyDecryptionNonce = nil, nil
	a.RecoveryKeyEncryptedWithMasterKey, a.RecoveryKeyDecryptionNonce = nil, nil
	wire, err = json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	assertFields(t, wire, allFields[:8]...)

	a.EncryptedKey = a.EncryptedKey[:40]
	if _, err := json.Marshal(a); !errors.Is(err, keys.ErrInvalidAttributes) {
		t.Fatalf("marshalling invalid attributes: %v, want ErrInvalidAttributes", err)
	}
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
	if err != nil {
		t.Fatal(err)
	}
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
	if err != nil {
		t.Fatal(err)
	}
	m := fieldsOf(t, wire)
	var value = func(name string) string {
		var s string
		if err := json.Unmarshal(m[name], &s); err != nil {
			t.Fatal(err)
		}
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
			if !errors.Is(err, keys.ErrInvalidAttributes) {
				t.Fatalf("got %v, want ErrInvalidAttributes", err)
			}
			if !strings.Contains(err.Error(), tc.field) && !strings.Contains(err.Error(), "recovery fields") &&
				!strings.Contains(err.Error(), "opsLimit") && !strings.Contains(err.Error(), "memLimit") {
				t.Fatalf("error %q does not name the field", err)
			}
		})
	}
}

func TestAttributesLenientWhereEnteIs(t *testing.T) {
	acc := signUp(t)
	wire, err := json.Marshal(acc.attrs)
	if err != nil {
		t.Fatal(err)
	}
	// Ente's server adds kekHash and writes unset recovery fields as "".
	w := mutate(t, wire, "kekHash", `"whatever"`)
	for _, name := range allFields[8:] {
		w = mutate(t, w, name, `""`)
	}
	var a keys.Attributes
	if err := json.Unmarshal(w, &a); err != nil {
		t.Fatal(err)
	}
	if _, ok := a.Recovery(); ok {
		t.Fatal(`recovery fields written as "" decoded as present`)
	}
	if _, err := keys.Unlock(acc.secrets.KEK(), &a); err != nil {
		t.Fatal(err)
	}
	for _, name := range allFields[8:] {
		w = mutate(t, w, name, "null")
	}
	if err := json.Unmarshal(w, &a); err != nil {
		t.Fatalf("null recovery fields: %v", err)
	}
}

func TestAttributesExactNames(t *testing.T) {
	acc := signUp(t)
	wire, _ := json.Marshal(acc.attrs)
	// encoding/json would match "KEKSalt" to kekSalt; Ente's names are exact.
	w := strings.Replace(string(wire), `"kekSalt"`, `"KEKSalt"`, 1)
	var a keys.Attributes
	if err := json.Unmarshal([]byte(w), &a); !errors.Is(err, keys.ErrInvalidAttributes) || !strings.Contains(err.Error(), "kekSalt: missing") {
		t.Fatalf("got %v, want kekSalt missing", err)
	}
	for _, doc := range []string{"null", "[]", "1", `"x"`, "{", ""} {
		if err := a.UnmarshalJSON([]byte(doc)); !errors.Is(err, keys.ErrInvalidAttributes) {
			t.Errorf("%q: %v, want ErrInvalidAttributes", doc, err)
		}
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
	if err == nil || strings.Contains(err.Error(), v[:12]) {
		t.Fatalf("error %v quotes the field", err)
	}
}

func TestUpdateBodiesDecodeStrictly(t *testing.T) {
	acc := signUp(t)
	p, err := acc.secrets.ChangePassword([]byte("x"), cheap)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := acc.secrets.RotateRecoveryKey()
	pw, _ := json.Marshal(p)
	rw, _ := json.Marshal(r)
	var p2 keys.PasswordAttributes
	var r2 keys.RecoveryAttributes
	if err := json.Unmarshal(pw, &p2); err != nil || p2.KEKSalt != p.KEKSalt || string(p2.EncryptedKey) != string(p.EncryptedKey) {
		t.Fatalf("PasswordAttributes round trip: %v", err)
	}
	if err := json.Unmarshal(rw, &r2); err != nil || r2.MasterKeyDecryptionNonce != r.MasterKeyDecryptionNonce {
		t.Fatalf("RecoveryAttributes round trip: %v", err)
	}
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
		if err := json.Unmarshal(tc.doc, tc.dst); !errors.Is(err, keys.ErrInvalidAttributes) {
			t.Errorf("%s: %v, want ErrInvalidAttributes", name, err)
		}
	}
}
