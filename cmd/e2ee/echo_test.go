package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestArgumentsNeverEchoed: a phrase or key put on the command line by
// mistake, where a command takes none, where it wants a path or a name,
// or as a command, is never printed back; the message still says what is
// wrong.
func TestArgumentsNeverEchoed(t *testing.T) {
	phrase := "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth title"
	key := "vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwTl920flyT0="
	hexKey := strings.Repeat("7f", 32)
	link := "https://albums.ente.com/?t=ABCDEFGHIJ#1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE"
	in := filepath.Join(t.TempDir(), "in")
	writeFile(t, in, []byte("x"))
	for _, tc := range []struct {
		secret, want string
		code         int
		args         []string
	}{
		{phrase, "recovery-key check: takes no arguments (got 1): the recovery key is read from standard input or a prompt", exitUsage, []string{"recovery-key", "check", phrase}},
		{"legal, winner, thank", "recovery-key check: takes no arguments (got 1)", exitUsage, []string{"recovery-key", "check", "legal, winner, thank"}},
		{phrase, "unknown command", exitUsage, []string{phrase}},
		{key, "unknown command", exitUsage, []string{key}},
		{phrase, "no help for", exitUsage, []string{"help", phrase}},
		{key, "encrypt: 2 arguments, want at most 1", exitUsage, []string{"encrypt", in, key}},
		{key, "key file: open [argument not shown]: no such file or directory", exitFailure, []string{"encrypt", "--key-file", key, in}},
		{key, "key file: open [argument not shown]", exitFailure, []string{"encrypt", "--key-file=" + key, in}},
		{hexKey, "environment variable [argument not shown] is not set", exitFailure, []string{"encrypt", "--key-env", hexKey, in}},
		{key, "--header", exitFailure, []string{"decrypt", "--key-file", in, "--header", key, in}},
		{link, "link parse: 2 arguments, want at most 1", exitUsage, []string{"link", "parse", link, link}},
		{phrase, "flag provided but not defined", exitUsage, []string{"keygen", "-" + phrase}},
		{key, "invalid value", exitUsage, []string{"auth-export", "encrypt", "--ops-limit", key}},
	} {
		r := fails(t, tc.code, tc.want, runOpts{stdin: strings.NewReader("")}, tc.args...)
		for _, piece := range []string{tc.secret, tc.secret[len(tc.secret)/2:]} {
			assert.False(t, strings.Contains(r.stderr, piece), "e2ee %s: the message quotes the secret: %q", strings.Join(tc.args, " ")[:20], r.stderr)
		}
	}
	// The check itself does not name a mistyped word.
	typo := strings.Replace(phrase, "sausage", "sausag", 1)
	r := fails(t, exitFailure, "invalid recovery key: word 6 is not in the BIP-39 English list", runOpts{stdin: strings.NewReader(typo)}, "recovery-key", "check")
	assert.NotContains(t, r.stderr, "sausag", "the message quotes the mistyped word")
	// A path that looks nothing like a key is still named.
	fails(t, exitFailure, "key file: open "+filepath.Join(filepath.Dir(in), "no.key"), runOpts{}, "encrypt", "--key-file", filepath.Join(filepath.Dir(in), "no.key"), in)
}
