package main

import (
	"testing"

	"github.com/e2eekit/e2ee/internal/exampletest"
)

func TestRun(t *testing.T) {
	exampletest.Run(t, run,
		`Ente's vector: ["plain_text"]`,
		"wrong password: true",
		"over the limits: keys: export: pwhash: parameters exceed the allowed cost",
		"version 2: keys: unsupported export version: version 2, want 1",
		"read back 2 URIs:\n  otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub\n  otpauth://hotp/Bank",
	)
}
