package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mr-tron/base58"
)

// parseFields reads "name: value" lines.
func parseFields(t *testing.T, out string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		name, value, found := strings.Cut(line, ":")
		require.True(t, found, "line %q is not name: value", line)
		m[name] = strings.TrimSpace(value)
	}
	return m
}

// wantFingerprint is the first 8 bytes of SHA-256 of key, in hex.
func wantFingerprint(key []byte) string {
	sum := sha256.Sum256(key)
	return hex.EncodeToString(sum[:8])
}

// TestLinkParseKnownAnswer parses a link whose fragment is the base58 of
// key bytes 00 01 … 1f (a known answer of Ente's repository).
func TestLinkParseKnownAnswer(t *testing.T) {
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(i)
	}
	const fragment = "1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE"
	link := "https://albums.ente.com/?t=ABCDEFGHIJ#" + fragment

	r := ok(t, runOpts{}, "link", "parse", link)
	f := parseFields(t, r.stdout)
	assert.Equal(t, "https://albums.ente.com", f["base"], "link parse: base")
	assert.Equal(t, "ABCDEFGHIJ", f["token"], "link parse: token")
	assert.Equal(t, wantFingerprint(key), f["fingerprint"], "link parse: fingerprint")
	assert.Len(t, f, 3, "link parse: %q", r.stdout)
	// The key and its renderings stay out of testify's Equal and Contains.
	assert.False(t, strings.Contains(r.stdout, fragment), "link parse shows the key without --show-key: %q", r.stdout)
	assert.False(t, strings.Contains(r.stdout, base64.StdEncoding.EncodeToString(key)), "link parse shows the key without --show-key: %q", r.stdout)

	// From standard input, as the help recommends, with --show-key.
	r = ok(t, runOpts{stdin: strings.NewReader(link + "\n")}, "link", "parse", "--show-key")
	f = parseFields(t, r.stdout)
	assert.True(t, f["key"] == fragment, "link parse --show-key: key: %q", r.stdout)
	assert.True(t, f["key base64"] == base64.StdEncoding.EncodeToString(key), "link parse --show-key: key base64: %q", r.stdout)
	assert.Equal(t, wantFingerprint(key), f["fingerprint"], "link parse --show-key: fingerprint")

	// The legacy hex fragment and a token in the path give the same key.
	r = ok(t, runOpts{}, "link", "parse", "https://albums.example.org/ABCDEFGHIJ#"+hex.EncodeToString(key))
	f = parseFields(t, r.stdout)
	assert.Equal(t, wantFingerprint(key), f["fingerprint"], "legacy link: fingerprint")
	assert.Equal(t, "ABCDEFGHIJ", f["token"], "legacy link: token")
	assert.Equal(t, "https://albums.example.org", f["base"], "legacy link: base")
}

// TestLinkNewParseRoundTrip makes links and checks them with an independent
// base58 decoder, then parses them back with the command.
func TestLinkNewParseRoundTrip(t *testing.T) {
	seen := map[string]bool{}
	for _, base := range []string{"", "https://albums.example.org:8443/photos"} {
		args := []string{"link", "new", "--token", "T0KEN_ab-9"}
		wantBase := "https://albums.ente.com"
		if base != "" {
			args = append(args, "--base", base)
			wantBase = base
		}
		r := ok(t, runOpts{}, args...)
		link := strings.TrimSuffix(r.stdout, "\n")
		prefix := wantBase + "/?t=T0KEN_ab-9#"
		require.True(t, strings.HasPrefix(link, prefix), "link new: %q, want it to start with %q", link, prefix)
		key, err := base58.Decode(strings.TrimPrefix(link, prefix))
		require.NoError(t, err, "fragment of %q", link)
		require.Equal(t, 32, len(key), "fragment of %q", link) // not Len, which would print the key
		assert.False(t, seen[string(key)], "link new drew the same key twice")
		seen[string(key)] = true

		f := parseFields(t, ok(t, runOpts{}, "link", "parse", link).stdout)
		assert.Equal(t, wantBase, f["base"], "parse of %q: base", link)
		assert.Equal(t, "T0KEN_ab-9", f["token"], "parse of %q: token", link)
		assert.Equal(t, wantFingerprint(key), f["fingerprint"], "parse of %q: fingerprint", link)
	}
}

// TestLinkErrors: bad links fail with exit 1 and never quote the fragment.
func TestLinkErrors(t *testing.T) {
	const badKey = "1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPN0" // '0' is not base58
	for _, tc := range []struct{ link, want string }{
		{"https://albums.ente.com/?t=ABCDEFGHIJ#" + badKey, "invalid album link: key fragment is not base58"},
		{"https://albums.ente.com/?t=ABCDEFGHIJ", "invalid album link"},
		{"https://albums.ente.com/#1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE", "no access token"},
		{"not a link", "invalid album link"},
	} {
		r := fails(t, exitFailure, tc.want, runOpts{}, "link", "parse", tc.link)
		assert.False(t, strings.Contains(r.stderr, "1thX6LZ"), "message quotes the fragment: %q", r.stderr)
	}
	// A bad --base is the base's fault, not a link's.
	r := fails(t, exitUsage, `link new: --base: share: invalid album base URL: scheme "ftp", want https or http`, runOpts{}, "link", "new", "--base", "ftp://example.org", "--token", "ABC")
	assert.NotContains(t, r.stderr, "invalid album link", "link new --base ftp:// blames a link")
	fails(t, exitFailure, "access token has a character outside", runOpts{}, "link", "new", "--token", "A B")
}

// TestLinkParseMangled: links as messengers and mail deliver them parse to
// the same token and key (the cases are share's; these are the ones people
// reported).
func TestLinkParseMangled(t *testing.T) {
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(i)
	}
	const link = "https://albums.ente.com/?t=ABCDEFGHIJ#1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE"
	for _, text := range []string{
		link + ".",
		"(" + link + ")",
		`"` + link + `"`,
		"“" + link + "”.",
		link + "&utm_source=x",
		"[album](" + link + ")",
		"Here it is: <" + link + ">\n-- \nAlice",
		link[:60] + "\n> " + link[60:],
	} {
		r := ok(t, runOpts{stdin: strings.NewReader(text + "\n")}, "link", "parse")
		f := parseFields(t, r.stdout)
		assert.Equal(t, "ABCDEFGHIJ", f["token"], "link parse of %q: token", text)
		assert.Equal(t, wantFingerprint(key), f["fingerprint"], "link parse of %q: fingerprint", text)
		assert.Equal(t, "https://albums.ente.com", f["base"], "link parse of %q: base", text)
	}
}
