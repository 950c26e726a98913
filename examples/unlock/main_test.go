package main

import (
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var out strings.Builder
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"stored params: 8192 bytes, 1 passes",
		`"hunter2": incorrect password`,
		`"hunter2 but longer": unlocked keys.Secrets(REDACTED)`,
		"SRP password: 16 bytes",
		"X-Auth-Token: 44 characters",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
