package conformance

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/sealed"
	"github.com/e2eekit/e2ee/secretbox"
	"github.com/e2eekit/e2ee/share"
	"github.com/e2eekit/e2ee/stream"
)

// sentinels maps the error names vectors use to the SDK's sentinels.
var sentinels = map[string]error{
	"secretbox.ErrOpen":          secretbox.ErrOpen,
	"sealed.ErrOpen":             sealed.ErrOpen,
	"pwhash.ErrInvalidParams":    pwhash.ErrInvalidParams,
	"pwhash.ErrTooExpensive":     pwhash.ErrTooExpensive,
	"stream.ErrOpen":             stream.ErrOpen,
	"stream.ErrTruncated":        stream.ErrTruncated,
	"stream.ErrTrailingData":     stream.ErrTrailingData,
	"stream.ErrUnexpectedTag":    stream.ErrUnexpectedTag,
	"keys.ErrIncorrectPassword":  keys.ErrIncorrectPassword,
	"keys.ErrInvalidRecoveryKey": keys.ErrInvalidRecoveryKey,
	"keys.ErrInvalidAttributes":  keys.ErrInvalidAttributes,
	"keys.ErrUnsupportedVersion": keys.ErrUnsupportedVersion,
	"keys.ErrInvalidEnvelope":    keys.ErrInvalidEnvelope,
	"keys.ErrInvalidURI":         keys.ErrInvalidURI,
	"share.ErrInvalidLink":       share.ErrInvalidLink,
	"share.ErrKeyMismatch":       share.ErrKeyMismatch,
}

// Sentinel returns the SDK error a vector's "error" name stands for, e.g.
// Sentinel("stream.ErrOpen") is stream.ErrOpen, or nil for a name the
// vectors do not use.
func Sentinel(name string) error { return sentinels[name] }

// bin is a byte string in a vector: strict padded standard base64 in the
// JSON. It stays nil when the field is absent, and is non-nil (possibly
// empty) when present.
type bin []byte

func (b *bin) UnmarshalText(text []byte) error {
	v, err := b64.Decode(string(text))
	if err != nil {
		return err
	}
	if v == nil {
		v = []byte{}
	}
	*b = v
	return nil
}

// req names a field a test needs, and whether it has it.
type req struct {
	name string
	ok   bool
}

// need returns an error naming the fields that are missing.
func need(fields ...req) error {
	var missing []string
	for _, f := range fields {
		if !f.ok {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	return nil
}

// diff compares an output with the expected bytes and describes a mismatch
// without quoting either (they may be keys or plaintext), or returns "".
func diff(name string, got, want []byte) string {
	if len(got) == len(want) && subtle.ConstantTimeCompare(got, want) == 1 {
		return ""
	}
	if len(got) != len(want) {
		return fmt.Sprintf("%s: got %d bytes, want %d", name, len(got), len(want))
	}
	i := 0
	for got[i] == want[i] {
		i++
	}
	return fmt.Sprintf("%s: differs from the expected value at byte %d", name, i)
}

// diffString is diff for text outputs (URIs, links, phrases).
func diffString(name, got, want string) string { return diff(name, []byte(got), []byte(want)) }

// sameJSON compares an SDK's JSON output with the expected JSON value,
// ignoring key order and spacing, without quoting either.
func sameJSON(name string, got []byte, err error, want []byte) string {
	if err != nil {
		return fmt.Sprintf("%s: %v", name, err)
	}
	var g, w any
	if json.Unmarshal(got, &g) != nil {
		return name + ": the SDK's output is not JSON"
	}
	if json.Unmarshal(want, &w) != nil {
		return name + ": the expected value is not JSON"
	}
	if !reflect.DeepEqual(g, w) {
		return name + ": differs from the expected JSON"
	}
	return ""
}
