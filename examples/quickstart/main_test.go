package main

import (
	"testing"

	"github.com/e2eekit/e2ee/internal/exampletest"
)

func TestRun(t *testing.T) {
	exampletest.Run(t, run,
		"1. sign-up: ",
		"12 fields: encryptedKey, encryptedSecretKey, kekSalt, keyDecryptionNonce",
		"recovery phrase of 24 words",
		"unlocked keys.Secrets(REDACTED); a wrong password: keys: incorrect password",
		"in 3 chunks",
		`(80-byte sealed key): he decrypts {"title":"lisbon.mp4"}, same bytes: true`,
		"a flipped bit: stream: message authentication failed",
		"a cut at a chunk boundary: stream: truncated",
		"?t=ABCDEFGHIJ#xxxxx carries the collection key: true",
		"6. token vault: otpauth://totp/GitHub:alice",
	)
}
