package keys

import "github.com/e2eekit/e2ee/internal/redaction"

// redact, embedded in a secret-bearing type T, redacts T (see
// redaction.Of).
type redact[T any] = redaction.Of[T]
