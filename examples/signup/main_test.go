package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/e2eekit/e2ee/keys"
)

func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("signs up at the real Argon2id cost")
	}
	var out strings.Builder
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	start, end := strings.Index(s, "{"), strings.Index(s, "\n}")
	if start < 0 || end < 0 {
		t.Fatalf("no attributes JSON in:\n%s", s)
	}
	var a keys.Attributes
	if err := json.Unmarshal([]byte(s[start:end+2]), &a); err != nil {
		t.Fatalf("printed attributes do not decode: %v", err)
	}
	if _, ok := a.Recovery(); !ok {
		t.Error("printed attributes lack the recovery fields")
	}
	phrase := s[strings.Index(s, "recovery phrase: ")+len("recovery phrase: "):]
	phrase = phrase[:strings.IndexByte(phrase, '\n')]
	rk, err := keys.ParseRecoveryKey(phrase)
	if err != nil {
		t.Fatalf("printed phrase does not parse: %v", err)
	}
	if _, err := keys.UnlockWithRecoveryKey(rk, &a); err != nil {
		t.Fatalf("printed phrase does not unlock the printed attributes: %v", err)
	}
	for _, want := range []string{"SRP login key: 16 bytes", "keys.Secrets(REDACTED)", "Argon2id: "} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
}
