package main

import (
	"strings"
	"testing"
)

func TestRecoveryKeyCheck(t *testing.T) {
	zero := strings.Repeat("abandon ", 23) + "art" // BIP-39 of 32 zero bytes
	// As typed, shouted, in hex, and pasted as a list with punctuation.
	legal := "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth title"
	for _, in := range []string{zero, "  " + strings.ToUpper(zero) + "\n", strings.Repeat("0", 64) + "\n",
		strings.ReplaceAll(legal, " ", ", ") + ".\n", "“" + strings.ReplaceAll(legal, " ", "”, “") + "”", "- " + strings.ReplaceAll(legal, " ", "\n- ")} {
		if r := ok(t, runOpts{stdin: strings.NewReader(in)}, "recovery-key", "check"); r.stdout != "valid\n" {
			t.Errorf("check %q: %q", in, r.stdout)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{strings.Replace(zero, "abandon", "abandn", 1), "e2ee: invalid recovery key: word 1 is not in the BIP-39 English list\n"},
		{strings.Repeat("abandon ", 5) + "aband " + strings.Repeat("abandon ", 17) + "art", "e2ee: invalid recovery key: word 6 is not in the BIP-39 English list\n"},
		{strings.Repeat("abandon, ", 22) + "abandn, art", "e2ee: invalid recovery key: word 23 is not in the BIP-39 English list\n"},
		{strings.Repeat("abandon ", 24), "e2ee: invalid recovery key: the checksum does not match (a word is wrong or out of order)\n"},
		{"abandon abandon art", "e2ee: invalid recovery key: want 24 words or 64 hexadecimal characters, got 3 words\n"},
		{strings.Repeat("g", 64), "e2ee: invalid recovery key: 64 characters but not hexadecimal\n"},
		{"", "e2ee: invalid recovery key: want 24 words or 64 hexadecimal characters, got 0 words\n"},
	} {
		r := e2ee(t, runOpts{stdin: strings.NewReader(tc.in)}, "recovery-key", "check")
		if r.code != exitFailure || r.stderr != tc.want || r.stdout != "" {
			t.Errorf("check %q: exit %d, stdout %q, stderr %q; want exit 1 and %q", tc.in, r.code, r.stdout, r.stderr, tc.want)
		}
	}
}

// TestRecoveryKeyCheckVectors runs RecoveryKeyParseTest of the independent
// generator's vectors (testdata/vectors/attributes.json).
func TestRecoveryKeyCheckVectors(t *testing.T) {
	type parseTest struct {
		vectorCase
		Input string `json:"input"`
	}
	for _, tc := range vectorTests[parseTest](t, "attributes.json", "RecoveryKeyParseTest", 10) {
		r := e2ee(t, runOpts{stdin: strings.NewReader(tc.Input)}, "recovery-key", "check")
		valid := r.code == 0 && r.stdout == "valid\n"
		invalid := r.code == exitFailure && strings.HasPrefix(r.stderr, "e2ee: invalid recovery key: ")
		if (tc.Result == "valid" && !valid) || (tc.Result == "invalid" && !invalid) {
			t.Errorf("tcId %d %v: exit %d, %q %q; want %s", tc.TcID, tc.Flags, r.code, r.stdout, r.stderr, tc.Result)
		}
	}
}
