package main

import (
	"bytes"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/vectorseed"
)

// FuzzDecodeKey checks the key-text decoder against an independent oracle:
// it accepts exactly the canonical padded standard base64 of 32 bytes,
// surrounded by optional whitespace, and yields those bytes.
func FuzzDecodeKey(f *testing.F) {
	for _, s := range []string{
		"vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwTl920flyT0=", "vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwTl920flyT0=\n",
		" vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwTl920flyT1=", "vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwTl920flyT0",
		"vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwT\nl920flyT0=", "vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwTl920fl-_0=", "", "====",
	} {
		f.Add([]byte(s))
	}
	// Every 32-byte key in the vectors, as a key file holds it.
	for _, src := range [][2]string{{"blob.json", "key"}, {"file.json", "key"}, {"secretbox.json", "key"},
		{"links.json", "key"}, {"authenticator.json", "authKey"}, {"kdf.json", "kek"}} {
		for _, k := range vectorseed.Strings(f, src[0], src[1]) {
			f.Add([]byte(k + "\n"))
		}
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		in := bytes.Clone(text)
		k, err := decodeKey(text, "fuzz")
		require.True(t, bytes.Equal(in, text), "decodeKey modified its input") // key text: no Equal diff
		trimmed := strings.TrimSpace(string(text))
		want, oerr := base64.StdEncoding.DecodeString(trimmed)
		valid := oerr == nil && len(want) == 32 && base64.StdEncoding.EncodeToString(want) == trimmed
		require.Equal(t, valid, err == nil, "decodeKey(%q): err %v, oracle says valid=%v", text, err, valid)
		if err != nil {
			require.EqualError(t, err, "fuzz: not base64 of 32 bytes") // names the source, never the content
			return
		}
		got := k.Bytes()
		require.True(t, bytes.Equal(want, got), "decodeKey(%q) = %x, want %x", text, got, want)
	})
}

// FuzzByteSize: --mem-limit parses without panicking, and whatever it
// accepts is the number of bytes its text says.
func FuzzByteSize(f *testing.F) {
	for _, s := range []string{"67108864", "64MiB", "1GiB", "8KiB", "12B", "", "MiB", "18446744073709551615", "17179869184GiB", " 5 MiB", "-1"} {
		f.Add(s)
	}
	// Every memLimit in the vectors, in bytes as the flag takes it.
	for _, src := range [][2]string{{"pwhash.json", "memLimit"}, {"authenticator.json", "export.kdfParams.memLimit"},
		{"linkpass.json", "linkParams.memLimit"}, {"attributes.json", "attributes.memLimit"}} {
		for _, m := range vectorseed.Strings(f, src[0], src[1]) {
			f.Add(m)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b byteSize
		if err := b.Set(s); err != nil {
			return
		}
		// Re-parse the plain number it printed: same value.
		var again byteSize
		require.NoError(t, again.Set(b.String()), "Set(%q) = %d; Set(String())", s, b)
		require.Equal(t, b, again, "Set(%q) = %d; Set(String())", s, b)
		require.NotEmpty(t, formatBytes(uint64(b)), "formatBytes(%d)", b)
	})
}

var uriListErr = regexp.MustCompile(`^(line [1-9][0-9]* (is not an otpauth:// URI|holds a control character)|no otpauth:// URIs in the input)$`)

// FuzzParseURIList: every URI returned is one trimmed otpauth line of the
// input, in order, and errors never quote the input.
func FuzzParseURIList(f *testing.F) {
	f.Add([]byte("otpauth://totp/a?secret=A\n\r\n OTPAUTH://hotp/b \n"))
	f.Add([]byte("otpauth://x\nnot a uri SECRET\n"))
	f.Add([]byte("\n\n"))
	// The vectors' export plaintexts are URI lists as the command reads them.
	for _, text := range vectorseed.Strings(f, "authenticator.json", "AuthExportTest/plaintext") {
		f.Add([]byte(text))
	}
	for _, u := range vectorseed.Strings(f, "authenticator.json", "uri") {
		f.Add([]byte(u + "\r\n"))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		uris, err := parseURIList(text)
		if err != nil {
			require.Regexp(t, uriListErr, err.Error()) // names the line, never its content
			return
		}
		var want []string
		for _, line := range strings.Split(string(text), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				want = append(want, line)
			}
		}
		require.NotEmpty(t, uris, "parseURIList(%q)", text)
		require.Equal(t, strings.Join(want, "\n"), strings.Join(uris, "\n"), "parseURIList(%q)", text)
		for _, u := range uris {
			require.True(t, strings.HasPrefix(strings.ToLower(u), "otpauth://"), "parseURIList returned %q", u)
			require.False(t, strings.ContainsFunc(u, func(r rune) bool { return r < 0x20 || r == 0x7f }), "parseURIList returned %q", u)
		}
	})
}
