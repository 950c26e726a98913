// Package b64 is the strict base64 of the wire: standard alphabet (+/) with
// '=' padding, canonical, and nothing else — libsodium's
// sodium_base64_VARIANT_ORIGINAL with no ignored characters.
//
// Go's base64.StdEncoding.Strict() already rejects missing padding, the
// URL-safe alphabet and non-zero trailing bits, but it silently skips '\r'
// and '\n'; libsodium rejects them, and so does this package.
package b64

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid reports input that is not canonical padded standard base64.
var ErrInvalid = errors.New("invalid base64 (want padded standard base64)")

// ErrLength reports base64 that decodes to the wrong number of bytes.
var ErrLength = errors.New("wrong decoded length")

var std = base64.StdEncoding.Strict()

// Encode returns the padded standard base64 of b.
func Encode(b []byte) string { return std.EncodeToString(b) }

// Decode decodes strict padded standard base64.
func Decode(s string) ([]byte, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, ErrInvalid
	}
	b, err := std.DecodeString(s)
	if err != nil {
		return nil, ErrInvalid
	}
	return b, nil
}

// DecodeFixed decodes s into dst, which it must fill exactly.
func DecodeFixed(dst []byte, s string) error {
	if std.EncodedLen(len(dst)) != len(s) {
		if _, err := Decode(s); err != nil {
			return err
		}
		return fmt.Errorf("%w: want %d bytes", ErrLength, len(dst))
	}
	b, err := Decode(s)
	if err != nil {
		return err
	}
	if len(b) != len(dst) {
		return fmt.Errorf("%w: want %d bytes", ErrLength, len(dst))
	}
	copy(dst, b)
	clear(b)
	return nil
}
