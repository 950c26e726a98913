package sodium

import (
	"fmt"
	"log/slog"
)

// A secretstream state holds the stream's subkey. It prints as REDACTED
// and refuses marshalling, like every secret-bearing type of the SDK. (It
// cannot use internal/redaction, which imports package secret, which
// imports this package.)

const stateRedacted = "sodium.SecretstreamState(REDACTED)"

// errNotMarshalable is returned by the state's marshalling methods.
var errNotMarshalable = fmt.Errorf("sodium: refusing to marshal a secretstream state")

// String returns a redacted placeholder.
func (SecretstreamState) String() string { return stateRedacted }

// GoString returns a redacted placeholder.
func (SecretstreamState) GoString() string { return stateRedacted }

// Format prints a redacted placeholder under every verb.
func (SecretstreamState) Format(f fmt.State, _ rune) { fmt.Fprint(f, stateRedacted) }

// LogValue keeps the state out of slog output.
func (SecretstreamState) LogValue() slog.Value { return slog.StringValue(stateRedacted) }

// MarshalJSON refuses.
func (SecretstreamState) MarshalJSON() ([]byte, error) { return nil, errNotMarshalable }

// MarshalText refuses.
func (SecretstreamState) MarshalText() ([]byte, error) { return nil, errNotMarshalable }

// MarshalBinary refuses.
func (SecretstreamState) MarshalBinary() ([]byte, error) { return nil, errNotMarshalable }
