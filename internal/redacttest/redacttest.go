// Package redacttest checks that a secret-bearing value never shows its
// secret bytes: under every fmt verb, inside structs that hold it by value
// or by pointer (exported and unexported fields), through slog's text and
// JSON handlers, and through JSON, XML and gob encoding. It is imported by
// tests only.
package redacttest

import (
	"bytes"
	"encoding/base64"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/mr-tron/base58"
)

// Verbs are the fmt verbs and flags every secret-bearing type is printed
// with.
var Verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "% x", "%d", "%o", "%b", "%10.3v", "%T"}

// holder wraps a value the ways a user's code might hold it.
type holder[T any] struct {
	Exported   T
	Pointer    *T
	unexported T
	pointer    *T
}

// Check fails t if any rendering of v contains a recognisable encoding of
// secret, which should be distinctive (not all zeros, not printable ASCII)
// so that no pointer address or type name can match it by accident. Each of JSON, XML and gob must refuse v itself (return an
// error); refusal of the holders is not required (unexported fields are
// skipped by those encoders), only silence.
func Check[T any](t testing.TB, v T, secret []byte) {
	t.Helper()
	CheckSilent(t, v, secret)
	if _, err := json.Marshal(v); err == nil {
		t.Errorf("json.Marshal(%T) succeeded; want refusal", v)
	}
	if _, err := xml.Marshal(struct{ V T }{v}); err == nil {
		t.Errorf("xml.Marshal of a %T succeeded; want refusal", v)
	}
	if err := gob.NewEncoder(&bytes.Buffer{}).Encode(v); err == nil {
		t.Errorf("gob encoding of %T succeeded; want refusal", v)
	}
}

// CheckSilent is Check for a type that marshals on purpose (to a server's
// request body, say): every rendering, encoders included, must leave the
// secret out, but marshalling need not fail.
func CheckSilent[T any](t testing.TB, v T, secret []byte) {
	t.Helper()
	h := holder[T]{Exported: v, Pointer: &v, unexported: v, pointer: &v}
	values := map[string]any{
		"value":            v,
		"pointer":          &v,
		"struct":           h,
		"struct pointer":   &h,
		"slice":            []T{v},
		"map":              map[string]*T{"k": &v},
		"interface holder": struct{ I any }{v},
	}
	for name, x := range values {
		for _, verb := range Verbs {
			if enc := Leak(fmt.Sprintf(verb, x), secret); enc != "" {
				t.Errorf("%s under %s shows the secret (%s)", name, verb, enc)
			}
		}
		var buf bytes.Buffer
		slog.New(slog.NewTextHandler(&buf, nil)).Info("m", "v", x)
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", "v", x)
		slog.New(slog.NewTextHandler(&buf, nil)).Info("m", slog.Any("v", x), slog.Group("g", "v", x))
		if enc := Leak(buf.String(), secret); enc != "" {
			t.Errorf("%s through slog shows the secret (%s): %s", name, enc, buf.String())
		}
		out, _ := json.Marshal(x)
		out2, _ := xml.Marshal(x)
		buf.Reset()
		_ = gob.NewEncoder(&buf).Encode(x)
		for enc, b := range map[string][]byte{"json": out, "xml": out2, "gob": buf.Bytes()} {
			if l := Leak(string(b), secret); l != "" {
				t.Errorf("%s through %s shows the secret (%s)", name, enc, l)
			}
		}
	}
}

// Leak returns the name of the first encoding of secret (or of any 6-byte
// window of it) that occurs in out, or "" if none does.
func Leak(out string, secret []byte) string {
	whole := map[string]string{
		"raw":           string(secret),
		"base64":        base64.StdEncoding.EncodeToString(secret),
		"base64 url":    base64.URLEncoding.EncodeToString(secret),
		"base64 no pad": base64.RawStdEncoding.EncodeToString(secret),
		"base58":        base58.Encode(secret),
	}
	for name, s := range whole {
		// A prefix of 11 characters is 8 bytes of secret: no accident.
		if len(s) > 11 && strings.Contains(out, s[:11]) || strings.Contains(out, s) {
			return name
		}
	}
	const w = 6
	for i := 0; i+w <= len(secret); i++ {
		win := secret[i : i+w]
		dec := strings.Trim(fmt.Sprint(win), "[]")
		goHex := strings.TrimSuffix(strings.TrimPrefix(fmt.Sprintf("%#v", win), "[]byte{"), "}")
		for name, s := range map[string]string{
			"raw window":     string(win),
			"hex":            hex.EncodeToString(win),
			"HEX":            strings.ToUpper(hex.EncodeToString(win)),
			"spaced hex":     fmt.Sprintf("% x", win),
			"decimal":        dec,
			"Go hex":         goHex,
			"quoted":         strings.Trim(fmt.Sprintf("%q", win), `"`),
			"decimal commas": strings.ReplaceAll(dec, " ", ", "),
		} {
			if strings.Contains(out, s) {
				return name
			}
		}
	}
	return ""
}

// CheckErrors fails t if any of errs is nil or if its text contains an
// encoding of one of secrets (named by the map's keys).
func CheckErrors(t testing.TB, errs []error, secrets map[string][]byte) {
	t.Helper()
	for _, err := range errs {
		if err == nil {
			t.Error("a failing path returned no error")
			continue
		}
		for what, secret := range secrets {
			if enc := Leak(err.Error(), secret); enc != "" {
				t.Errorf("error %q shows the %s (%s)", err, what, enc)
			}
		}
	}
}
