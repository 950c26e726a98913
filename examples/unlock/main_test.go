package main

import (
	"testing"

	"github.com/e2eekit/e2ee/internal/exampletest"
)

func TestRun(t *testing.T) {
	exampletest.Run(t, run,
		"stored params: 8192 bytes, 1 passes",
		`"hunter2": incorrect password`,
		`"hunter2 but longer": unlocked keys.Secrets(REDACTED)`,
		"SRP password: 16 bytes",
		"X-Auth-Token: 44 characters",
	)
}
