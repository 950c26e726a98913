package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/mr-tron/base58"
)

// parseFields reads "name: value" lines.
func parseFields(t *testing.T, out string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		name, value, found := strings.Cut(line, ":")
		if !found {
			t.Fatalf("line %q is not name: value", line)
		}
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
	if f["base"] != "https://albums.ente.com" || f["token"] != "ABCDEFGHIJ" || f["fingerprint"] != wantFingerprint(key) || len(f) != 3 {
		t.Errorf("link parse: %q", r.stdout)
	}
	if strings.Contains(r.stdout, fragment) || strings.Contains(r.stdout, base64.StdEncoding.EncodeToString(key)) {
		t.Errorf("link parse shows the key without --show-key: %q", r.stdout)
	}

	// From standard input, as the help recommends, with --show-key.
	r = ok(t, runOpts{stdin: strings.NewReader(link + "\n")}, "link", "parse", "--show-key")
	f = parseFields(t, r.stdout)
	if f["key"] != fragment || f["key base64"] != base64.StdEncoding.EncodeToString(key) || f["fingerprint"] != wantFingerprint(key) {
		t.Errorf("link parse --show-key: %q", r.stdout)
	}

	// The legacy hex fragment and a token in the path give the same key.
	r = ok(t, runOpts{}, "link", "parse", "https://albums.example.org/ABCDEFGHIJ#"+hex.EncodeToString(key))
	if f := parseFields(t, r.stdout); f["fingerprint"] != wantFingerprint(key) || f["token"] != "ABCDEFGHIJ" || f["base"] != "https://albums.example.org" {
		t.Errorf("legacy link: %q", r.stdout)
	}
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
		if !strings.HasPrefix(link, prefix) {
			t.Fatalf("link new: %q, want it to start with %q", link, prefix)
		}
		key, err := base58.Decode(strings.TrimPrefix(link, prefix))
		if err != nil || len(key) != 32 {
			t.Fatalf("fragment of %q: %d bytes, %v", link, len(key), err)
		}
		if seen[string(key)] {
			t.Error("link new drew the same key twice")
		}
		seen[string(key)] = true

		f := parseFields(t, ok(t, runOpts{}, "link", "parse", link).stdout)
		if f["base"] != wantBase || f["token"] != "T0KEN_ab-9" || f["fingerprint"] != wantFingerprint(key) {
			t.Errorf("parse of %q: %v", link, f)
		}
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
		if strings.Contains(r.stderr, "1thX6LZ") {
			t.Errorf("message quotes the fragment: %q", r.stderr)
		}
	}
	// A bad --base is the base's fault, not a link's.
	r := fails(t, exitUsage, `link new: --base: share: invalid album base URL: scheme "ftp", want https or http`, runOpts{}, "link", "new", "--base", "ftp://example.org", "--token", "ABC")
	if strings.Contains(r.stderr, "invalid album link") {
		t.Errorf("link new --base ftp:// blames a link: %q", r.stderr)
	}
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
		if f := parseFields(t, r.stdout); f["token"] != "ABCDEFGHIJ" || f["fingerprint"] != wantFingerprint(key) || f["base"] != "https://albums.ente.com" {
			t.Errorf("link parse of %q: %q", text, r.stdout)
		}
	}
}
