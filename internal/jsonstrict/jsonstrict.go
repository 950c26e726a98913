// Package jsonstrict decodes untrusted JSON that chooses keys or costs.
//
// encoding/json keeps the last of two members with the same name, so
// {"memLimit":1,"memLimit":9} reads as 9, while a reader that keeps the
// first (or a validator that looked at the first) sees 1. It also matches
// struct fields case-insensitively, so "MemLimit" overrides "memLimit".
// This package refuses such input before encoding/json sees it, along
// with anything that is not exactly one JSON value in UTF-8 (a leading
// byte-order mark, trailing data), and nesting deeper than MaxDepth.
//
// Every error wraps ErrSyntax, ErrDuplicateName or ErrTooDeep, or comes
// from json.Unmarshal once the input has passed (a *json.UnmarshalTypeError
// or an error of a type's own UnmarshalJSON). Messages never quote values;
// a duplicate name is not quoted either, as names can be data.
package jsonstrict

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode"
	"unicode/utf8"
)

var (
	// ErrSyntax means the input is not exactly one JSON value in UTF-8:
	// invalid JSON, a byte-order mark, invalid UTF-8, or data after the
	// value.
	ErrSyntax = errors.New("jsonstrict: not valid JSON")

	// ErrDuplicateName means an object, at any depth, has two members of
	// the same name (for Unmarshal, also two names that differ only in
	// case, as encoding/json would put both in the same field).
	ErrDuplicateName = errors.New("jsonstrict: duplicate object member name")

	// ErrTooDeep means arrays and objects are nested deeper than MaxDepth.
	ErrTooDeep = errors.New("jsonstrict: JSON nested too deeply")
)

// MaxDepth is how deeply arrays and objects may nest. Every format this
// SDK reads is a few levels deep; the bound keeps the checker's memory and
// encoding/json's recursion small whatever the input.
const MaxDepth = 64

// Check returns nil if data is one JSON value in UTF-8, nested at most
// MaxDepth deep, with no object (at any depth) holding two members of the
// same name. Names are compared after unescaping, so "a" and "\u0061" are
// the same name (and so are two lone-surrogate escapes, which both decode
// to U+FFFD). Use it for JSON that is kept as it is rather than decoded
// into a struct (such as app metadata), or decoded with exact names.
func Check(data []byte) error { return check(data, false) }

// Unmarshal checks data as Check does, and also refuses two names in one
// object that differ only in case, under the folding encoding/json uses to
// match struct fields (so "memLimit" then "MEMLIMIT", or "s" then "ſ"),
// at every depth, maps and json.RawMessage values included; then it
// decodes data with json.Unmarshal.
func Unmarshal(data []byte, v any) error {
	if err := check(data, true); err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// frame is one open array or object.
type frame struct {
	object bool
	// wantName is true in an object when the next token is a member name.
	wantName bool
	// names holds the object's names seen so far (folded if fold), made on
	// the first member, so that checking is linear in the input.
	names map[string]struct{}
}

func check(data []byte, fold bool) error {
	if !utf8.Valid(data) {
		return fmt.Errorf("%w: not UTF-8", ErrSyntax)
	}
	if bytes.HasPrefix(data, []byte("\uFEFF")) {
		return fmt.Errorf("%w: starts with a byte-order mark", ErrSyntax)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // numbers stay text: no float conversion, no overflow
	var stack []frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return syntaxError(err)
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		switch {
		case top != nil && top.wantName:
			if tok == json.Delim('}') {
				stack = stack[:len(stack)-1]
				break
			}
			name, ok := tok.(string) // the decoder allows nothing else here
			if !ok {
				return fmt.Errorf("%w: a member name is not a string", ErrSyntax)
			}
			if err := top.add(name, fold); err != nil {
				return err
			}
			top.wantName = false
			continue // the member's value comes next
		case tok == json.Delim('{') || tok == json.Delim('['):
			if len(stack) == MaxDepth {
				return fmt.Errorf("%w: more than %d levels", ErrTooDeep, MaxDepth)
			}
			stack = append(stack, frame{object: tok == json.Delim('{'), wantName: tok == json.Delim('{')})
			continue
		case tok == json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value has ended (a scalar, or a closed array or object): the
		// input, if it was the outermost; else the parent, if an object,
		// wants a name next.
		if len(stack) == 0 {
			break
		}
		if parent := &stack[len(stack)-1]; parent.object {
			parent.wantName = true
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w: data after the value", ErrSyntax)
	}
	return nil
}

// add records a member name, refusing one seen before in the object.
func (f *frame) add(name string, fold bool) error {
	if fold {
		name = foldName(name)
	}
	if f.names == nil {
		f.names = make(map[string]struct{})
	}
	if _, dup := f.names[name]; dup {
		return fmt.Errorf("%w: an object has a member name twice", ErrDuplicateName)
	}
	f.names[name] = struct{}{}
	return nil
}

// syntaxError describes a decoder error without the bytes it quotes.
func syntaxError(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("%w: at byte %d", ErrSyntax, se.Offset)
	case err == io.EOF, errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: unexpected end of input", ErrSyntax)
	default:
		return fmt.Errorf("%w: %T", ErrSyntax, err)
	}
}

// foldName maps name so that two names map to the same string exactly
// when encoding/json would match them to the same field: ASCII letters to
// upper case, other runes to the smallest rune of their case-folding
// orbit (the rule of bytes.EqualFold).
func foldName(name string) string {
	b := make([]byte, 0, len(name))
	for _, r := range name {
		if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' {
				r -= 'a' - 'A'
			}
			b = append(b, byte(r))
			continue
		}
		b = utf8.AppendRune(b, foldRune(r))
	}
	return string(b)
}

// foldRune returns the smallest rune that folds to r.
func foldRune(r rune) rune {
	for {
		next := unicode.SimpleFold(r)
		if next <= r {
			return next
		}
		r = next
	}
}
