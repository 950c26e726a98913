package share_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

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
		if err != nil || got != tc.want {
			t.Errorf("AlbumURL(%q) = %q, %v; want %q", tc.base, got, err, tc.want)
		}
		l, err := share.ParseAlbumURL(got)
		if err != nil {
			t.Fatalf("ParseAlbumURL(%q): %v", got, err)
		}
		if l.AccessToken != "ABCDE12345" || !l.Key.Equal(k) || l.Base != strings.TrimSuffix(tc.base, "/") {
			t.Errorf("ParseAlbumURL(%q) = %q %q", got, l.AccessToken, l.Base)
		}
	}
	for name, tc := range map[string]struct {
		base, token string
		key         *secret.Key
	}{
		"ftp":           {"ftp://h", "T", k},
		"no host":       {"https:///x", "T", k},
		"relative":      {"albums.ente.com", "T", k},
		"query":         {"https://h/?x=1", "T", k},
		"fragment":      {"https://h/#x", "T", k},
		"userinfo":      {"https://u:p@h/", "T", k},
		"empty token":   {share.DefaultBase, "", k},
		"token with &":  {share.DefaultBase, "A&t=B", k},
		"token with \n": {share.DefaultBase, "A\nB", k},
		"long token":    {share.DefaultBase, strings.Repeat("A", 129), k},
		"nil key":       {share.DefaultBase, "T", nil},
	} {
		if _, err := share.AlbumURL(tc.base, tc.token, tc.key); !errors.Is(err, share.ErrInvalidLink) {
			t.Errorf("%s: AlbumURL error %v, want ErrInvalidLink", name, err)
		}
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
		if err != nil {
			t.Errorf("ParseAlbumURL(%q): %v", tc.raw, err)
			continue
		}
		if l.AccessToken != tc.token || l.Base != tc.base || !l.Key.Equal(k) {
			t.Errorf("ParseAlbumURL(%q) = token %q base %q", tc.raw, l.AccessToken, l.Base)
		}
	}
}

func TestParseAlbumURLRejects(t *testing.T) {
	for name, raw := range map[string]string{
		"empty":            "",
		"no fragment":      "https://albums.ente.com/?t=ABCDE12345",
		"empty fragment":   "https://albums.ente.com/?t=ABCDE12345#",
		"slash fragment":   "https://albums.ente.com/?t=ABCDE12345#/",
		"short key":        "https://albums.ente.com/?t=ABCDE12345#21bnBr73VvqFKaCDQxB7ckG2qbQrVbHLgdhdDUrjteu",
		"bad base58":       "https://albums.ente.com/?t=ABCDE12345#0thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE",
		"short hex":        "https://albums.ente.com/?t=ABCDE12345#" + strings.Repeat("ab", 30),
		"no token":         "https://albums.ente.com/#" + seqB58,
		"empty t":          "https://albums.ente.com/?t=#" + seqB58,
		"bad token":        "https://albums.ente.com/?t=AB%20CD#" + seqB58,
		"bad path token":   "https://albums.ente.com/a.b#" + seqB58,
		"no scheme":        "albums.ente.com/?t=ABCDE12345#" + seqB58,
		"javascript":       "javascript:alert(1)//?t=ABCDE12345#" + seqB58,
		"ftp":              "ftp://albums.ente.com/?t=ABCDE12345#" + seqB58,
		"userinfo":         "https://evil@albums.ente.com/?t=ABCDE12345#" + seqB58,
		"no host":          "https:///?t=ABCDE12345#" + seqB58,
		"bad URL":          "https://albums.ente.com/%zz?t=ABCDE12345#" + seqB58,
		"too long":         "https://albums.ente.com/?t=ABCDE12345&x=" + strings.Repeat("a", 5000) + "#" + seqB58,
		"only brackets":    "<>",
		"two fragments":    "https://albums.ente.com/?t=ABCDE12345#" + seqB58 + "#" + seqB58,
		"long base58 frag": "https://albums.ente.com/?t=ABCDE12345#" + strings.Repeat("z", 3000),
	} {
		t.Run(name, func(t *testing.T) {
			l, err := share.ParseAlbumURL(raw)
			if !errors.Is(err, share.ErrInvalidLink) || l != nil {
				t.Fatalf("ParseAlbumURL = %v, %v; want ErrInvalidLink", l, err)
			}
			if strings.Contains(err.Error(), seqB58) {
				t.Errorf("error %q reveals the key", err)
			}
		})
	}
}

func TestLinkRedacted(t *testing.T) {
	l, err := share.ParseAlbumURL("https://albums.ente.com/?t=ABCDE12345#" + seqB58)
	if err != nil {
		t.Fatal(err)
	}
	const want = "https://albums.ente.com/?t=ABCDE12345#xxxxx"
	if l.String() != want {
		t.Errorf("String = %q, want %q", l.String(), want)
	}
	redacttest.Check(t, *l, l.Key.Bytes())
	redacttest.Check(t, l, l.Key.Bytes())
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("opened", "link", l)
	if !strings.Contains(buf.String(), "?t=ABCDE12345#xxxxx") {
		t.Errorf("slog output lacks the redacted link: %s", buf.String())
	}
	full, err := l.SecretURL()
	if err != nil || full != "https://albums.ente.com/?t=ABCDE12345#"+seqB58 {
		t.Errorf("SecretURL = %q, %v", full, err)
	}
	var zero share.Link
	if s := zero.String(); !strings.HasPrefix(s, share.DefaultBase) {
		t.Errorf("zero Link prints %q", s)
	}
}
