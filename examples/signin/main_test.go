package main

import (
	"testing"

	"github.com/e2eekit/e2ee/internal/exampletest"
)

func TestRun(t *testing.T) {
	exampletest.Run(t, run,
		"1. sign-up: srpUserID 36 characters, srpSalt 16 bytes, verifier 512 bytes; the server's M2 checked",
		`2. "hunter2": keys: incorrect password (the server refused M1)`,
		`2. "correct horse battery staple": signed in, keys.Secrets(REDACTED), same master key: true, X-Auth-Token of 44 characters`,
		"3. a forged M2: keys: the server's SRP proof (M2) does not match (ErrSRPServerProof: true)",
		`4. after the change, "correct horse battery staple": keys: incorrect password`,
		`4. after the change, "a new passphrase": signed in`,
	)
}
