//go:build integration

package museum_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/internal/gallerytest"
	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/share"
	"github.com/e2eekit/e2ee/stream"
)

// ownerEntry is a file as the album's owner sees it in the private diff.
type ownerEntry struct {
	ID                 int64  `json:"id"`
	EncryptedKey       string `json:"encryptedKey"`
	KeyDecryptionNonce string `json:"keyDecryptionNonce"`
	File               struct {
		DecryptionHeader string `json:"decryptionHeader"`
	} `json:"file"`
	Metadata struct {
		EncryptedData    string `json:"encryptedData"`
		DecryptionHeader string `json:"decryptionHeader"`
	} `json:"metadata"`
	IsDeleted bool `json:"isDeleted"`
}

// ownerFiles reads a collection as its owner: every live file's key (under
// the collection key ck) and decrypted metadata title.
func (s *suite) ownerFiles(t *testing.T, collectionID int64, ck *secret.Key) map[int64]ownerFile {
	t.Helper()
	out := map[int64]ownerFile{}
	for since, more := int64(0), true; more; {
		diff, hasMore, err := s.c.Diff(t.Context(), collectionID, since)
		if err != nil {
			t.Fatal(err)
		}
		more = hasMore
		for _, raw := range diff {
			var e ownerEntry
			var u struct{ UpdationTime int64 }
			if err := json.Unmarshal(raw, &e); err != nil || json.Unmarshal(raw, &u) != nil {
				t.Fatal(err)
			}
			since = max(since, u.UpdationTime)
			if e.IsDeleted {
				delete(out, e.ID)
				continue
			}
			var w keys.WrappedKey
			if err := json.Unmarshal(fmt.Appendf(nil, `{"encryptedKey":%q,"keyDecryptionNonce":%q}`, e.EncryptedKey, e.KeyDecryptionNonce), &w); err != nil {
				t.Fatal(err)
			}
			fk, err := keys.OpenFileKey(&w, ck)
			if err != nil {
				t.Fatalf("file %d: the owner cannot open its key: %v", e.ID, err)
			}
			t.Cleanup(fk.Destroy)
			var mh, fh stream.Header
			ct, err := b64.Decode(e.Metadata.EncryptedData)
			if err == nil {
				err = errors.Join(mh.UnmarshalText([]byte(e.Metadata.DecryptionHeader)), fh.UnmarshalText([]byte(e.File.DecryptionHeader)))
			}
			if err != nil {
				t.Fatal(err)
			}
			md, err := stream.DecryptBlob(ct, mh, fk)
			if err != nil {
				t.Fatalf("file %d: the owner cannot open its metadata: %v", e.ID, err)
			}
			var m struct{ Title string }
			if err := json.Unmarshal(md, &m); err != nil {
				t.Fatal(err)
			}
			out[e.ID] = ownerFile{key: fk, header: fh, title: m.Title}
		}
	}
	return out
}

type ownerFile struct {
	key    *secret.Key
	header stream.Header
	title  string
}

// ownerBytes downloads and decrypts a file as its owner.
func (s *suite) ownerBytes(t *testing.T, id int64, f ownerFile) []byte {
	t.Helper()
	ct, err := s.c.Download(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	r, err := stream.NewDecryptReaderBytes(ct, f.header, f.key)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(r); err != nil {
		t.Fatalf("file %d: %v", id, err)
	}
	return b.Bytes()
}

// collect: an album whose link has enableCollect takes files from anyone
// with the link (Viewer.Upload: one PUT, or multipart from 20 MiB); its
// owner sees each with its name and bytes intact.
func (s *suite) collect(t *testing.T) {
	ctx := t.Context()
	ck := secret.GenerateKey()
	id := s.createCollection(t, "drop box", ck)
	link := s.publicLink(t, id, ck)
	v := s.viewer(t, link, share.Options{})
	if _, err := v.Upload(ctx, bytes.NewReader([]byte("x")), 1, share.Upload{Title: "refused.txt"}); !errors.Is(err, share.ErrCollectDisabled) {
		t.Fatalf("upload before enableCollect: %v", err)
	}
	if _, err := s.c.UpdateShareURL(ctx, id, map[string]any{"enableCollect": true}); err != nil {
		t.Fatal(err)
	}
	uploads := map[string][]byte{"note.txt": random(1), "photo.jpg": random(5<<20 + 7), "video.mov": random(21<<20 + 3)}
	ids := map[string]int64{}
	for name, data := range uploads {
		fid, err := v.Upload(ctx, bytes.NewReader(data), int64(len(data)), share.Upload{Title: name, Thumbnail: []byte("thumbnail of " + name)})
		if err != nil {
			t.Fatalf("%s (%d bytes): %v", name, len(data), err)
		}
		ids[name] = fid
	}
	owned := s.ownerFiles(t, id, ck)
	for name, fid := range ids {
		f, ok := owned[fid]
		if !ok || f.title != name {
			t.Errorf("%s: the owner sees %q (listed %t)", name, f.title, ok)
			continue
		}
		if got := s.ownerBytes(t, fid, f); !bytes.Equal(got, uploads[name]) {
			t.Errorf("%s: the owner's %d bytes differ from the %d uploaded", name, len(got), len(uploads[name]))
		}
	}
	if _, err := v.Sync(ctx); err != nil || len(v.Album().Files) != len(uploads) {
		t.Fatalf("the uploader's own view: %v, %d files", err, len(v.Album().Files))
	}
}

// fileLinks: single-file links to files of the album, with the file key
// in the fragment and with a derived secret; a password; a device limit.
// (The third kind, key bytes that open the entry's encryptedKey, cannot
// arise here: museum's /file-link/info sends no encryptedKey. Vectors and
// sharetest cover it.)
func (s *suite) fileLinks(t *testing.T) {
	ctx := t.Context()
	owned := s.ownerFiles(t, s.albumID, s.albumKey)
	var plainIDs []int64
	for id, p := range s.files {
		if len(p.data) > 1000 {
			plainIDs = append(plainIDs, id)
		}
	}
	if len(plainIDs) < 2 {
		t.Fatalf("%d files to link", len(plainIDs))
	}

	// The file key in the fragment, as Ente Photos links files.
	byKey := plainIDs[0]
	fu, err := s.c.ShareFile(ctx, byKey)
	if err != nil {
		t.Fatal(err)
	}
	kb := owned[byKey].key
	l, err := share.ParseFileURL(fu.URL + "#" + share.EncodeKey(kb))
	if err != nil {
		t.Fatalf("museum's file link %q: %v", fu.URL, err)
	}
	s.openFileLink(t, l, byKey, share.Options{})

	// A derived secret, as Ente Locker links files.
	bySecret := plainIDs[1]
	sec, err := share.NewFileLinkSecret(owned[bySecret].key)
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(sec)
	if err != nil {
		t.Fatal(err)
	}
	su, err := s.c.ShareFile(ctx, bySecret, body)
	if err != nil {
		t.Fatal(err)
	}
	ls, err := share.ParseFileURL(su.URL + "#" + sec.Fragment())
	if err != nil || !ls.HasSecret() {
		t.Fatalf("secret link: %v", err)
	}
	s.openFileLink(t, ls, bySecret, share.Options{})

	// A password, then a device limit of 2 on the first link: the viewer
	// above was one device, A is the second, B one too many.
	lp, err := share.NewLinkPassword([]byte("file sesame"))
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := lp.MarshalJSON()
	if err := s.c.UpdateFileURL(ctx, fu, map[string]any{"deviceLimit": 2}, pw); err != nil {
		t.Fatal(err)
	}
	v := s.fileViewer(t, l, share.Options{UserAgent: "e2ee-it/file-A"})
	if _, _, err := v.Open(ctx); !errors.Is(err, share.ErrPasswordRequired) {
		t.Fatalf("open without the password: %v", err)
	}
	if err := rateLimited(ctx, t, func() error { return v.Unlock(ctx, []byte("file sesame")) }); err != nil {
		t.Fatalf("the file link's password: %v", err)
	}
	s.checkFileViewer(t, v, byKey)
	other := s.fileViewer(t, l, share.Options{UserAgent: "e2ee-it/file-B"})
	if err := rateLimited(ctx, t, func() error { return other.Unlock(ctx, []byte("file sesame")) }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := other.Open(ctx); !errors.Is(err, share.ErrDeviceLimit) {
		t.Fatalf("a third device on a two-device file link: %v", err)
	}
	s.checkFileViewer(t, v, byKey) // the first keeps going with its device token
}

func (s *suite) fileViewer(t *testing.T, l *share.FileLink, opts share.Options) *share.FileViewer {
	t.Helper()
	opts.APIBase = s.api
	v, err := share.NewFileViewer(l, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(v.Close)
	return v
}

func (s *suite) openFileLink(t *testing.T, l *share.FileLink, id int64, opts share.Options) {
	t.Helper()
	s.checkFileViewer(t, s.fileViewer(t, l, opts), id)
}

// checkFileViewer opens the link and compares title, bytes and thumbnail.
func (s *suite) checkFileViewer(t *testing.T, v *share.FileViewer, id int64) {
	t.Helper()
	p := s.files[id]
	f, _, err := v.Open(t.Context())
	if err != nil || f.ID != id || f.Title != p.title || !bytes.Equal(f.Metadata, p.metadata) {
		t.Fatalf("file link to %d: %+v, %v", id, f, err)
	}
	var b, th bytes.Buffer
	if _, err := v.Download(t.Context(), &b); err != nil || !bytes.Equal(b.Bytes(), p.data) {
		t.Errorf("file link download: %d bytes, %v", b.Len(), err)
	}
	if _, err := v.DownloadThumbnail(t.Context(), &th); err != nil || !bytes.Equal(th.Bytes(), p.thumb) {
		t.Errorf("file link thumbnail: %v", err)
	}
}

// albumCLI: a person sent the link saves the album with "e2ee album
// download" (and --zip) and browses it with "e2ee album serve" in
// headless Chromium, where every thumbnail must decode.
func (s *suite) albumCLI(t *testing.T) {
	ctx := t.Context()
	bin := filepath.Join(t.TempDir(), "e2ee")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "../../cmd/e2ee").CombinedOutput(); err != nil {
		t.Fatalf("building e2ee: %v\n%s", err, out)
	}
	ck := secret.GenerateKey()
	id := s.createCollection(t, "gallery", ck)
	want := map[string][]byte{}
	for i := range 6 {
		name := fmt.Sprintf("photo-%d.jpg", i)
		_, p := s.addPlain(t, id, ck, plain{title: name, data: random(1000 + i*70000), thumb: gallerytest.PNG(i)})
		want[name] = p.data
	}
	raw, err := s.publicLink(t, id, ck).SecretURL()
	if err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) *exec.Cmd {
		cmd := exec.CommandContext(ctx, bin, append([]string{"album"}, append(args, "--api", s.api, "--cache", t.TempDir())...)...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "E2EE_ALBUM_LINK=" + raw}
		return cmd
	}
	dir := filepath.Join(t.TempDir(), "saved")
	if out, err := run("download", dir).CombinedOutput(); err != nil {
		t.Fatalf("album download: %v\n%s", err, out)
	}
	zipPath := filepath.Join(t.TempDir(), "album.zip")
	if out, err := run("download", "--zip", zipPath).CombinedOutput(); err != nil {
		t.Fatalf("album download --zip: %v\n%s", err, out)
	}
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	zipped := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		zipped[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	for name, data := range want {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !bytes.Equal(got, data) {
			t.Errorf("saved %s: %v", name, err)
		}
		if !bytes.Equal(zipped[name], data) {
			t.Errorf("zipped %s differs", name)
		}
	}

	serve := run("serve")
	out, err := serve.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { serve.Process.Kill(); serve.Wait() }()
	var url string
	for sc := bufio.NewScanner(out); url == "" && sc.Scan(); {
		if l := strings.TrimSpace(sc.Text()); strings.HasPrefix(l, "http://127.0.0.1:") {
			url = l
		}
	}
	if url == "" {
		t.Fatal("album serve printed no URL")
	}
	browser := gallerytest.Browser()
	if browser == "" {
		t.Log("NOTICE: headless browser check SKIPPED: no chromium")
		return
	}
	img := gallerytest.Screenshot(t, browser, url)
	for i := range 6 {
		if !gallerytest.Shows(img, gallerytest.Color(i)) {
			t.Errorf("thumbnail %d does not show in the gallery", i)
		}
	}
}
