//go:build linux

package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/gallerytest"
	"github.com/e2eekit/e2ee/share"
	"github.com/e2eekit/e2ee/share/sharetest"
)

// albumFixture is a public album on a sharetest server, and its link in a
// file (the link is never an argument).
type albumFixture struct {
	srv      *sharetest.Server
	ts       *httptest.Server
	linkFile string
	data     map[string][]byte // by the name the album shows
	ids      map[string]int64
}

func newAlbumFixture(t *testing.T, n int) *albumFixture {
	t.Helper()
	f := &albumFixture{srv: sharetest.New("Trip ✈ 2026"), data: map[string][]byte{}, ids: map[string]int64{}}
	for i := range n {
		title := fmt.Sprintf("IMG_%04d.jpg", i)
		switch i {
		case 1, 2:
			title = "same name.jpg" // a collision
		case 3:
			title = "../../etc/passwd" // not a path
		case 4:
			title = "" // no name at all
		}
		f.add(t, title, 100+i*997, thumbPNG(i))
	}
	f.ts = httptest.NewServer(f.srv)
	t.Cleanup(f.ts.Close)
	raw, err := share.AlbumURL(share.DefaultBase, f.srv.Token, f.srv.Key)
	require.NoError(t, err)
	f.linkFile = filepath.Join(t.TempDir(), "link.txt")
	require.NoError(t, os.WriteFile(f.linkFile, []byte(raw+"\n"), 0o600))
	return f
}

func (f *albumFixture) add(t *testing.T, title string, size int, thumb []byte) int64 {
	data := bytes.Repeat([]byte(title+"|"), size/(len(title)+1)+1)[:size]
	id := f.srv.AddFile(title, data, thumb)
	key := fmt.Sprintf("%d", id)
	f.data[key], f.ids[key] = data, id
	return id
}

// thumbPNG is a solid-colour PNG, so that a screenshot shows whether each
// thumbnail decoded.
func thumbPNG(i int) []byte { return gallerytest.PNG(i) }

func (f *albumFixture) args(cache string, more ...string) []string {
	return append([]string{"album", more[0], "--link-file", f.linkFile, "--api", f.ts.URL, "--cache", cache}, more[1:]...)
}

// readDir maps every saved file's contents by name.
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		if e.Name() == manifestName {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		out[e.Name()] = b
	}
	return out
}

func TestAlbumDownload(t *testing.T) {
	f := newAlbumFixture(t, 100)
	cache, dir := t.TempDir(), filepath.Join(t.TempDir(), "album")
	r := ok(t, runOpts{}, f.args(cache, "download", dir)...)
	assert.Contains(t, r.stderr, "100 saved, 0 already there, 0 failed", "summary")
	got := readDir(t, dir)
	require.Len(t, got, 100, "files saved")
	// Every byte right, every name unique and safe.
	want := map[string]bool{}
	for _, d := range f.data {
		want[string(d)] = true
	}
	for name, b := range got {
		assert.True(t, want[string(b)], "%s: bytes of no file of the album", name)
		delete(want, string(b))
		assert.False(t, strings.ContainsAny(name, "/\\") || strings.HasPrefix(name, "."), "unsafe name %q", name)
	}
	assert.Empty(t, want, "%d files missing", len(want))
	for _, name := range []string{"same name.jpg", "same name (2).jpg", "_.._etc_passwd"} {
		assert.Contains(t, got, name, "no %q among the names", name)
	}
	// The modification time comes from the metadata (sharetest sets it a
	// second before the upload's clock, in µs since the epoch).
	fi, err := os.Stat(filepath.Join(dir, "IMG_0000.jpg"))
	require.NoError(t, err)
	assert.WithinRange(t, fi.ModTime(), time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), "modification time")

	// A second run downloads nothing.
	before := f.srv.Log().Downloads
	r = ok(t, runOpts{}, f.args(cache, "download", dir)...)
	assert.Equal(t, 0, f.srv.Log().Downloads-before, "second run: downloads")
	assert.Contains(t, r.stderr, "0 saved, 100 already there", "second run")

	// A new file, a tampered one, a file the user deleted and one the user
	// edited: the new and the deleted are fetched, the edited one is left
	// and saved again beside it, the tampered one is named in the failure.
	newID := f.add(t, "new.jpg", 5000, thumbPNG(1))
	f.srv.Tamper(f.ids[fmt.Sprint(newID-50)], sharetest.DamageData)
	os.Remove(filepath.Join(dir, "IMG_0010.jpg"))
	os.WriteFile(filepath.Join(dir, "IMG_0011.jpg"), []byte("my edit"), 0o644)
	r = e2ee(t, runOpts{}, f.args(cache, "download", dir)...)
	assert.Equal(t, 1, r.code, "third run:\n%s", r.stderr)
	assert.Contains(t, r.stderr, "1 of 4 files failed", "third run")
	assert.Contains(t, r.stderr, fmt.Sprintf("(file %d)", f.ids[fmt.Sprint(newID-50)]), "third run")
	got = readDir(t, dir)
	assert.Equal(t, "my edit", string(got["IMG_0011.jpg"]), "after the third run: edit kept")
	assert.NotNil(t, got["new.jpg"], "after the third run: new")
	assert.NotNil(t, got["IMG_0010.jpg"], "after the third run: deleted back")
	assert.NotNil(t, got["IMG_0011 (2).jpg"], "after the third run: edited saved again")
	for name := range got {
		assert.NotContains(t, name, ".part-", "left behind")
	}
}

func TestAlbumZip(t *testing.T) {
	f := newAlbumFixture(t, 12)
	bigID := f.add(t, "big.mov", 40<<20, thumbPNG(3)) // 40 MiB: more than the process may hold
	cache := t.TempDir()
	zipPath := filepath.Join(t.TempDir(), "album.zip")
	cmd := f.args(cache, "download", "--zip", zipPath)
	r, rusage := runMeasured(t, cmd...)
	require.Equal(t, 0, r.code, "zip:\n%s", r.stderr)
	zr, err := zip.OpenReader(zipPath)
	require.NoError(t, err)
	defer zr.Close()
	want := map[string]bool{}
	for _, d := range f.data {
		want[string(d)] = true
	}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		rc.Close()
		assert.NoError(t, err, zf.Name)
		assert.True(t, want[string(b)], "%s: %d bytes of no file of the album", zf.Name, len(b))
		delete(want, string(b))
	}
	assert.Empty(t, want, "%d files missing from the zip", len(want))
	// Bounded memory: the 40 MiB file never sits whole in the process.
	assert.LessOrEqual(t, rusage, int64(40<<20), "peak RSS %d MiB", rusage>>20)
	t.Logf("zip of a 40 MiB album: peak RSS %d MiB", rusage>>20)

	// A tampered file: no zip is left, and the file is named.
	f.srv.Tamper(bigID, sharetest.DamageData)
	os.Remove(zipPath)
	r = e2ee(t, runOpts{}, cmd...)
	assert.Equal(t, 1, r.code, "tampered file in a zip:\n%s", r.stderr)
	assert.Contains(t, r.stderr, fmt.Sprintf("(file %d)", bigID), "tampered file in a zip")
	_, err = os.Stat(zipPath)
	assert.ErrorIs(t, err, os.ErrNotExist, "a failed zip was left at %s", zipPath)
}

// TestAlbumLinkNeverAnArgument: a link given where the directory goes is
// refused without being echoed or used as a name.
func TestAlbumLinkNeverAnArgument(t *testing.T) {
	f := newAlbumFixture(t, 1)
	raw, _ := os.ReadFile(f.linkFile)
	link := strings.TrimSpace(string(raw))
	dir := t.TempDir()
	r := e2ee(t, runOpts{dir: dir}, "album", "download", "--api", f.ts.URL, link)
	assert.Equal(t, 2, r.code, "link as DIR: %s", r.stderr)
	// The fragment is the key: not given to testify's NotContains.
	assert.False(t, strings.Contains(r.stderr, link[strings.Index(link, "#"):]), "link as DIR: %s", r.stderr)
	entries, _ := os.ReadDir(dir)
	assert.Empty(t, entries, "something was created")
	// From the environment and from standard input it works.
	out := filepath.Join(t.TempDir(), "a")
	ok(t, runOpts{env: []string{"E2EE_ALBUM_LINK=" + link}}, "album", "download", "--api", f.ts.URL, "--cache", t.TempDir(), out)
	ok(t, runOpts{stdin: strings.NewReader(link + "\n")}, "album", "download", "--api", f.ts.URL, "--cache", t.TempDir(), out+"2")
	assert.Len(t, readDir(t, out), 1, "download with the link from the environment")
	assert.Len(t, readDir(t, out+"2"), 1, "download with the link from standard input")
}

func TestAlbumPasswordLink(t *testing.T) {
	f := newAlbumFixture(t, 3)
	p := share.PasswordParams{MemLimit: 8 << 20, OpsLimit: 1}
	copy(p.Salt[:], "0123456789abcdef")
	h, err := share.LinkPassHash([]byte("swordfish"), p)
	require.NoError(t, err)
	j, err := share.LinkPassword{Hash: h, Params: p}.MarshalJSON()
	require.NoError(t, err)
	require.NoError(t, f.srv.SetPassword(j))
	pw := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pw, []byte("swordfish\n"), 0o600)
	dir := filepath.Join(t.TempDir(), "a")
	ok(t, runOpts{}, f.args(t.TempDir(), "download", "--password-file", pw, dir)...)
	assert.Len(t, readDir(t, dir), 3, "password-protected album not saved")
	os.WriteFile(pw, []byte("trout\n"), 0o600)
	fails(t, 1, "incorrect link password", runOpts{}, f.args(t.TempDir(), "download", "--password-file", pw, dir+"2")...)
	// Without a terminal and without --password-file it says how to give one.
	fails(t, 1, "--password-file", runOpts{}, f.args(t.TempDir(), "download", dir+"3")...)
}
