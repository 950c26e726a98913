package jsonstrict

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		in   string
		want error // nil: accepted
	}{
		{`{"a":1,"b":[1,2,{"c":null}],"d":{"e":"f"}}`, nil},
		{` {"a":{"a":{"a":1}}} `, nil}, // the same name at different depths
		{`[{"a":1},{"a":2}]`, nil},     // in different objects
		{`"x"`, nil},
		{`1e400`, nil}, // valid JSON; whether it fits is the decoder's business
		{`{"a":1,"A":2}`, nil},
		{`{}`, nil},
		{`{"a":1,"a":1}`, ErrDuplicateName},
		{`{"version":2,"version":1}`, ErrDuplicateName},
		{`{"a":1,"\u0061":2}`, ErrDuplicateName}, // compared after unescaping
		{`{"k":{"memLimit":1,"x":0,"memLimit":2}}`, ErrDuplicateName},
		{`[0,[{"a":{},"b":[],"a":3}]]`, ErrDuplicateName},
		{"\uFEFF{}", ErrSyntax},
		{"{\"a\":\"\xff\"}", ErrSyntax},
		{``, ErrSyntax},
		{` `, ErrSyntax},
		{`{"a":1}{}`, ErrSyntax},
		{`{"a":1} x`, ErrSyntax},
		{`1 2`, ErrSyntax},
		{`{"a":1,}`, ErrSyntax},
		{`[1,]`, ErrSyntax},
		{`{"a" 1}`, ErrSyntax},
		{`{1:2}`, ErrSyntax},
		{`{"a":1`, ErrSyntax},
		{`[`, ErrSyntax},
		{`nul`, ErrSyntax},
		{`'a'`, ErrSyntax},
		{strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth), nil},
		{strings.Repeat(`{"a":`, MaxDepth) + "1" + strings.Repeat("}", MaxDepth), nil},
		{strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1), ErrTooDeep},
		{strings.Repeat(`{"a":`, MaxDepth+1) + "1" + strings.Repeat("}", MaxDepth+1), ErrTooDeep},
		// Deep enough to overflow a recursive checker: refused cheaply.
		{strings.Repeat("[", 1<<20), ErrSyntax},
		{strings.Repeat("[", 1000) + strings.Repeat("]", 1000), ErrTooDeep},
	} {
		err := Check([]byte(c.in))
		assert.ErrorIs(t, err, c.want, "Check(%.40q)", c.in) // a nil want: no error
		var se *json.SyntaxError
		assert.NotErrorAs(t, err, &se, "Check(%.40q) returned a bare *json.SyntaxError", c.in)
	}
}

// Unmarshal refuses what encoding/json would read last-name-wins into one
// struct field, including names that differ only in case.
func TestUnmarshal(t *testing.T) {
	type params struct {
		MemLimit uint64 `json:"memLimit"`
	}
	for _, in := range []string{
		`{"memLimit":1,"memLimit":2}`,
		`{"memLimit":1,"MEMLIMIT":2}`,
		`{"memLimit":1,"memlimit":2}`,
		`{"s":1,"\u017f":2}`,  // ſ folds to s, as in bytes.EqualFold
		`{"k":1,"\u212a":2}`,  // the Kelvin sign folds to k
		`{"x":{"a":1,"A":2}}`, // at any depth
		`{"memLimit":1,"x":[{}],"MemLimit":2}`,
	} {
		var p params
		err := Unmarshal([]byte(in), &p)
		assert.ErrorIs(t, err, ErrDuplicateName, "Unmarshal(%s) (memLimit %d)", in, p.MemLimit)
	}
	var p params
	require.NoError(t, Unmarshal([]byte(`{"memLimit":7,"other":{"memLimit":8}}`), &p), "Unmarshal")
	require.Equal(t, uint64(7), p.MemLimit, "Unmarshal: memLimit")
	// A type error is encoding/json's own, once the syntax has passed.
	var te *json.UnmarshalTypeError
	require.ErrorAs(t, Unmarshal([]byte(`{"memLimit":"x"}`), &p), &te, "Unmarshal of a string into a number")
	require.ErrorIs(t, Unmarshal([]byte("\uFEFF{}"), &p), ErrSyntax, "Unmarshal with a BOM")
}

// Errors say where and what, never the value or the name.
func TestErrorsQuoteNothing(t *testing.T) {
	for _, in := range []string{`{"s3cret":1,"s3cret":2}`, `{"a":s3cret}`, `["s3cret"`, `{"a":"s3cret"} s3cret`} {
		err := Check([]byte(in))
		if assert.Error(t, err, "Check(%s)", in) {
			assert.NotContains(t, err.Error(), "s3cret", "Check(%s)", in)
		}
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{`{"a":1,"b":{"c":[1,"x",null,true]}}`, `{"a":1,"a":2}`, `[[[]]]`, `"\u0061"`, "\uFEFF1", `{"a":1,"A":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := Check(data)
		if err != nil {
			require.True(t, errors.Is(err, ErrSyntax) || errors.Is(err, ErrDuplicateName) || errors.Is(err, ErrTooDeep), "undocumented error %v", err)
		}
		// What passes is JSON to encoding/json too, and re-encodes to a
		// value that passes again.
		if err == nil {
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.UseNumber() // a number beyond float64 is still JSON
			var v any
			require.NoError(t, dec.Decode(&v), "Check passed what encoding/json refuses")
			out, err := json.Marshal(v)
			require.NoError(t, err)
			require.NoError(t, Check(out), "re-encoded value fails")
		}
		// The same verdict as a walk over encoding/json's tokens.
		ref := checkByTokens(data)
		require.Equal(t, ref == nil, err == nil, "Check: %v; by tokens: %v", err, ref)
		if json.Valid(data) && ref != nil {
			require.ErrorIs(t, err, ref, "Check: %v; by tokens: %v", err, ref)
		}
		// Unmarshal is Check and more.
		var v any
		if uerr := Unmarshal(data, &v); err != nil {
			require.Error(t, uerr, "Unmarshal accepted what Check refuses: %v", err)
		}
	})
}

// page is a diff page of 2,000 file records, as a server might send.
func page() []byte {
	var sb strings.Builder
	sb.WriteString(`{"diff":[`)
	for i := range 2000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id":%d,"file":{"encryptedData":"%s","decryptionHeader":"%s"},"magicMetadata":{"version":1,"count":2,"data":"%s","header":"%s"},"updationTime":1700000000000000}`,
			i, strings.Repeat("A", 200), strings.Repeat("B", 32), strings.Repeat("C", 100), strings.Repeat("D", 32))
	}
	sb.WriteString(`],"hasMore":true}`)
	return []byte(sb.String())
}

func BenchmarkCheck(b *testing.B) {
	data := page()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		require.NoError(b, Check(data))
	}
}

// BenchmarkUnmarshalBaseline is json.Unmarshal of the same page into any,
// for scale.
func BenchmarkUnmarshalBaseline(b *testing.B) {
	data := page()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var v any
		require.NoError(b, json.Unmarshal(data, &v))
	}
}

// checkByTokens is Check written over json.Decoder.Token, slower but built
// on encoding/json's own tokenizer: a second opinion for FuzzCheck. It
// returns the sentinel alone.
func checkByTokens(data []byte) error {
	if !utf8.Valid(data) || bytes.HasPrefix(data, []byte("\uFEFF")) {
		return ErrSyntax
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type open struct {
		object, wantName bool
		names            map[string]bool
	}
	var stack []open
	for {
		tok, err := dec.Token()
		if err != nil {
			return ErrSyntax
		}
		n := len(stack)
		switch {
		case n > 0 && stack[n-1].wantName && tok != json.Delim('}'):
			name, _ := tok.(string)
			if stack[n-1].names[name] {
				return ErrDuplicateName
			}
			stack[n-1].names[name], stack[n-1].wantName = true, false
			continue
		case tok == json.Delim('{') || tok == json.Delim('['):
			if n == MaxDepth {
				return ErrTooDeep
			}
			o := tok == json.Delim('{')
			stack = append(stack, open{object: o, wantName: o, names: map[string]bool{}})
			continue
		case tok == json.Delim('}') || tok == json.Delim(']'):
			stack = stack[:n-1]
		}
		if len(stack) == 0 {
			break
		}
		if top := &stack[len(stack)-1]; top.object {
			top.wantName = true
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return ErrSyntax
	}
	return nil
}
