package share_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

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
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if l.AccessToken != tc.token || l.Base != tc.base || l.TokenInPath != tc.inPath || l.HasSecret() != tc.secret {
			t.Errorf("%s: %+v", name, *l)
		}
		if !tc.secret && !l.Key.Equal(key) {
			t.Errorf("%s: wrong key", name)
		}
		// The link renders back (canonically) and parses to the same.
		again, err := l.SecretURL()
		if err != nil {
			t.Fatal(err)
		}
		l2, err := share.ParseFileURL(again)
		if err != nil || l2.AccessToken != l.AccessToken || l2.Base != l.Base || l2.TokenInPath != l.TokenInPath {
			t.Errorf("%s: %q does not round-trip: %v", name, again, err)
		}
		if s := fmt.Sprintf("%v %+v %#v %s", l, l, l, l); strings.Contains(s, b58) || strings.Contains(s, "aZ09bY18cX27") || !strings.Contains(s, tc.token) {
			t.Errorf("%s: printed as %s", name, s)
		}
	}
	for name, raw := range map[string]string{
		"no fragment":      "https://share.ente.io/ABCDE12345",
		"no token":         "https://share.ente.io/#" + b58,
		"short key":        "https://share.ente.io/ABCDE12345#" + b58[:20],
		"11-char fragment": "https://share.ente.io/ABCDE12345#aZ09bY18cX2",
		"ftp":              "ftp://share.ente.io/ABCDE12345#" + b58,
	} {
		if l, err := share.ParseFileURL(raw); !errors.Is(err, share.ErrInvalidLink) || l != nil {
			t.Errorf("%s: %v, %v", name, l, err)
		} else if strings.Contains(err.Error(), b58[:20]) {
			t.Errorf("%s: error quotes the fragment: %v", name, err)
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
	if err != nil {
		t.Fatal(err)
	}
	if opts.APIBase == "" {
		opts.APIBase = f.ts.URL
	}
	v, err := share.NewFileViewer(l, opts)
	if err != nil {
		t.Fatal(err)
	}
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
		if err != nil || file.Title != "report.pdf" || file.ID != id || legacy {
			t.Errorf("%s: Open = %+v, %v, %v", name, file, legacy, err)
			continue
		}
		var data, thumb bytes.Buffer
		if _, err := v.Download(t.Context(), &data); err != nil || !bytes.Equal(data.Bytes(), f.data[id]) {
			t.Errorf("%s: download: %v", name, err)
		}
		if _, err := v.DownloadThumbnail(t.Context(), &thumb); err != nil || !bytes.Equal(thumb.Bytes(), f.thumb[id]) {
			t.Errorf("%s: thumbnail: %v", name, err)
		}
		redacttest.Check(t, v, []byte(frag))
	}
}

func TestFileViewerRejects(t *testing.T) {
	f, id := fileFixture(t)
	token, _ := f.srv.ShareFile(id, sharetest.LinkFileKey)
	if _, _, err := f.fileViewer(t, token, share.EncodeKey(secret.GenerateKey()), share.Options{}).Open(t.Context()); !errors.Is(err, share.ErrKeyMismatch) {
		t.Errorf("wrong key: %v", err)
	}
	stoken, _ := f.srv.ShareFile(id, sharetest.LinkSecret)
	if _, _, err := f.fileViewer(t, stoken, "AAAAAAAAAAAA", share.Options{}).Open(t.Context()); !errors.Is(err, share.ErrKeyMismatch) {
		t.Errorf("wrong secret: %v", err)
	}
	if _, _, err := f.fileViewer(t, "NOSUCHTOKEN", "AAAAAAAAAAAA", share.Options{}).Open(t.Context()); !errors.Is(err, share.ErrAccessDenied) {
		t.Errorf("unknown token: %v", err)
	}
	if _, err := f.fileViewer(t, token, "AAAAAAAAAAAA", share.Options{}).Download(t.Context(), &bytes.Buffer{}); !errors.Is(err, share.ErrNotFound) {
		t.Errorf("download before Open: %v", err)
	}

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
		if !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", name, err, want)
		}
		ts.Close()
	}
}

func TestFileViewerPasswordAndDeviceLimit(t *testing.T) {
	f, id := fileFixture(t)
	f.srv.DeviceLimit = 1
	token, frag := f.srv.ShareFile(id, sharetest.LinkKeyOpensFileKey)
	if err := f.srv.SetFileLinkPassword(token, cheapPassword(t, "hunter2")); err != nil {
		t.Fatal(err)
	}
	v := f.fileViewer(t, token, frag, share.Options{})
	if _, _, err := v.Open(t.Context()); !errors.Is(err, share.ErrPasswordRequired) || !v.PasswordProtected() {
		t.Fatalf("Open before Unlock: %v", err)
	}
	if err := v.Unlock(t.Context(), []byte("hunter3")); !errors.Is(err, share.ErrIncorrectPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	if err := v.Unlock(t.Context(), []byte("hunter2")); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second Open echoes the device token
		if _, _, err := v.Open(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	var data bytes.Buffer
	if _, err := v.Download(t.Context(), &data); err != nil || !bytes.Equal(data.Bytes(), f.data[id]) {
		t.Fatalf("download: %v", err)
	}
	if l := f.srv.Log(); l.Devices != 1 || l.RequestsWithDevice != 1 {
		t.Errorf("devices %d, requests with the token %d", l.Devices, l.RequestsWithDevice)
	}
	other := f.fileViewer(t, token, frag, share.Options{})
	if err := other.Unlock(t.Context(), []byte("hunter2")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := other.Open(t.Context()); !errors.Is(err, share.ErrDeviceLimit) {
		t.Errorf("second device: %v", err)
	}
}

// TestNewFileLinkSecret: what an owner posts opens with the fragment, as
// Ente's share page derives it (independently here: Argon2id, secretbox).
func TestNewFileLinkSecret(t *testing.T) {
	fk := secret.GenerateKey()
	s, err := share.NewFileLinkSecret(fk)
	if err != nil {
		t.Fatal(err)
	}
	frag := s.Fragment()
	if len(frag) != share.FileSecretLen || strings.Trim(frag, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != "" {
		t.Fatalf("fragment %q", frag)
	}
	j, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var fields struct {
		EncryptedFileKey, EncryptedFileKeyNonce, KdfNonce string
		KdfMemLimit, KdfOpsLimit                          uint64
	}
	if err := json.Unmarshal(j, &fields); err != nil || fields.KdfMemLimit != 64<<20 || fields.KdfOpsLimit != 2 {
		t.Fatalf("fields %s: %v", j, err)
	}
	if strings.Contains(string(j), frag) {
		t.Fatal("the posted fields hold the secret")
	}
	var salt pwhash.Salt
	var nonce secretbox.Nonce
	if salt.UnmarshalText([]byte(fields.KdfNonce)) != nil || nonce.UnmarshalText([]byte(fields.EncryptedFileKeyNonce)) != nil {
		t.Fatal("bad nonce or salt")
	}
	k, err := pwhash.DeriveKey([]byte(frag), &salt, pwhash.Params{OpsLimit: fields.KdfOpsLimit, MemLimit: fields.KdfMemLimit}, pwhash.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	box, _ := base64.StdEncoding.DecodeString(fields.EncryptedFileKey)
	got, err := secretbox.Open(nil, box, &nonce, k)
	if err != nil || !bytes.Equal(got, fk.Bytes()) {
		t.Fatalf("the fields do not give the file key back: %v", err)
	}
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
	if _, _, err := v.Open(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n, err := v.Download(t.Context(), io.Discard); !errors.Is(err, share.ErrStalled) || n != 0 {
		t.Errorf("stalled download: %d, %v", n, err)
	}
	endless := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"file":"`))
		for r.Context().Err() == nil {
			if _, err := w.Write(bytes.Repeat([]byte("x"), 1<<20)); err != nil {
				return
			}
		}
	}))
	defer endless.Close()
	if _, _, err := f.fileViewer(t, token, frag, share.Options{APIBase: endless.URL}).Open(t.Context()); !errors.Is(err, share.ErrBadResponse) {
		t.Errorf("endless info: %v", err)
	}
}
