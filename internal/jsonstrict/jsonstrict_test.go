package jsonstrict

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
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
		// Deep enough to overflow a recursive checker; refused early and cheaply.
		{strings.Repeat("[", 1<<20), ErrTooDeep},
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
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				t.Fatalf("Check passed what json.Unmarshal refuses: %v", err)
			}
			out, err := json.Marshal(v)
			if err != nil {
				return // a number out of float64's range
			}
			if err := Check(out); err != nil {
				t.Fatalf("re-encoded value fails: %v", err)
			}
		}
		// Unmarshal is Check and more.
		var v any
		if uerr := Unmarshal(data, &v); uerr == nil && err != nil {
			t.Fatalf("Unmarshal accepted what Check refuses: %v", err)
		}
	})
}
