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
	// wantName is true in an object when the next string is a member name:
	// after '{' and after ','.
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
	if !json.Valid(data) {
		return syntaxError(data)
	}
	// data is one valid JSON value, so a walk that skips strings sees every
	// brace, bracket and comma as structure, and a string right after '{'
	// or ',' in an object is a member name.
	var stack []frame
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '{', '[':
			if len(stack) == MaxDepth {
				return fmt.Errorf("%w: more than %d levels", ErrTooDeep, MaxDepth)
			}
			stack = append(stack, frame{object: data[i] == '{', wantName: data[i] == '{'})
		case '}', ']':
			stack = stack[:len(stack)-1]
		case ',':
			if top := &stack[len(stack)-1]; top.object {
				top.wantName = true
			}
		case '"':
			start := i
			for i++; data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++ // the escaped byte cannot end the string
				}
			}
			if len(stack) > 0 && stack[len(stack)-1].wantName {
				top := &stack[len(stack)-1]
				top.wantName = false
				if err := top.add(data[start:i+1], fold); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// add records a member name, given as its JSON string, refusing one seen
// before in the object.
func (f *frame) add(quoted []byte, fold bool) error {
	name := string(quoted[1 : len(quoted)-1])
	if bytes.IndexByte(quoted, '\\') >= 0 {
		// Escapes: compare what they stand for ("\u0061" is "a"). The
		// string is valid JSON, so this cannot fail.
		if err := json.Unmarshal(quoted, &name); err != nil {
			return fmt.Errorf("%w: a member name does not decode", ErrSyntax)
		}
	}
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

// syntaxError says where data, which json.Valid refused, goes wrong,
// without quoting it.
func syntaxError(data []byte) error {
	var se *json.SyntaxError
	if errors.As(json.Unmarshal(data, new(json.RawMessage)), &se) {
		if se.Offset >= int64(len(data)) {
			return fmt.Errorf("%w: unexpected end of input", ErrSyntax)
		}
		return fmt.Errorf("%w: at byte %d", ErrSyntax, se.Offset)
	}
	return ErrSyntax
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
