package main

import (
	"testing"

	"github.com/e2eekit/e2ee/internal/exampletest"
)

func TestRun(t *testing.T) {
	exampletest.Run(t, run,
		"secret.Key(REDACTED)",
		`opened to "hello, e2ee"`,
		`opened to "a shared collection key"`,
		"give the same key: true",
		"secretbox: message authentication failed",
	)
}
