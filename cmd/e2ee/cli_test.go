package main

import (
	"flag"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseInterleaved(t *testing.T) {
	for _, tc := range []struct {
		args, pos []string
		out       string
		q         bool
	}{
		{[]string{"in", "-o", "out"}, []string{"in"}, "out", false},
		{[]string{"-q", "in", "--o=out", "more"}, []string{"in", "more"}, "out", true},
		{[]string{"-", "-q"}, []string{"-"}, "", true},
		{[]string{"-o", "out", "--", "-q", "-o"}, []string{"-q", "-o"}, "out", false},
		{[]string{"a", "--", "-q"}, []string{"a", "-q"}, "", false},
		{nil, nil, "", false},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		out := fs.String("o", "", "")
		q := fs.Bool("q", false, "")
		pos, err := parseInterleaved(fs, tc.args)
		assert.NoError(t, err, "parseInterleaved(%q)", tc.args)
		assert.Equal(t, tc.pos, pos, "parseInterleaved(%q): arguments", tc.args)
		assert.Equal(t, tc.out, *out, "parseInterleaved(%q): -o", tc.args)
		assert.Equal(t, tc.q, *q, "parseInterleaved(%q): -q", tc.args)
	}
}

// TestMayBeSecret: what the message filter hides, and what it must keep
// (paths and names people need to see in errors).
func TestMayBeSecret(t *testing.T) {
	for _, a := range []string{
		"legal winner thank year", "legal, winner, thank", "“abandon abandon”",
		"vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwTl920flyT0=", strings.Repeat("7f", 32),
		"1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE", "Zm9v/YmFy+" + strings.Repeat("A", 34),
		"https://albums.ente.com/?t=ABCDEFGHIJ#1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE",
	} {
		assert.True(t, mayBeSecret(a), "mayBeSecret(%q)", a)
	}
	for _, a := range []string{
		"photo.key", "/tmp/TestSomethingLong1234567890/001/in", "E2EE_KEY", "--key-file", "my photo.jpg",
		"https://albums.ente.com/?t=ABCDEFGHIJ", "frobnicate", "abandon", "",
	} {
		assert.False(t, mayBeSecret(a), "mayBeSecret(%q)", a)
	}
	args := []string{"check", "legal winner thank", "--key-file=vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwTl920flyT0="}
	got := redactArgs(`unknown "legal winner thank"; open vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwTl920flyT0=: check`, args)
	assert.Equal(t, "unknown "+argNotShown+"; open "+argNotShown+": check", got, "redactArgs")
}
