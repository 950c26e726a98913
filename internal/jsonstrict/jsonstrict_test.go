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
		if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("Check(%.40q) = %v, want %v", c.in, err, c.want)
		}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			t.Errorf("Check(%.40q) returned a bare *json.SyntaxError", c.in)
		}
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
		if err := Unmarshal([]byte(in), &p); !errors.Is(err, ErrDuplicateName) {
			t.Errorf("Unmarshal(%s) = %v (memLimit %d), want ErrDuplicateName", in, err, p.MemLimit)
		}
	}
	var p params
	if err := Unmarshal([]byte(`{"memLimit":7,"other":{"memLimit":8}}`), &p); err != nil || p.MemLimit != 7 {
		t.Fatalf("Unmarshal = %v, memLimit %d; want 7", err, p.MemLimit)
	}
	// A type error is encoding/json's own, once the syntax has passed.
	var te *json.UnmarshalTypeError
	if err := Unmarshal([]byte(`{"memLimit":"x"}`), &p); !errors.As(err, &te) {
		t.Fatalf("Unmarshal of a string into a number = %v, want *json.UnmarshalTypeError", err)
	}
	if err := Unmarshal([]byte("\uFEFF{}"), &p); !errors.Is(err, ErrSyntax) {
		t.Fatalf("Unmarshal with a BOM = %v, want ErrSyntax", err)
	}
}

// Errors say where and what, never the value or the name.
func TestErrorsQuoteNothing(t *testing.T) {
	for _, in := range []string{`{"s3cret":1,"s3cret":2}`, `{"a":s3cret}`, `["s3cret"`, `{"a":"s3cret"} s3cret`} {
		if err := Check([]byte(in)); err == nil || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Check(%s) = %v", in, err)
		}
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{`{"a":1,"b":{"c":[1,"x",null,true]}}`, `{"a":1,"a":2}`, `[[[]]]`, `"\u0061"`, "\uFEFF1", `{"a":1,"A":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := Check(data)
		if err != nil && !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrDuplicateName) && !errors.Is(err, ErrTooDeep) {
			t.Fatalf("undocumented error %v", err)
		}
		// What passes is JSON to encoding/json too, and re-encodes to a
		// value that passes again.
		if err == nil {
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.UseNumber() // a number beyond float64 is still JSON
			var v any
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("Check passed what encoding/json refuses: %v", err)
			}
			out, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			if err := Check(out); err != nil {
				t.Fatalf("re-encoded value fails: %v", err)
			}
		}
		// The same verdict as a walk over encoding/json's tokens.
		if ref := checkByTokens(data); (ref == nil) != (err == nil) ||
			(json.Valid(data) && ref != nil && !errors.Is(err, ref)) {
			t.Fatalf("Check: %v; by tokens: %v", err, ref)
		}
		// Unmarshal is Check and more.
		var v any
		if uerr := Unmarshal(data, &v); uerr == nil && err != nil {
			t.Fatalf("Unmarshal accepted what Check refuses: %v", err)
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
		if err := Check(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnmarshalBaseline is json.Unmarshal of the same page into any,
// for scale.
func BenchmarkUnmarshalBaseline(b *testing.B) {
	data := page()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
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
