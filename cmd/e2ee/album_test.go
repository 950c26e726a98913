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
	if err != nil {
		t.Fatal(err)
	}
	f.linkFile = filepath.Join(t.TempDir(), "link.txt")
	if err := os.WriteFile(f.linkFile, []byte(raw+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
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
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == manifestName {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func TestAlbumDownload(t *testing.T) {
	f := newAlbumFixture(t, 100)
	cache, dir := t.TempDir(), filepath.Join(t.TempDir(), "album")
	r := ok(t, runOpts{}, f.args(cache, "download", dir)...)
	if !strings.Contains(r.stderr, "100 saved, 0 already there, 0 failed") {
		t.Errorf("summary: %s", r.stderr)
	}
	got := readDir(t, dir)
	if len(got) != 100 {
		t.Fatalf("%d files saved, want 100", len(got))
	}
	// Every byte right, every name unique and safe.
	want := map[string]bool{}
	for _, d := range f.data {
		want[string(d)] = true
	}
	for name, b := range got {
		if !want[string(b)] {
			t.Errorf("%s: bytes of no file of the album", name)
		}
		delete(want, string(b))
		if strings.ContainsAny(name, "/\\") || strings.HasPrefix(name, ".") {
			t.Errorf("unsafe name %q", name)
		}
	}
	if len(want) != 0 {
		t.Errorf("%d files missing", len(want))
	}
	for _, name := range []string{"same name.jpg", "same name (2).jpg", "_.._etc_passwd"} {
		if _, ok := got[name]; !ok {
			t.Errorf("no %q among the names", name)
		}
	}
	// The modification time comes from the metadata (sharetest sets it a
	// second before the upload's clock, in µs since the epoch).
	fi, err := os.Stat(filepath.Join(dir, "IMG_0000.jpg"))
	if err != nil || fi.ModTime().Before(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)) || fi.ModTime().After(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("modification time %v, %v", fi.ModTime(), err)
	}

	// A second run downloads nothing.
	before := f.srv.Log().Downloads
	r = ok(t, runOpts{}, f.args(cache, "download", dir)...)
	if n := f.srv.Log().Downloads - before; n != 0 || !strings.Contains(r.stderr, "0 saved, 100 already there") {
		t.Errorf("second run: %d downloads: %s", n, r.stderr)
	}

	// A new file, a tampered one, a file the user deleted and one the user
	// edited: the new and the deleted are fetched, the edited one is left
	// and saved again beside it, the tampered one is named in the failure.
	newID := f.add(t, "new.jpg", 5000, thumbPNG(1))
	f.srv.Tamper(f.ids[fmt.Sprint(newID-50)], sharetest.DamageData)
	os.Remove(filepath.Join(dir, "IMG_0010.jpg"))
	os.WriteFile(filepath.Join(dir, "IMG_0011.jpg"), []byte("my edit"), 0o644)
	r = e2ee(t, runOpts{}, f.args(cache, "download", dir)...)
	if r.code != 1 || !strings.Contains(r.stderr, "1 of 4 files failed") || !strings.Contains(r.stderr, fmt.Sprintf("(file %d)", f.ids[fmt.Sprint(newID-50)])) {
		t.Errorf("third run: exit %d:\n%s", r.code, r.stderr)
	}
	got = readDir(t, dir)
	if string(got["IMG_0011.jpg"]) != "my edit" || got["new.jpg"] == nil || got["IMG_0010.jpg"] == nil || got["IMG_0011 (2).jpg"] == nil {
		t.Errorf("after the third run: edit kept %t, new %t, deleted back %t, edited saved again %t",
			string(got["IMG_0011.jpg"]) == "my edit", got["new.jpg"] != nil, got["IMG_0010.jpg"] != nil, got["IMG_0011 (2).jpg"] != nil)
	}
	for name := range got {
		if strings.Contains(name, ".part-") {
			t.Errorf("left behind: %s", name)
		}
	}
}

func TestAlbumZip(t *testing.T) {
	f := newAlbumFixture(t, 12)
	bigID := f.add(t, "big.mov", 40<<20, thumbPNG(3)) // 40 MiB: more than the process may hold
	cache := t.TempDir()
	zipPath := filepath.Join(t.TempDir(), "album.zip")
	cmd := f.args(cache, "download", "--zip", zipPath)
	r, rusage := runMeasured(t, cmd...)
	if r.code != 0 {
		t.Fatalf("zip: exit %d\n%s", r.code, r.stderr)
	}
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	want := map[string]bool{}
	for _, d := range f.data {
		want[string(d)] = true
	}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !want[string(b)] {
			t.Errorf("%s: %d bytes of no file of the album (%v)", zf.Name, len(b), err)
		}
		delete(want, string(b))
	}
	if len(want) != 0 {
		t.Errorf("%d files missing from the zip", len(want))
	}
	// Bounded memory: the 40 MiB file never sits whole in the process.
	if rusage > 40<<20 {
		t.Errorf("peak RSS %d MiB", rusage>>20)
	}
	t.Logf("zip of a 40 MiB album: peak RSS %d MiB", rusage>>20)

	// A tampered file: no zip is left, and the file is named.
	f.srv.Tamper(bigID, sharetest.DamageData)
	os.Remove(zipPath)
	r = e2ee(t, runOpts{}, cmd...)
	if r.code != 1 || !strings.Contains(r.stderr, fmt.Sprintf("(file %d)", bigID)) {
		t.Errorf("tampered file in a zip: exit %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(zipPath); !os.IsNotExist(err) {
		t.Errorf("a failed zip was left at %s: %v", zipPath, err)
	}
}

// TestAlbumLinkNeverAnArgument: a link given where the directory goes is
// refused without being echoed or used as a name.
func TestAlbumLinkNeverAnArgument(t *testing.T) {
	f := newAlbumFixture(t, 1)
	raw, _ := os.ReadFile(f.linkFile)
	link := strings.TrimSpace(string(raw))
	dir := t.TempDir()
	r := e2ee(t, runOpts{dir: dir}, "album", "download", "--api", f.ts.URL, link)
	if r.code != 2 || strings.Contains(r.stderr, link[strings.Index(link, "#"):]) {
		t.Errorf("link as DIR: exit %d: %s", r.code, r.stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("something was created: %v", entries)
	}
	// From the environment and from standard input it works.
	out := filepath.Join(t.TempDir(), "a")
	ok(t, runOpts{env: []string{"E2EE_ALBUM_LINK=" + link}}, "album", "download", "--api", f.ts.URL, "--cache", t.TempDir(), out)
	ok(t, runOpts{stdin: strings.NewReader(link + "\n")}, "album", "download", "--api", f.ts.URL, "--cache", t.TempDir(), out+"2")
	if len(readDir(t, out)) != 1 || len(readDir(t, out+"2")) != 1 {
		t.Error("download with the link from the environment or standard input")
	}
}

func TestAlbumPasswordLink(t *testing.T) {
	f := newAlbumFixture(t, 3)
	p := share.PasswordParams{MemLimit: 8 << 20, OpsLimit: 1}
	copy(p.Salt[:], "0123456789abcdef")
	h, err := share.LinkPassHash([]byte("swordfish"), p)
	if err != nil {
		t.Fatal(err)
	}
	j, err := share.LinkPassword{Hash: h, Params: p}.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if err := f.srv.SetPassword(j); err != nil {
		t.Fatal(err)
	}
	pw := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pw, []byte("swordfish\n"), 0o600)
	dir := filepath.Join(t.TempDir(), "a")
	ok(t, runOpts{}, f.args(t.TempDir(), "download", "--password-file", pw, dir)...)
	if len(readDir(t, dir)) != 3 {
		t.Error("password-protected album not saved")
	}
	os.WriteFile(pw, []byte("trout\n"), 0o600)
	fails(t, 1, "incorrect link password", runOpts{}, f.args(t.TempDir(), "download", "--password-file", pw, dir+"2")...)
	// Without a terminal and without --password-file it says how to give one.
	fails(t, 1, "--password-file", runOpts{}, f.args(t.TempDir(), "download", dir+"3")...)
}
