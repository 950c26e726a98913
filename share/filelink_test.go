package share_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/redacttest"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
	"github.com/e2eekit/e2ee/share"
	"github.com/e2eekit/e2ee/share/sharetest"
)

func TestParseFileURL(t *testing.T) {
	key := secret.GenerateKey()
	b58 := share.EncodeKey(key)
	hexKey := fmt.Sprintf("%x", key.Bytes())
	for name, tc := range map[string]struct {
		raw, token, base string
		inPath, secret   bool
	}{
		"photos":            {"https://albums.ente.com/file/?t=ABCDE12345#" + b58, "ABCDE12345", "https://albums.ente.com/file", false, false},
		"locker":            {"https://share.ente.io/ABCDE12345#" + b58, "ABCDE12345", "https://share.ente.io", true, false},
		"suffix after dash": {"https://share.ente.io/ABCDE12345#" + b58 + "-notes", "ABCDE12345", "https://share.ente.io", true, false},
		"legacy hex":        {"https://albums.ente.com/file/?t=ABCDE12345#" + hexKey, "ABCDE12345", "https://albums.ente.com/file", false, false},
		"secret":            {"https://share.ente.io/ABCDE12345#aZ09bY18cX27", "ABCDE12345", "https://share.ente.io", true, true},
		"secret and dash":   {" <https://share.ente.io/ABCDE12345#aZ09bY18cX27-x> ", "ABCDE12345", "https://share.ente.io", true, true},
	} {
		l, err := share.ParseFileURL(tc.raw)
		if !assert.NoError(t, err, "%s", name) {
			continue
		}
		assert.Equal(t, tc.token, l.AccessToken, "%s: %+v", name, *l)
		assert.Equal(t, tc.base, l.Base, "%s: %+v", name, *l)
		assert.Equal(t, tc.inPath, l.TokenInPath, "%s: %+v", name, *l)
		assert.Equal(t, tc.secret, l.HasSecret(), "%s: %+v", name, *l)
		if !tc.secret {
			assert.True(t, l.Key.Equal(key), "%s: wrong key", name)
		}
		// The link renders back (canonically) and parses to the same.
		again, err := l.SecretURL()
		require.NoError(t, err)
		l2, err := share.ParseFileURL(again)
		if assert.NoError(t, err, "%s: %q does not round-trip", name, again) {
			assert.Equal(t, l.AccessToken, l2.AccessToken, "%s: %q does not round-trip", name, again)
			assert.Equal(t, l.Base, l2.Base, "%s: %q does not round-trip", name, again)
			assert.Equal(t, l.TokenInPath, l2.TokenInPath, "%s: %q does not round-trip", name, again)
		}
		// Not assert.NotContains: the key and the secret stay out of diffs.
		s := fmt.Sprintf("%v %+v %#v %s", l, l, l, l)
		assert.False(t, strings.Contains(s, b58), "%s: printed as %s", name, s)
		assert.False(t, strings.Contains(s, "aZ09bY18cX27"), "%s: printed as %s", name, s)
		assert.Contains(t, s, tc.token, "%s: printed", name)
	}
	for name, raw := range map[string]string{
		"no fragment":      "https://share.ente.io/ABCDE12345",
		"no token":         "https://share.ente.io/#" + b58,
		"short key":        "https://share.ente.io/ABCDE12345#" + b58[:20],
		"11-char fragment": "https://share.ente.io/ABCDE12345#aZ09bY18cX2",
		"ftp":              "ftp://share.ente.io/ABCDE12345#" + b58,
	} {
		l, err := share.ParseFileURL(raw)
		assert.Nil(t, l, "%s", name)
		if assert.ErrorIs(t, err, share.ErrInvalidLink, "%s", name) {
			assert.False(t, strings.Contains(err.Error(), b58[:20]), "%s: error quotes the fragment: %v", name, err)
		}
	}
	l, _ := share.ParseFileURL("https://albums.ente.com/file/?t=ABCDE12345#" + b58)
	redacttest.Check(t, l, key.Bytes())
}

// fileFixture serves one file under the three kinds of file link.
func fileFixture(t *testing.T) (*fixture, int64) {
	f := newFixture(t, 0)
	id := f.add("report.pdf", 3<<20)
	return f, id
}

func (f *fixture) fileViewer(t *testing.T, token, fragment string, opts share.Options) *share.FileViewer {
	t.Helper()
	l, err := share.ParseFileURL("https://share.ente.io/" + token + "#" + fragment)
	require.NoError(t, err)
	if opts.APIBase == "" {
		opts.APIBase = f.ts.URL
	}
	v, err := share.NewFileViewer(l, opts)
	require.NoError(t, err)
	t.Cleanup(v.Close)
	return v
}

func TestFileViewerKinds(t *testing.T) {
	f, id := fileFixture(t)
	for name, kind := range map[string]sharetest.FileLinkKind{
		"key opens the file key": sharetest.LinkKeyOpensFileKey,
		"the file key":           sharetest.LinkFileKey,
		"secret":                 sharetest.LinkSecret,
	} {
		token, frag := f.srv.ShareFile(id, kind)
		v := f.fileViewer(t, token, frag, share.Options{})
		file, legacy, err := v.Open(t.Context())
		if !assert.NoError(t, err, "%s: Open", name) ||
			!assert.Equal(t, "report.pdf", file.Title, "%s: Open = %+v", name, file) ||
			!assert.Equal(t, id, file.ID, "%s: Open = %+v", name, file) ||
			!assert.False(t, legacy, "%s: Open says legacy", name) {
			continue
		}
		var data, thumb bytes.Buffer
		_, err = v.Download(t.Context(), &data)
		assert.NoError(t, err, "%s: download", name)
		// 3 MiB: bytes.Equal, as a diff of it would flood the log.
		assert.True(t, bytes.Equal(f.data[id], data.Bytes()), "%s: download: %d bytes differ from the %d served", name, data.Len(), len(f.data[id]))
		_, err = v.DownloadThumbnail(t.Context(), &thumb)
		assert.NoError(t, err, "%s: thumbnail", name)
		assert.Equal(t, f.thumb[id], thumb.Bytes(), "%s: thumbnail", name)
		redacttest.Check(t, v, []byte(frag))
	}
}

func TestFileViewerRejects(t *testing.T) {
	f, id := fileFixture(t)
	token, _ := f.srv.ShareFile(id, sharetest.LinkFileKey)
	_, _, err := f.fileViewer(t, token, share.EncodeKey(secret.GenerateKey()), share.Options{}).Open(t.Context())
	assert.ErrorIs(t, err, share.ErrKeyMismatch, "wrong key")
	stoken, _ := f.srv.ShareFile(id, sharetest.LinkSecret)
	_, _, err = f.fileViewer(t, stoken, "AAAAAAAAAAAA", share.Options{}).Open(t.Context())
	assert.ErrorIs(t, err, share.ErrKeyMismatch, "wrong secret")
	_, _, err = f.fileViewer(t, "NOSUCHTOKEN", "AAAAAAAAAAAA", share.Options{}).Open(t.Context())
	assert.ErrorIs(t, err, share.ErrAccessDenied, "unknown token")
	_, err = f.fileViewer(t, token, "AAAAAAAAAAAA", share.Options{}).Download(t.Context(), &bytes.Buffer{})
	assert.ErrorIs(t, err, share.ErrNotFound, "download before Open")

	// A hostile server: KDF parameters beyond FileSecretLimits are refused
	// before any work; a secret link without them is a bad response.
	for name, link := range map[string]string{
		"4 GiB":      `{"encryptedFileKey":"AAAA","encryptedFileKeyNonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","kdfNonce":"AAAAAAAAAAAAAAAAAAAAAA==","kdfMemLimit":4294967296,"kdfOpsLimit":4}`,
		"no nonce":   `{"encryptedFileKey":"AAAA","kdfNonce":"AAAAAAAAAAAAAAAAAAAAAA==","kdfMemLimit":8388608,"kdfOpsLimit":1}`,
		"not object": `"x"`,
	} {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `{"file":{"id":1},"link":%s}`, link)
		}))
		_, _, err := f.fileViewer(t, "ABC", "AAAAAAAAAAAA", share.Options{APIBase: ts.URL}).Open(t.Context())
		want := share.ErrBadResponse
		if name == "4 GiB" {
			want = pwhash.ErrTooExpensive
		}
		assert.ErrorIs(t, err, want, "%s", name)
		ts.Close()
	}
}

func TestFileViewerPasswordAndDeviceLimit(t *testing.T) {
	f, id := fileFixture(t)
	f.srv.DeviceLimit = 1
	token, frag := f.srv.ShareFile(id, sharetest.LinkKeyOpensFileKey)
	require.NoError(t, f.srv.SetFileLinkPassword(token, cheapPassword(t, "hunter2")))
	v := f.fileViewer(t, token, frag, share.Options{})
	_, _, err := v.Open(t.Context())
	require.ErrorIs(t, err, share.ErrPasswordRequired, "Open before Unlock")
	require.True(t, v.PasswordProtected(), "Open before Unlock: PasswordProtected false")
	require.ErrorIs(t, v.Unlock(t.Context(), []byte("hunter3")), share.ErrIncorrectPassword, "wrong password")
	require.NoError(t, v.Unlock(t.Context(), []byte("hunter2")))
	for range 2 { // the second Open echoes the device token
		_, _, err := v.Open(t.Context())
		require.NoError(t, err)
	}
	var data bytes.Buffer
	_, err = v.Download(t.Context(), &data)
	require.NoError(t, err, "download")
	// 3 MiB: bytes.Equal, as a diff of it would flood the log.
	require.True(t, bytes.Equal(f.data[id], data.Bytes()), "download: %d bytes differ from the %d served", data.Len(), len(f.data[id]))
	l := f.srv.Log()
	assert.Equal(t, 1, l.Devices, "devices")
	assert.Equal(t, 1, l.RequestsWithDevice, "requests with the token")
	other := f.fileViewer(t, token, frag, share.Options{})
	require.NoError(t, other.Unlock(t.Context(), []byte("hunter2")))
	_, _, err = other.Open(t.Context())
	assert.ErrorIs(t, err, share.ErrDeviceLimit, "second device")
}

// TestNewFileLinkSecret: what an owner posts opens with the fragment, as
// Ente's share page derives it (independently here: Argon2id, secretbox).
func TestNewFileLinkSecret(t *testing.T) {
	fk := secret.GenerateKey()
	s, err := share.NewFileLinkSecret(fk)
	require.NoError(t, err)
	frag := s.Fragment()
	// The fragment is the secret: its length, not it, goes to testify.
	require.Equal(t, share.FileSecretLen, len(frag), "fragment length")
	require.Empty(t, strings.Trim(frag, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"), "fragment: characters outside base62")
	j, err := json.Marshal(s)
	require.NoError(t, err)
	var fields struct {
		EncryptedFileKey, EncryptedFileKeyNonce, KdfNonce string
		KdfMemLimit, KdfOpsLimit                          uint64
	}
	require.NoError(t, json.Unmarshal(j, &fields), "fields %s", j)
	require.Equal(t, uint64(64<<20), fields.KdfMemLimit, "fields %s", j)
	require.Equal(t, uint64(2), fields.KdfOpsLimit, "fields %s", j)
	// Not require.NotContains: the fragment is the secret.
	require.False(t, strings.Contains(string(j), frag), "the posted fields hold the secret")
	var salt pwhash.Salt
	var nonce secretbox.Nonce
	require.NoError(t, salt.UnmarshalText([]byte(fields.KdfNonce)), "bad salt")
	require.NoError(t, nonce.UnmarshalText([]byte(fields.EncryptedFileKeyNonce)), "bad nonce")
	k, err := pwhash.DeriveKey([]byte(frag), &salt, pwhash.Params{OpsLimit: fields.KdfOpsLimit, MemLimit: fields.KdfMemLimit}, pwhash.DefaultLimits)
	require.NoError(t, err)
	box, _ := base64.StdEncoding.DecodeString(fields.EncryptedFileKey)
	got, err := secretbox.Open(nil, box, &nonce, k)
	require.NoError(t, err, "the fields do not give the file key back")
	require.True(t, bytes.Equal(fk.Bytes(), got), "the fields do not give the file key back")
	redacttest.CheckSilent(t, s, []byte(frag))
}

// TestFileViewerHostile: the album Viewer's bounds hold for file links: a
// stalled body, an endless info body.
func TestFileViewerHostile(t *testing.T) {
	f, id := fileFixture(t)
	token, frag := f.srv.ShareFile(id, sharetest.LinkFileKey)
	ts := stalling(t, f, func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/file-link/file" {
			return false
		}
		w.Write(bytes.Repeat([]byte{1}, 1<<20))
		w.(http.Flusher).Flush()
		return true
	})
	v := f.fileViewer(t, token, frag, share.Options{APIBase: ts.URL, StallTimeout: 200 * time.Millisecond})
	_, _, err := v.Open(t.Context())
	require.NoError(t, err)
	n, err := v.Download(t.Context(), io.Discard)
	assert.ErrorIs(t, err, share.ErrStalled, "stalled download")
	assert.Zero(t, n, "stalled download: bytes released")
	endless := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"file":"`))
		for r.Context().Err() == nil {
			if _, err := w.Write(bytes.Repeat([]byte("x"), 1<<20)); err != nil {
				return
			}
		}
	}))
	defer endless.Close()
	_, _, err = f.fileViewer(t, token, frag, share.Options{APIBase: endless.URL}).Open(t.Context())
	assert.ErrorIs(t, err, share.ErrBadResponse, "endless info")
}
