package share_test

import (
	"bytes"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/redacttest"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/share"
)

const seqB58 = "1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE"

func TestAlbumURL(t *testing.T) {
	k := seqKey(t)
	for _, tc := range []struct{ base, want string }{
		{share.DefaultBase, "https://albums.ente.com/?t=ABCDE12345#" + seqB58},
		{"https://albums.ente.com/", "https://albums.ente.com/?t=ABCDE12345#" + seqB58},
		{"https://photos.example.org/shared", "https://photos.example.org/shared/?t=ABCDE12345#" + seqB58},
		{"http://127.0.0.1:8080/a/b/", "http://127.0.0.1:8080/a/b/?t=ABCDE12345#" + seqB58},
	} {
		got, err := share.AlbumURL(tc.base, "ABCDE12345", k)
		assert.NoError(t, err, "AlbumURL(%q)", tc.base)
		// The URL holds the key: compared without a diff.
		assert.True(t, got == tc.want, "AlbumURL(%q) = %q; want %q", tc.base, got, tc.want)
		l, err := share.ParseAlbumURL(got)
		require.NoError(t, err, "ParseAlbumURL(%q)", got)
		assert.Equal(t, "ABCDE12345", l.AccessToken, "ParseAlbumURL(%q)", got)
		assert.True(t, l.Key.Equal(k), "ParseAlbumURL(%q): another key", got)
		assert.Equal(t, strings.TrimSuffix(tc.base, "/"), l.Base, "ParseAlbumURL(%q)", got)
	}
	// A bad base is the base's fault (ErrInvalidBase), not a link's.
	for name, base := range map[string]string{
		"ftp":      "ftp://h",
		"no host":  "https:///x",
		"relative": "albums.ente.com",
		"query":    "https://h/?x=1",
		"fragment": "https://h/#x",
		"userinfo": "https://u:p@h/",
		"bad URL":  "https://h/%zz",
	} {
		_, err := share.AlbumURL(base, "T", k)
		assert.NotErrorIs(t, err, share.ErrInvalidLink, "%s: AlbumURL error, want ErrInvalidBase", name)
		if assert.ErrorIs(t, err, share.ErrInvalidBase, "%s: AlbumURL error", name) {
			assert.True(t, strings.HasPrefix(err.Error(), "share: invalid album base URL: "), "%s: AlbumURL error %v", name, err)
		}
	}
	for name, tc := range map[string]struct {
		token string
		key   *secret.Key
	}{
		"empty token":   {"", k},
		"token with &":  {"A&t=B", k},
		"token with \n": {"A\nB", k},
		"long token":    {strings.Repeat("A", 129), k},
		"nil key":       {"T", nil},
	} {
		_, err := share.AlbumURL(share.DefaultBase, tc.token, tc.key)
		assert.ErrorIs(t, err, share.ErrInvalidLink, "%s: AlbumURL error", name)
	}
}

func TestParseAlbumURLTolerates(t *testing.T) {
	k := seqKey(t)
	hexFrag := "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	for _, tc := range []struct{ raw, token, base string }{
		{"https://albums.ente.com/?t=ABCDE12345#" + seqB58, "ABCDE12345", "https://albums.ente.com"},
		{"https://albums.ente.com?t=ABCDE12345#" + seqB58, "ABCDE12345", "https://albums.ente.com"},
		{"  https://albums.ente.com/?t=ABCDE12345#" + seqB58 + "\n", "ABCDE12345", "https://albums.ente.com"},
		{"<https://albums.ente.com/?t=ABCDE12345#" + seqB58 + ">", "ABCDE12345", "https://albums.ente.com"},
		{" < https://albums.ente.com/?t=ABCDE12345#" + seqB58 + " > ", "ABCDE12345", "https://albums.ente.com"},
		{"https://albums.ente.com/?t=ABCDE12345#" + seqB58 + "/", "ABCDE12345", "https://albums.ente.com"},
		{"https://albums.ente.com/?t=ABCDE12345%23" + seqB58, "ABCDE12345", "https://albums.ente.com"},
		{"https://albums.ente.com/?t=ABCDE12345%23" + seqB58 + "/", "ABCDE12345", "https://albums.ente.com"},
		{"https://albums.ente.com/ABCDE12345#" + seqB58, "ABCDE12345", "https://albums.ente.com"},
		{"https://albums.ente.com/ABCDE12345/#" + seqB58, "ABCDE12345", "https://albums.ente.com"},
		{"https://albums.ente.com/ABCDE12345%23" + seqB58, "ABCDE12345", "https://albums.ente.com"},
		{"https://albums.ente.com/?t=ABCDE12345&x=y#" + seqB58, "ABCDE12345", "https://albums.ente.com"},
		{"https://albums.ente.io/?t=ABCDE12345#" + hexFrag, "ABCDE12345", "https://albums.ente.io"},
		{"https://my.host:8443/pics/?t=ab_c-9#" + seqB58, "ab_c-9", "https://my.host:8443/pics"},
		{"HTTPS://albums.ente.com/?t=ABCDE12345#" + seqB58, "ABCDE12345", "https://albums.ente.com"},
	} {
		l, err := share.ParseAlbumURL(tc.raw)
		if !assert.NoError(t, err, "ParseAlbumURL(%q)", tc.raw) {
			continue
		}
		assert.Equal(t, tc.token, l.AccessToken, "ParseAlbumURL(%q)", tc.raw)
		assert.Equal(t, tc.base, l.Base, "ParseAlbumURL(%q)", tc.raw)
		assert.True(t, l.Key.Equal(k), "ParseAlbumURL(%q): another key", tc.raw)
	}
}

// TestParseAlbumURLManglings: links as chat apps, mail clients, editors
// and redirectors deliver them, each parsed to the same token and key.
func TestParseAlbumURLManglings(t *testing.T) {
	k := seqKey(t)
	const link = "https://albums.ente.com/?t=ABCDE12345#" + seqB58
	hexLink := "https://albums.ente.com/?t=ABCDE12345#000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	for _, tc := range []struct{ name, text string }{
		{"sentence full stop", "Here is the album: " + link + "."},
		{"comma after it", link + ", enjoy"},
		{"exclamation mark", link + "!"},
		{"question mark", "Did you see " + link + "?"},
		{"semicolon", link + ";"},
		{"ellipsis", link + "…"},
		{"parentheses", "(" + link + ")"},
		{"parentheses and full stop", "(album: " + link + ")."},
		{"double quotes", `"` + link + `"`},
		{"single quotes", "'" + link + "'"},
		{"typographic quotes (iOS, macOS)", "“" + link + "”"},
		{"German quotes", "„" + link + "“"},
		{"guillemets", "«" + link + "»"},
		{"inline code (Slack, Discord)", "`" + link + "`"},
		{"code block", "```\n" + link + "\n```"},
		{"markdown link", "[our album](" + link + ")"},
		{"markdown link with the URL as text", "[" + link + "](" + link + ")"},
		{"markdown bold", "**" + link + "**"},
		{"autolink in angle brackets", "Album: <" + link + "> -- Alice"},
		{"Slack's <url|text>", "<" + link + "|albums.ente.com>"},
		{"utm parameter after the key", link + "&utm_source=x"},
		{"several tracking parameters", link + "&utm_source=newsletter&utm_medium=email&fbclid=IwAR0x"},
		{"query after the key", link + "?ref=share"},
		{"tracking parameter in the query", "https://albums.ente.com/?t=ABCDE12345&fbclid=IwAR0x#" + seqB58},
		{"trailing slash and full stop", link + "/."},
		{"mail: key broken across lines", link[:len(link)-20] + "\n" + link[len(link)-20:]},
		{"mail: broken and quoted", "> " + link[:50] + "\n> " + link[50:] + "\n> \n"},
		{"mail: broken in the query", "https://albums.ente.com/?t=ABCDE\r\n12345#" + seqB58},
		{"mail: text on the next line", link + "\nAlice\n"},
		{"mail: a one-letter line after it", link + "\nx\n"},
		{"Outlook Safe Links", "https://eur01.safelinks.protection.outlook.com/?url=" + url.QueryEscape(link) + "&data=05%7C01%7Cx&reserved=0"},
		{"Google redirect", "https://www.google.com/url?q=" + url.QueryEscape(link) + "&sa=D&source=hangouts"},
		{"Facebook redirect", "https://l.facebook.com/l.php?u=" + url.QueryEscape(link) + "&h=AT0x"},
		{"'#' escaped and a full stop", "https://albums.ente.com/?t=ABCDE12345%23" + seqB58 + "."},
		{"another link first", "See https://ente.io/about and " + link},
		{"text before, on its own line", "Hi!\n\n" + link + "\nBye"},
		{"non-breaking spaces", "\u00a0" + link + "\u00a0"},
		{"tabs", "album\t" + link + "\tshared"},
		{"upper-case scheme in a sentence", "link: HTTPS://albums.ente.com/?t=ABCDE12345#" + seqB58 + "."},
		{"token in the path, parenthesised", "(https://albums.ente.com/ABCDE12345#" + seqB58 + ")"},
		{"legacy hex key and a full stop", hexLink + "."},
		{"Windows line ending", link + "\r\n"},
	} {
		l, err := share.ParseAlbumURL(tc.text)
		if !assert.NoError(t, err, "%s", tc.name) {
			continue
		}
		assert.Equal(t, "ABCDE12345", l.AccessToken, "%s: token", tc.name)
		assert.Equal(t, "https://albums.ente.com", l.Base, "%s: base", tc.name)
		assert.True(t, l.Key.Equal(k), "%s: another key", tc.name)
	}
}

// TestParseAlbumURLBrokenAnywhere: a mail client may break a long link at
// any character after its scheme; every such break, with or without "> "
// quoting, parses to the same link.
func TestParseAlbumURLBrokenAnywhere(t *testing.T) {
	k := seqKey(t)
	for _, link := range []string{
		"https://albums.ente.com/?t=ABCDE12345#" + seqB58,
		"https://albums.ente.com/?t=ABCDE12345#000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	} {
		for i := len("https://") + 1; i < len(link); i++ {
			for _, brk := range []string{"\n", "\r\n> "} {
				text := link[:i] + brk + link[i:] + "\n"
				l, err := share.ParseAlbumURL(text)
				if assert.NoError(t, err, "broken at %d (%q)", i, brk) {
					assert.Equal(t, "ABCDE12345", l.AccessToken, "broken at %d (%q)", i, brk)
					assert.True(t, l.Key.Equal(k), "broken at %d (%q): another key", i, brk)
				}
			}
		}
	}
}

func TestParseAlbumURLRejects(t *testing.T) {
	for name, raw := range map[string]string{
		"empty":             "",
		"no fragment":       "https://albums.ente.com/?t=ABCDE12345",
		"empty fragment":    "https://albums.ente.com/?t=ABCDE12345#",
		"slash fragment":    "https://albums.ente.com/?t=ABCDE12345#/",
		"short key":         "https://albums.ente.com/?t=ABCDE12345#21bnBr73VvqFKaCDQxB7ckG2qbQrVbHLgdhdDUrjteu",
		"bad base58":        "https://albums.ente.com/?t=ABCDE12345#0thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE",
		"short hex":         "https://albums.ente.com/?t=ABCDE12345#" + strings.Repeat("ab", 30),
		"no token":          "https://albums.ente.com/#" + seqB58,
		"empty t":           "https://albums.ente.com/?t=#" + seqB58,
		"bad token":         "https://albums.ente.com/?t=AB%20CD#" + seqB58,
		"bad path token":    "https://albums.ente.com/a.b#" + seqB58,
		"no scheme":         "albums.ente.com/?t=ABCDE12345#" + seqB58,
		"javascript":        "javascript:alert(1)//?t=ABCDE12345#" + seqB58,
		"ftp":               "ftp://albums.ente.com/?t=ABCDE12345#" + seqB58,
		"userinfo":          "https://evil@albums.ente.com/?t=ABCDE12345#" + seqB58,
		"no host":           "https:///?t=ABCDE12345#" + seqB58,
		"bad URL":           "https://albums.ente.com/%zz?t=ABCDE12345#" + seqB58,
		"too long":          "https://albums.ente.com/?t=ABCDE12345&x=" + strings.Repeat("a", 5000) + "#" + seqB58,
		"only brackets":     "<>",
		"two fragments":     "https://albums.ente.com/?t=ABCDE12345#" + seqB58 + "#" + seqB58,
		"long base58 frag":  "https://albums.ente.com/?t=ABCDE12345#" + strings.Repeat("z", 3000),
		"text glued to key": "https://albums.ente.com/?t=ABCDE12345#" + seqB58 + "Thanks",
		"key cut short":     "https://albums.ente.com/?t=ABCDE12345#" + seqB58[:30] + ".",
		"redirect to ftp":   "https://www.google.com/url?q=" + url.QueryEscape("ftp://h/?t=ABCDE12345#"+seqB58),
		"redirect, no key":  "https://www.google.com/url?q=" + url.QueryEscape("https://albums.ente.com/?t=ABCDE12345"),
	} {
		t.Run(name, func(t *testing.T) {
			l, err := share.ParseAlbumURL(raw)
			require.ErrorIs(t, err, share.ErrInvalidLink)
			require.Nil(t, l)
			// Not assert.NotContains: seqB58 is a key.
			assert.False(t, strings.Contains(err.Error(), seqB58), "error %q reveals the key", err)
		})
	}
}

func TestLinkRedacted(t *testing.T) {
	l, err := share.ParseAlbumURL("https://albums.ente.com/?t=ABCDE12345#" + seqB58)
	require.NoError(t, err)
	const want = "https://albums.ente.com/?t=ABCDE12345#xxxxx"
	assert.Equal(t, want, l.String(), "String")
	redacttest.Check(t, *l, l.Key.Bytes())
	redacttest.Check(t, l, l.Key.Bytes())
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("opened", "link", l)
	assert.Contains(t, buf.String(), "?t=ABCDE12345#xxxxx", "slog output lacks the redacted link")
	full, err := l.SecretURL()
	assert.NoError(t, err, "SecretURL")
	assert.True(t, full == "https://albums.ente.com/?t=ABCDE12345#"+seqB58, "SecretURL = %q", full)
	var zero share.Link
	s := zero.String()
	assert.True(t, strings.HasPrefix(s, share.DefaultBase), "zero Link prints %q", s)
}
