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
		`Ente's vector: ["plain_text"]`,
		"wrong password: true",
		"over the limits: keys: export: pwhash: parameters exceed the allowed cost",
		"version 2: keys: unsupported export version: version 2, want 1",
		"read back 2 URIs:\n  otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub\n  otpauth://hotp/Bank",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
