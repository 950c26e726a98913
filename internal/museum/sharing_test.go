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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/internal/gallerytest"
	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/record"
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
		require.NoError(t, err)
		more = hasMore
		for _, raw := range diff {
			var e ownerEntry
			var u struct{ UpdationTime int64 }
			require.NoError(t, json.Unmarshal(raw, &e))
			require.NoError(t, json.Unmarshal(raw, &u))
			since = max(since, u.UpdationTime)
			if e.IsDeleted {
				delete(out, e.ID)
				continue
			}
			w, err := record.NewWrappedKey(e.EncryptedKey, e.KeyDecryptionNonce)
			require.NoError(t, err)
			fk, err := keys.OpenFileKey(w, ck)
			require.NoError(t, err, "file %d: the owner cannot open its key", e.ID)
			t.Cleanup(fk.Destroy)
			var mh, fh stream.Header
			ct, err := b64.Decode(e.Metadata.EncryptedData)
			if err == nil {
				err = errors.Join(mh.UnmarshalText([]byte(e.Metadata.DecryptionHeader)), fh.UnmarshalText([]byte(e.File.DecryptionHeader)))
			}
			require.NoError(t, err)
			md, err := stream.DecryptBlob(ct, mh, fk)
			require.NoError(t, err, "file %d: the owner cannot open its metadata", e.ID)
			var m struct{ Title string }
			require.NoError(t, json.Unmarshal(md, &m))
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
	require.NoError(t, err)
	r, err := stream.NewDecryptReaderBytes(ct, f.header, f.key)
	require.NoError(t, err)
	var b bytes.Buffer
	_, err = b.ReadFrom(r)
	require.NoError(t, err, "file %d", id)
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
	_, err := v.Upload(ctx, bytes.NewReader([]byte("x")), 1, share.Upload{Title: "refused.txt"})
	require.ErrorIs(t, err, share.ErrCollectDisabled, "upload before enableCollect")
	_, err = s.c.UpdateShareURL(ctx, id, map[string]any{"enableCollect": true})
	require.NoError(t, err)
	uploads := map[string][]byte{"note.txt": random(1), "photo.jpg": random(5<<20 + 7), "video.mov": random(21<<20 + 3)}
	ids := map[string]int64{}
	for name, data := range uploads {
		fid, err := v.Upload(ctx, bytes.NewReader(data), int64(len(data)), share.Upload{Title: name, Thumbnail: []byte("thumbnail of " + name)})
		require.NoError(t, err, "%s (%d bytes)", name, len(data))
		ids[name] = fid
	}
	owned := s.ownerFiles(t, id, ck)
	for name, fid := range ids {
		f, ok := owned[fid]
		if !assert.True(t, ok, "%s: the owner does not list it", name) || !assert.Equal(t, name, f.title, "%s: the owner's title", name) {
			continue
		}
		// Uploads reach 21 MiB: bytes.Equal, as a diff of them would flood the log.
		got := s.ownerBytes(t, fid, f)
		assert.True(t, bytes.Equal(uploads[name], got), "%s: the owner's %d bytes differ from the %d uploaded", name, len(got), len(uploads[name]))
	}
	_, err = v.Sync(ctx)
	require.NoError(t, err, "the uploader's own view")
	require.Len(t, v.Album().Files, len(uploads), "the uploader's own view")
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
	require.GreaterOrEqual(t, len(plainIDs), 2, "files to link")

	// The file key in the fragment, as Ente Photos links files.
	byKey := plainIDs[0]
	fu, err := s.c.ShareFile(ctx, byKey)
	require.NoError(t, err)
	kb := owned[byKey].key
	l, err := share.ParseFileURL(fu.URL + "#" + share.EncodeKey(kb))
	require.NoError(t, err, "museum's file link %q", fu.URL)
	s.openFileLink(t, l, byKey, share.Options{})

	// A derived secret, as Ente Locker links files.
	bySecret := plainIDs[1]
	sec, err := share.NewFileLinkSecret(owned[bySecret].key)
	require.NoError(t, err)
	body, err := json.Marshal(sec)
	require.NoError(t, err)
	su, err := s.c.ShareFile(ctx, bySecret, body)
	require.NoError(t, err)
	ls, err := share.ParseFileURL(su.URL + "#" + sec.Fragment())
	require.NoError(t, err, "secret link")
	require.True(t, ls.HasSecret(), "secret link: HasSecret false")
	s.openFileLink(t, ls, bySecret, share.Options{})

	// A password, then a device limit of 2 on the first link: the viewer
	// above was one device, A is the second, B one too many.
	lp, err := share.NewLinkPassword([]byte("file sesame"))
	require.NoError(t, err)
	pw, _ := lp.MarshalJSON()
	require.NoError(t, s.c.UpdateFileURL(ctx, fu, map[string]any{"deviceLimit": 2}, pw))
	v := s.fileViewer(t, l, share.Options{UserAgent: "e2ee-it/file-A"})
	_, _, err = v.Open(ctx)
	require.ErrorIs(t, err, share.ErrPasswordRequired, "open without the password")
	require.NoError(t, rateLimited(ctx, t, func() error { return v.Unlock(ctx, []byte("file sesame")) }), "the file link's password")
	s.checkFileViewer(t, v, byKey)
	other := s.fileViewer(t, l, share.Options{UserAgent: "e2ee-it/file-B"})
	require.NoError(t, rateLimited(ctx, t, func() error { return other.Unlock(ctx, []byte("file sesame")) }))
	_, _, err = other.Open(ctx)
	require.ErrorIs(t, err, share.ErrDeviceLimit, "a third device on a two-device file link")
	s.checkFileViewer(t, v, byKey) // the first keeps going with its device token
}

func (s *suite) fileViewer(t *testing.T, l *share.FileLink, opts share.Options) *share.FileViewer {
	t.Helper()
	opts.APIBase = s.api
	v, err := share.NewFileViewer(l, opts)
	require.NoError(t, err)
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
	require.NoError(t, err, "file link to %d", id)
	require.Equal(t, id, f.ID, "file link to %d", id)
	require.Equal(t, p.title, f.Title, "file link to %d", id)
	require.Equal(t, p.metadata, []byte(f.Metadata), "file link to %d", id)
	var b, th bytes.Buffer
	_, err = v.Download(t.Context(), &b)
	assert.NoError(t, err, "file link download")
	// Files reach 9 MiB: bytes.Equal, as a diff of them would flood the log.
	assert.True(t, bytes.Equal(p.data, b.Bytes()), "file link download: %d bytes differ from the %d uploaded", b.Len(), len(p.data))
	_, err = v.DownloadThumbnail(t.Context(), &th)
	assert.NoError(t, err, "file link thumbnail")
	assert.Equal(t, p.thumb, th.Bytes(), "file link thumbnail")
}

// albumCLI: a person sent the link saves the album with "e2ee album
// download" (and --zip) and browses it with "e2ee album serve" in
// headless Chromium, where every thumbnail must decode.
func (s *suite) albumCLI(t *testing.T) {
	ctx := t.Context()
	bin := filepath.Join(t.TempDir(), "e2ee")
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "../../cmd/e2ee").CombinedOutput()
	require.NoError(t, err, "building e2ee:\n%s", out)
	ck := secret.GenerateKey()
	id := s.createCollection(t, "gallery", ck)
	want := map[string][]byte{}
	for i := range 6 {
		name := fmt.Sprintf("photo-%d.jpg", i)
		_, p := s.addPlain(t, id, ck, plain{title: name, data: random(1000 + i*70000), thumb: gallerytest.PNG(i)})
		want[name] = p.data
	}
	raw, err := s.publicLink(t, id, ck).SecretURL()
	require.NoError(t, err)
	run := func(args ...string) *exec.Cmd {
		cmd := exec.CommandContext(ctx, bin, append([]string{"album"}, append(args, "--api", s.api, "--cache", t.TempDir())...)...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "E2EE_ALBUM_LINK=" + raw}
		return cmd
	}
	dir := filepath.Join(t.TempDir(), "saved")
	out, err = run("download", dir).CombinedOutput()
	require.NoError(t, err, "album download:\n%s", out)
	zipPath := filepath.Join(t.TempDir(), "album.zip")
	out, err = run("download", "--zip", zipPath).CombinedOutput()
	require.NoError(t, err, "album download --zip:\n%s", out)
	zr, err := zip.OpenReader(zipPath)
	require.NoError(t, err)
	defer zr.Close()
	zipped := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		zipped[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	// Photos of up to 351 kB: bytes.Equal, as a diff of them would flood the log.
	for name, data := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		assert.NoError(t, err, "saved %s", name)
		assert.True(t, bytes.Equal(data, got), "saved %s differs", name)
		assert.True(t, bytes.Equal(data, zipped[name]), "zipped %s differs", name)
	}

	serve := run("serve")
	stdout, err := serve.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, serve.Start())
	defer func() { serve.Process.Kill(); serve.Wait() }()
	var url string
	for sc := bufio.NewScanner(stdout); url == "" && sc.Scan(); {
		if l := strings.TrimSpace(sc.Text()); strings.HasPrefix(l, "http://127.0.0.1:") {
			url = l
		}
	}
	require.NotEmpty(t, url, "album serve printed no URL")
	browser := gallerytest.Browser()
	if browser == "" {
		t.Log("NOTICE: headless browser check SKIPPED: no chromium")
		return
	}
	img := gallerytest.Screenshot(t, browser, url)
	for i := range 6 {
		assert.True(t, gallerytest.Shows(img, gallerytest.Color(i)), "thumbnail %d does not show in the gallery", i)
	}
}
