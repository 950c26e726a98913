package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRecoveryKeyCheck(t *testing.T) {
	zero := strings.Repeat("abandon ", 23) + "art" // BIP-39 of 32 zero bytes
	// As typed, shouted, in hex, and pasted as a list with punctuation.
	legal := "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth title"
	for _, in := range []string{zero, "  " + strings.ToUpper(zero) + "\n", strings.Repeat("0", 64) + "\n",
		strings.ReplaceAll(legal, " ", ", ") + ".\n", "“" + strings.ReplaceAll(legal, " ", "”, “") + "”", "- " + strings.ReplaceAll(legal, " ", "\n- ")} {
		r := ok(t, runOpts{stdin: strings.NewReader(in)}, "recovery-key", "check")
		assert.Equal(t, "valid\n", r.stdout, "check %q", in)
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
		assert.Equal(t, exitFailure, r.code, "check %q: exit", tc.in)
		assert.Equal(t, tc.want, r.stderr, "check %q: stderr", tc.in)
		assert.Empty(t, r.stdout, "check %q: stdout", tc.in)
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
		switch tc.Result {
		case "valid":
			assert.True(t, valid, "tcId %d %v: exit %d, %q %q; want valid", tc.TcID, tc.Flags, r.code, r.stdout, r.stderr)
		case "invalid":
			assert.True(t, invalid, "tcId %d %v: exit %d, %q %q; want invalid", tc.TcID, tc.Flags, r.code, r.stdout, r.stderr)
		}
	}
}
