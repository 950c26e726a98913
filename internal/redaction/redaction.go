// Package redaction gives secret-bearing types the SDK's secret hygiene
// through one embedded field, so that every package redacts the same way.
package redaction

import (
	"fmt"
	"log/slog"

	"github.com/e2eekit/e2ee/secret"
)

// Of, embedded in the secret-bearing type T, makes T print as
// "pkg.T(REDACTED)" under every fmt verb and in slog, and refuse JSON, text
// (so XML) and binary (so gob) marshalling. The methods have value
// receivers so that a T printed by value is redacted too; fmt would
// otherwise dump its unexported fields. Packages embed it through an
// unexported alias (type redact[T any] = redaction.Of[T]) so that the
// field does not show in their API.
type Of[T any] struct{}

// String returns the placeholder.
func (Of[T]) String() string {
	var t *T
	return fmt.Sprintf("%T", t)[1:] + "(REDACTED)" // %T of a nil *T reads the type name only
}

// GoString keeps %#v redacted.
func (r Of[T]) GoString() string { return r.String() }

// Format prints the placeholder under every verb and flag.
func (r Of[T]) Format(f fmt.State, _ rune) { fmt.Fprint(f, r.String()) }

// LogValue keeps the value out of slog output.
func (r Of[T]) LogValue() slog.Value { return slog.StringValue(r.String()) }

// MarshalJSON refuses: secrets are wrapped, never serialised in the clear.
func (Of[T]) MarshalJSON() ([]byte, error) { return nil, secret.ErrNotMarshalable }

// MarshalText refuses: secrets are wrapped, never serialised in the clear.
func (Of[T]) MarshalText() ([]byte, error) { return nil, secret.ErrNotMarshalable }

// MarshalBinary refuses, so that encoding/gob cannot serialise a secret.
func (Of[T]) MarshalBinary() ([]byte, error) { return nil, secret.ErrNotMarshalable }
