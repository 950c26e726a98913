package share_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/e2eekit/e2ee/internal/vectorseed"
	"github.com/e2eekit/e2ee/share"
)

func FuzzDecodeKey(f *testing.F) {
	for _, s := range []string{
		seqB58, strings.Repeat("1", 32), "11tJ93RwaVfE1PEMxd5rpZZuPtLCwbEaDCrNBhAy8Cv",
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		"", "0", strings.Repeat("z", 49), strings.Repeat("f", 64), strings.Repeat("1", 50),
	} {
		f.Add(s)
	}
	// The fragment of every link in the vectors: base58, legacy hex, and
	// their broken forms.
	for _, u := range vectorseed.Strings(f, "links.json", "url") {
		if _, frag, ok := strings.Cut(u, "#"); ok {
			f.Add(frag)
		}
	}
	f.Fuzz(func(t *testing.T, frag string) {
		k, err := share.DecodeKey(frag)
		if err != nil {
			if !errors.Is(err, share.ErrInvalidLink) || k != nil {
				t.Fatalf("DecodeKey = %v, %v", k, err)
			}
			return
		}
		enc := share.EncodeKey(k)
		if len(frag) < 50 && enc != frag {
			t.Fatalf("base58 %q decoded but re-encodes as %q", frag, enc)
		}
		if k2, err := share.DecodeKey(enc); err != nil || !k2.Equal(k) {
			t.Fatalf("re-decoding %q: %v", enc, err)
		}
	})
}

func FuzzParseAlbumURL(f *testing.F) {
	for _, s := range []string{
		"https://albums.ente.com/?t=ABCDE12345#" + seqB58,
		"<https://albums.ente.com/ABCDE12345/%23" + seqB58 + "/>",
		"http://127.0.0.1:1/x/?t=a-b_c&t=d#" + strings.Repeat("ab", 32),
		"https://albums.ente.com/?t=ABCDE12345#", "https://u@h/#x", "#", "%23", "<>", " ",
	} {
		f.Add(s)
	}
	for _, u := range vectorseed.Strings(f, "links.json", "url") {
		f.Add(u)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		l, err := share.ParseAlbumURL(raw)
		if err != nil {
			if !errors.Is(err, share.ErrInvalidLink) || l != nil {
				t.Fatalf("ParseAlbumURL = %v, %v", l, err)
			}
			return
		}
		if l.Key == nil || l.AccessToken == "" {
			t.Fatalf("parsed link without key or token")
		}
		// A valid parse renders to a canonical link that parses back to
		// the same token, key and base, and renders the same again.
		full, err := l.SecretURL()
		if err != nil {
			t.Fatalf("SecretURL of a parsed link: %v", err)
		}
		l2, err := share.ParseAlbumURL(full)
		if err != nil {
			t.Fatalf("re-parsing %s: %v", l, err)
		}
		if l2.AccessToken != l.AccessToken || l2.Base != l.Base || !l2.Key.Equal(l.Key) {
			t.Fatalf("round trip changed %s into %s", l, l2)
		}
		if full2, _ := l2.SecretURL(); full2 != full {
			t.Fatalf("canonical form is not stable")
		}
		if strings.Contains(l.String(), share.EncodeKey(l.Key)) {
			t.Fatalf("String shows the key")
		}
	})
}
