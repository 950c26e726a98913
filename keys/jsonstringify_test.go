package keys

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/jsonstrict"
)

// Ente Auth's clients encode the URI with JSON.stringify / jsonEncode,
// which leave '&' as is; Go's json.Marshal would write \u0026.
func TestMarshalLikeJS(t *testing.T) {
	got := marshalLikeJS("otpauth://totp/A%20B:c?secret=JBSWY3DP&issuer=A<B>")
	require.Equal(t, `"otpauth://totp/A%20B:c?secret=JBSWY3DP&issuer=A<B>"`, string(got))
}

// TestMarshalLikeJSTable compares marshalLikeJS with what JSON.stringify
// wrote, in the generator's table (authenticator.json,
// AuthEntityEncodingTest): every control character, the characters
// encoders disagree on (U+2028 and U+2029 among them), UTF-8 length
// boundaries and astral characters.
func TestMarshalLikeJSTable(t *testing.T) {
	raw, err := os.ReadFile("../testdata/vectors/authenticator.json")
	require.NoError(t, err)
	var file struct {
		TestGroups []struct {
			Type  string `json:"type"`
			Tests []struct {
				TcID int    `json:"tcId"`
				URI  string `json:"uri"`
				JSON string `json:"json"`
			} `json:"tests"`
		} `json:"testGroups"`
	}
	require.NoError(t, json.Unmarshal(raw, &file))
	n := 0
	for _, g := range file.TestGroups {
		if g.Type != "AuthEntityEncodingTest" {
			continue
		}
		for _, tc := range g.Tests {
			n++
			assert.Equal(t, tc.JSON, string(marshalLikeJS(tc.URI)), "tcId %d: expected is what JSON.stringify wrote", tc.TcID)
			assert.Equal(t, tc.JSON, jsQuote(tc.URI), "tcId %d: the reference rule; expected is what JSON.stringify wrote", tc.TcID)
		}
	}
	require.GreaterOrEqual(t, n, 70, "the table's entries")
}

// jsQuote is JSON.stringify's rule for a string (QuoteJSONString in
// ECMA-262), written out code point by code point, for UTF-8 input.
func jsQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// TestMarshalLikeJSEveryScalar sweeps every Unicode scalar value against
// the reference rule (which the table above ties to JSON.stringify), in
// blocks of 4096 code points, and checks that encoding/json reads each
// block back.
func TestMarshalLikeJSEveryScalar(t *testing.T) {
	const block = 0x1000
	for lo := rune(0); lo <= utf8.MaxRune; lo += block {
		var b strings.Builder
		for r := lo; r < lo+block; r++ {
			if utf8.ValidRune(r) { // not a surrogate: those are not in a valid Go string
				b.WriteRune(r)
			}
		}
		s := b.String()
		got := marshalLikeJS(s)
		if want := jsQuote(s); string(got) != want {
			// Name the first code point that differs, then fail on the block.
			for _, r := range s {
				require.Equal(t, jsQuote(string(r)), string(marshalLikeJS(string(r))), "U+%04X", r)
			}
			require.Failf(t, "output differs", "block U+%04X", lo)
		}
		var back string
		require.NoError(t, json.Unmarshal(got, &back), "block U+%04X does not decode back", lo)
		require.True(t, back == s, "block U+%04X does not decode back", lo) // no diff of a 4096-code-point block
	}
}

// FuzzMarshalLikeJS: for any UTF-8 string, the reference rule's output,
// which encoding/json reads back and jsonstrict accepts.
func FuzzMarshalLikeJS(f *testing.F) {
	for _, s := range []string{"", "otpauth://totp/a?secret=B&issuer=<x>", "\u2028\u2029\ufeff\u007f\x00\x1f\"\\/", "\U0010ffff\U0001f510"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // SealAuthEntity refuses it (ErrInvalidURI)
		}
		got := marshalLikeJS(s)
		require.Equal(t, jsQuote(s), string(got))
		var back string
		require.NoError(t, json.Unmarshal(got, &back), "%q does not decode back", got)
		require.Equal(t, s, back, "%q does not decode back", got)
		require.NoError(t, jsonstrict.Check(got))
	})
}
