package keys

import (
	"fmt"
	"log/slog"

	"github.com/e2eekit/e2ee/secret"
)

// redact gives the secret-bearing type T that embeds it the SDK's secret
// hygiene: T prints as "keys.T(REDACTED)" under every fmt verb and in slog,
// and refuses JSON, text and binary marshalling. The methods have value
// receivers so that a T printed by value is redacted too; fmt would
// otherwise dump its unexported fields.
type redact[T any] struct{}

func (redact[T]) String() string {
	var t T
	return fmt.Sprintf("%T(REDACTED)", t) // %T reads the type name only
}

// GoString keeps %#v redacted.
func (r redact[T]) GoString() string { return r.String() }

// Format prints the placeholder under every verb and flag.
func (r redact[T]) Format(f fmt.State, _ rune) { fmt.Fprint(f, r.String()) }

// LogValue keeps the value out of slog output.
func (r redact[T]) LogValue() slog.Value { return slog.StringValue(r.String()) }

// MarshalJSON refuses: secrets are wrapped, never serialised in the clear.
func (redact[T]) MarshalJSON() ([]byte, error) { return nil, secret.ErrNotMarshalable }

// MarshalText refuses: secrets are wrapped, never serialised in the clear.
func (redact[T]) MarshalText() ([]byte, error) { return nil, secret.ErrNotMarshalable }

// MarshalBinary refuses, so that encoding/gob cannot serialise a secret.
func (redact[T]) MarshalBinary() ([]byte, error) { return nil, secret.ErrNotMarshalable }
