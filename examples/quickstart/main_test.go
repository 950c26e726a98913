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
		"secret.Key(REDACTED)",
		`opened to "hello, e2ee"`,
		`opened to "a shared collection key"`,
		"give the same key: true",
		"secretbox: message authentication failed",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
