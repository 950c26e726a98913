package share_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/e2eekit/e2ee/internal/vectorseed"
	"github.com/e2eekit/e2ee/pwhash"
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

func FuzzParseFileURL(f *testing.F) {
	for _, s := range []string{
		"https://albums.ente.com/file/?t=ABCDE12345#" + seqB58,
		"https://share.ente.io/ABCDE12345#aZ09bY18cX27-notes",
		"https://share.ente.io/ABCDE12345#" + strings.Repeat("ab", 32) + "-x",
		"https://share.ente.io/#-", "#-", "https://h/t#------------",
	} {
		f.Add(s)
	}
	for _, u := range vectorseed.Strings(f, "filelinks.json", "link") {
		f.Add(u)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		l, err := share.ParseFileURL(raw)
		if err != nil {
			if !errors.Is(err, share.ErrInvalidLink) || l != nil {
				t.Fatalf("ParseFileURL = %v, %v", l, err)
			}
			return
		}
		if (l.Key == nil) != l.HasSecret() || l.AccessToken == "" {
			t.Fatalf("parsed link without key or token")
		}
		full, err := l.SecretURL()
		if err != nil {
			t.Fatalf("SecretURL of a parsed link: %v", err)
		}
		l2, err := share.ParseFileURL(full)
		if err != nil || l2.AccessToken != l.AccessToken || l2.Base != l.Base || l2.TokenInPath != l.TokenInPath ||
			l2.HasSecret() != l.HasSecret() || (l.Key != nil && !l2.Key.Equal(l.Key)) {
			t.Fatalf("round trip changed %s into %s: %v", l, l2, err)
		}
	})
}

func FuzzFileLinkKey(f *testing.F) {
	f.Add([]byte(`{"file":{"id":1,"encryptedKey":"AAAA","keyDecryptionNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}`))
	f.Add([]byte(`{"file":{"id":1},"link":{"encryptedFileKey":"AAAA","encryptedFileKeyNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","kdfNonce":"AAAAAAAAAAAAAAAAAAAAAA==","kdfMemLimit":8192,"kdfOpsLimit":1}}`))
	f.Add([]byte(`{"file":null}`))
	keyLink, err := share.ParseFileURL("https://share.ente.io/ABCDE12345#" + seqB58)
	if err != nil {
		f.Fatal(err)
	}
	secretLink, err := share.ParseFileURL("https://share.ente.io/ABCDE12345#aZ09bY18cX27")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, info []byte) {
		for _, l := range []*share.FileLink{keyLink, secretLink} {
			k, err := l.FileKey(info)
			if err != nil {
				if k != nil || !(errors.Is(err, share.ErrBadResponse) || errors.Is(err, share.ErrKeyMismatch) ||
					errors.Is(err, pwhash.ErrTooExpensive) || errors.Is(err, pwhash.ErrInvalidParams)) {
					t.Fatalf("FileKey = %v, %v", k, err)
				}
				continue
			}
			k.Destroy()
		}
	})
}
