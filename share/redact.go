package share

import "github.com/e2eekit/e2ee/internal/redaction"

// redact, embedded in a type that holds the album key or the link's
// credentials, makes it print as "share.T(REDACTED)" and refuse
// marshalling (see redaction.Of).
type redact[T any] = redaction.Of[T]
