package share_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

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
			require.ErrorIs(t, err, share.ErrInvalidLink)
			require.Nil(t, k)
			return
		}
		enc := share.EncodeKey(k)
		if len(frag) < 50 {
			require.True(t, enc == frag, "base58 %q decoded but re-encodes as %q", frag, enc)
		}
		k2, err := share.DecodeKey(enc)
		require.NoError(t, err, "re-decoding %q", enc)
		require.True(t, k2.Equal(k), "re-decoding %q gives another key", enc)
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
			require.ErrorIs(t, err, share.ErrInvalidLink)
			require.Nil(t, l)
			return
		}
		require.NotNil(t, l.Key, "parsed link without key")
		require.NotEmpty(t, l.AccessToken, "parsed link without token")
		// A valid parse renders to a canonical link that parses back to
		// the same token, key and base, and renders the same again.
		full, err := l.SecretURL()
		require.NoError(t, err, "SecretURL of a parsed link")
		l2, err := share.ParseAlbumURL(full)
		require.NoError(t, err, "re-parsing %s", l)
		require.Equal(t, l.AccessToken, l2.AccessToken, "round trip changed %s into %s", l, l2)
		require.Equal(t, l.Base, l2.Base, "round trip changed %s into %s", l, l2)
		require.True(t, l2.Key.Equal(l.Key), "round trip changed the key of %s", l)
		// SecretURL holds the key: compared without a diff.
		full2, _ := l2.SecretURL()
		require.True(t, full2 == full, "canonical form is not stable")
		require.False(t, strings.Contains(l.String(), share.EncodeKey(l.Key)), "String shows the key")
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
			require.ErrorIs(t, err, share.ErrInvalidLink)
			require.Nil(t, l)
			return
		}
		require.Equal(t, l.Key == nil, l.HasSecret(), "parsed link without key or secret, or with both")
		require.NotEmpty(t, l.AccessToken, "parsed link without token")
		full, err := l.SecretURL()
		require.NoError(t, err, "SecretURL of a parsed link")
		l2, err := share.ParseFileURL(full)
		require.NoError(t, err, "round trip of %s", l)
		require.Equal(t, l.AccessToken, l2.AccessToken, "round trip changed %s into %s", l, l2)
		require.Equal(t, l.Base, l2.Base, "round trip changed %s into %s", l, l2)
		require.Equal(t, l.TokenInPath, l2.TokenInPath, "round trip changed %s into %s", l, l2)
		require.Equal(t, l.HasSecret(), l2.HasSecret(), "round trip changed %s into %s", l, l2)
		if l.Key != nil {
			require.True(t, l2.Key.Equal(l.Key), "round trip changed the key of %s", l)
		}
	})
}

func FuzzFileLinkKey(f *testing.F) {
	f.Add([]byte(`{"file":{"id":1,"encryptedKey":"AAAA","keyDecryptionNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}`))
	f.Add([]byte(`{"file":{"id":1},"link":{"encryptedFileKey":"AAAA","encryptedFileKeyNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","kdfNonce":"AAAAAAAAAAAAAAAAAAAAAA==","kdfMemLimit":8192,"kdfOpsLimit":1}}`))
	f.Add([]byte(`{"file":null}`))
	keyLink, err := share.ParseFileURL("https://share.ente.io/ABCDE12345#" + seqB58)
	require.NoError(f, err)
	secretLink, err := share.ParseFileURL("https://share.ente.io/ABCDE12345#aZ09bY18cX27")
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, info []byte) {
		for _, l := range []*share.FileLink{keyLink, secretLink} {
			k, err := l.FileKey(info)
			if err != nil {
				require.Nil(t, k, "FileKey error %v", err)
				require.True(t, errors.Is(err, share.ErrBadResponse) || errors.Is(err, share.ErrKeyMismatch) ||
					errors.Is(err, pwhash.ErrTooExpensive) || errors.Is(err, pwhash.ErrInvalidParams), "FileKey error %v", err)
				continue
			}
			k.Destroy()
		}
	})
}
