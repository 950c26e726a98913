package share_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/e2eekit/e2ee/internal/redacttest"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/share"
	"github.com/e2eekit/e2ee/share/sharetest"
	"github.com/e2eekit/e2ee/stream"
)

type fixture struct {
	srv   *sharetest.Server
	ts    *httptest.Server
	link  *share.Link
	data  map[int64][]byte
	thumb map[int64][]byte
}

func newFixture(t *testing.T, files int) *fixture {
	t.Helper()
	f := &fixture{srv: sharetest.New("Summer 2026"), data: map[int64][]byte{}, thumb: map[int64][]byte{}}
	for i := range files {
		f.add(fmt.Sprintf("IMG_%04d.jpg", i), 1000+i*37)
	}
	f.ts = httptest.NewServer(f.srv)
	t.Cleanup(f.ts.Close)
	raw, err := share.AlbumURL(share.DefaultBase, f.srv.Token, f.srv.Key)
	if err != nil {
		t.Fatal(err)
	}
	if f.link, err = share.ParseAlbumURL(raw); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) add(title string, size int) int64 {
	data := bytes.Repeat([]byte(title), size/len(title)+1)[:size]
	thumb := []byte("thumbnail of " + title)
	id := f.srv.AddFile(title, data, thumb)
	f.data[id], f.thumb[id] = data, thumb
	return id
}

func (f *fixture) viewer(t *testing.T, opts share.Options) *share.Viewer {
	t.Helper()
	if opts.APIBase == "" {
		opts.APIBase = f.ts.URL
	}
	v, err := share.NewViewer(f.link, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(v.Close)
	return v
}

func titles(a share.Album) []string {
	var out []string
	for _, f := range a.Files {
		out = append(out, f.Title)
	}
	return out
}

func TestViewerSyncPagesAndDiffs(t *testing.T) {
	f := newFixture(t, 7)
	f.srv.PageSize = 3
	v := f.viewer(t, share.Options{})
	res, err := v.Sync(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages != 3 || res.Added != 7 || res.Updated+res.Deleted != 0 || len(res.Skipped) != 0 {
		t.Fatalf("first sync: %+v", res)
	}
	a := v.Album()
	if a.Name != "Summer 2026" || len(a.Files) != 7 || a.Files[0].Title != "IMG_0000.jpg" || a.Files[6].Title != "IMG_0006.jpg" {
		t.Fatalf("album %q: %v", a.Name, titles(a))
	}
	var meta map[string]any
	if err := json.Unmarshal(a.PublicMetadata, &meta); err != nil || meta["asc"] != false {
		t.Errorf("album public metadata %s: %v", a.PublicMetadata, err)
	}
	if err := json.Unmarshal(a.Metadata, &meta); err != nil || meta["visibility"] != float64(0) {
		t.Errorf("album metadata %s: %v", a.Metadata, err)
	}
	for _, file := range a.Files {
		var got bytes.Buffer
		if n, err := v.DownloadFile(t.Context(), file.ID, &got); err != nil || n != int64(got.Len()) || !bytes.Equal(got.Bytes(), f.data[file.ID]) {
			t.Fatalf("file %d: %d bytes, %v", file.ID, n, err)
		}
		got.Reset()
		if _, err := v.DownloadThumbnail(t.Context(), file.ID, &got); err != nil || !bytes.Equal(got.Bytes(), f.thumb[file.ID]) {
			t.Fatalf("thumbnail %d: %v", file.ID, err)
		}
	}

	// Nothing changed: one page, no entries.
	before := f.srv.Log()
	res2, err := v.Sync(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	after := f.srv.Log()
	if res2.Pages != 1 || res2.Added+res2.Updated+res2.Deleted != 0 || after.EntriesServed != before.EntriesServed {
		t.Fatalf("idle sync: %+v, %d entries served", res2, after.EntriesServed-before.EntriesServed)
	}
	if last := after.DiffSinceTimes[len(after.DiffSinceTimes)-1]; last != res.SinceTime || last == 0 {
		t.Errorf("second sync asked from sinceTime %d, want %d", last, res.SinceTime)
	}

	// Two added, one deleted, one changed (re-served): only those come back.
	gone := a.Files[2].ID
	f.srv.DeleteFile(gone)
	f.add("late-1.png", 10)
	f.add("late-2.png", 20)
	before = f.srv.Log()
	res3, err := v.Sync(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if served := f.srv.Log().EntriesServed - before.EntriesServed; served != 3 || res3.Added != 2 || res3.Deleted != 1 {
		t.Fatalf("incremental sync: %+v with %d entries served, want 2 added, 1 deleted, 3 served", res3, served)
	}
	a = v.Album()
	if len(a.Files) != 8 || strings.Contains(strings.Join(titles(a), ","), "IMG_0002") {
		t.Errorf("after delete: %v", titles(a))
	}
	if _, err := v.DownloadFile(t.Context(), gone, &bytes.Buffer{}); !errors.Is(err, share.ErrNotFound) {
		t.Errorf("download of deleted file: %v", err)
	}
}

// cachedAlbum syncs an album of n files into a fresh cache directory and
// closes the viewer.
func cachedAlbum(t *testing.T, n int) (*fixture, string) {
	t.Helper()
	f := newFixture(t, n)
	dir := t.TempDir()
	v := f.viewer(t, share.Options{CacheDir: dir})
	if _, err := v.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	v.Close()
	return f, dir
}

func TestViewerCache(t *testing.T) {
	f, dir := cachedAlbum(t, 5)

	// The cache holds ciphertext only: no name, title, metadata or key.
	files, _ := filepath.Glob(filepath.Join(dir, "album-*.json"))
	if len(files) != 1 {
		t.Fatalf("cache files %v", files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Summer", "IMG_", "coverID", "visibility", "thumbnail of"} {
		if bytes.Contains(b, []byte(s)) {
			t.Errorf("cache file contains %q", s)
		}
	}
	if l := redacttest.Leak(string(b), f.link.Key.Bytes()); l != "" {
		t.Errorf("cache file contains the album key (%s)", l)
	}

	// A new viewer shows the album from the cache before any request.
	f.srv.SetStatus(http.StatusInternalServerError)
	v2 := f.viewer(t, share.Options{CacheDir: dir})
	if a := v2.Album(); a.Name != "Summer 2026" || len(a.Files) != 5 {
		t.Fatalf("cached album %q %v", a.Name, titles(a))
	}
	if _, err := v2.Sync(t.Context()); !errors.Is(err, share.ErrHTTP) {
		t.Fatalf("sync against a failing server: %v", err)
	}
	f.srv.SetStatus(0)
	f.add("new.heic", 50)
	before := f.srv.Log()
	res, err := v2.Sync(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if served := f.srv.Log().EntriesServed - before.EntriesServed; served != 1 || res.Added != 1 || len(v2.Album().Files) != 6 {
		t.Errorf("sync after reload: %+v, %d served", res, served)
	}

	// A viewer with the wrong key refuses the cache.
	wrong := *f.link
	wrong.Key = secret.GenerateKey()
	if _, err := share.NewViewer(&wrong, share.Options{APIBase: f.ts.URL, CacheDir: dir}); !errors.Is(err, share.ErrKeyMismatch) {
		t.Errorf("wrong key over the cache: %v", err)
	}
	// A damaged cache file is reported, not trusted.
	if err := os.WriteFile(files[0], b[:len(b)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := share.NewViewer(f.link, share.Options{APIBase: f.ts.URL, CacheDir: dir}); !errors.Is(err, share.ErrCorruptCache) {
		t.Errorf("truncated cache: %v", err)
	}
}

// cancelOnDiff cancels a context when the nth diff request goes out.
type cancelOnDiff struct {
	n      int
	cancel context.CancelFunc
	mu     sync.Mutex
	seen   int
}

func (c *cancelOnDiff) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == "/public-collection/diff" {
		c.mu.Lock()
		c.seen++
		if c.seen == c.n {
			c.cancel()
		}
		c.mu.Unlock()
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestViewerCrashMidSync(t *testing.T) {
	f := newFixture(t, 6)
	f.srv.PageSize = 2
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	client := &http.Client{Transport: &cancelOnDiff{n: 2, cancel: cancel}}
	v := f.viewer(t, share.Options{CacheDir: dir, HTTPClient: client})
	res, err := v.Sync(ctx)
	if !errors.Is(err, context.Canceled) || res.Pages != 1 || res.Added != 2 {
		t.Fatalf("cancelled sync: %+v, %v", res, err)
	}
	// A crash while writing the next state would leave a temporary file.
	files, _ := filepath.Glob(filepath.Join(dir, "album-*.json"))
	stray := filepath.Join(dir, "."+filepath.Base(files[0])+".tmp-123")
	if err := os.WriteFile(stray, []byte(`{"version":1,"sinc`), 0o600); err != nil {
		t.Fatal(err)
	}

	v2 := f.viewer(t, share.Options{CacheDir: dir})
	if n := len(v2.Album().Files); n != 2 {
		t.Fatalf("state after the crash has %d files, want the 2 of the first page", n)
	}
	if _, err := os.Stat(stray); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stray temporary file not removed: %v", err)
	}
	before := f.srv.Log()
	res, err = v2.Sync(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if served := f.srv.Log().EntriesServed - before.EntriesServed; served != 4 || res.Added != 4 || len(v2.Album().Files) != 6 {
		t.Errorf("resumed sync: %+v, %d served, want the other 4", res, served)
	}
}

func cheapPassword(t *testing.T, pw string) []byte {
	t.Helper()
	p := share.PasswordParams{Salt: *pwhash.RandomSalt(), MemLimit: 8 << 20, OpsLimit: 1}
	h, err := share.LinkPassHash([]byte(pw), p)
	if err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(share.LinkPassword{Hash: h, Params: p})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func TestViewerPassword(t *testing.T) {
	f := newFixture(t, 2)
	if err := f.srv.SetPassword(cheapPassword(t, "open sesame")); err != nil {
		t.Fatal(err)
	}
	v := f.viewer(t, share.Options{})
	if _, err := v.Sync(t.Context()); !errors.Is(err, share.ErrPasswordRequired) {
		t.Fatalf("sync before unlock: %v", err)
	}
	if !v.PasswordProtected() {
		t.Error("PasswordProtected = false")
	}
	err := v.Unlock(t.Context(), []byte("open sesame "))
	var he *share.HTTPError
	if !errors.Is(err, share.ErrIncorrectPassword) || !errors.As(err, &he) || he.StatusCode != 401 {
		t.Fatalf("wrong password: %v", err)
	}
	if err := v.Unlock(t.Context(), []byte("open sesame")); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	a := v.Album()
	if len(a.Files) != 2 {
		t.Fatalf("files %v", titles(a))
	}
	var got bytes.Buffer
	if _, err := v.DownloadFile(t.Context(), a.Files[1].ID, &got); err != nil || !bytes.Equal(got.Bytes(), f.data[a.Files[1].ID]) {
		t.Fatalf("download after unlock: %v", err)
	}
	// The server drops the session (a new password): the next request says so.
	if err := f.srv.SetPassword(cheapPassword(t, "new")); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Sync(t.Context()); !errors.Is(err, share.ErrPasswordRequired) {
		t.Errorf("sync after the password changed: %v", err)
	}
}

func TestViewerUndecryptableEntries(t *testing.T) {
	f := newFixture(t, 5)
	v := f.viewer(t, share.Options{})
	if _, err := v.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	ids := v.Album().Files
	badKey, badMeta := ids[1].ID, ids[3].ID
	f.srv.Tamper(badKey, sharetest.DamageKey)
	f.srv.Tamper(badMeta, sharetest.DamageMetadata)
	res, err := v.Sync(t.Context())
	if !errors.Is(err, share.ErrUndecryptable) {
		t.Fatalf("sync over tampered entries: %v", err)
	}
	if len(res.Skipped) != 2 || res.Skipped[0].FileID != badKey || res.Skipped[1].FileID != badMeta {
		t.Fatalf("skipped %+v", res.Skipped)
	}
	for _, s := range res.Skipped {
		if !errors.Is(s.Err, share.ErrUndecryptable) {
			t.Errorf("skipped entry error %v", s.Err)
		}
	}
	if n := len(v.Album().Files); n != 3 {
		t.Errorf("album keeps %d files, want the 3 intact ones", n)
	}
	if u := v.Undecryptable(); len(u) != 2 {
		t.Errorf("Undecryptable = %v", u)
	}
	// Deleting a bad entry clears it; a clean sync reports nothing.
	f.srv.DeleteFile(badKey)
	f.srv.DeleteFile(badMeta)
	res, err = v.Sync(t.Context())
	if err != nil || res.Deleted != 2 || len(v.Undecryptable()) != 0 {
		t.Errorf("after deleting the bad entries: %+v, %v, %v", res, err, v.Undecryptable())
	}
}

func TestViewerDamagedDownloads(t *testing.T) {
	f := newFixture(t, 0)
	big := f.add("big.mov", 2*stream.ChunkSize+100)
	cut := f.add("cut.mov", 100)
	v := f.viewer(t, share.Options{})
	if _, err := v.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.srv.Tamper(big, sharetest.DamageData)
	f.srv.Tamper(cut, sharetest.TruncateData)
	var got bytes.Buffer
	n, err := v.DownloadFile(t.Context(), big, &got)
	if !errors.Is(err, stream.ErrOpen) {
		t.Errorf("flipped bit in chunk 2: %d bytes, %v", n, err)
	}
	if n != int64(got.Len()) || n > stream.ChunkSize || !bytes.Equal(got.Bytes(), f.data[big][:n]) {
		t.Errorf("released %d bytes before the damaged chunk, want at most the first chunk, intact", n)
	}
	if _, err := v.DownloadFile(t.Context(), cut, &bytes.Buffer{}); !errors.Is(err, stream.ErrTruncated) && !errors.Is(err, stream.ErrOpen) {
		t.Errorf("truncated file: %v", err)
	}
}

func TestViewerHTTPErrors(t *testing.T) {
	f := newFixture(t, 1)
	v := f.viewer(t, share.Options{})
	for _, tc := range []struct {
		code int
		want error
	}{
		{401, share.ErrAccessDenied},
		{410, share.ErrLinkExpired},
		{500, share.ErrHTTP},
		{429, share.ErrHTTP},
	} {
		f.srv.SetStatus(tc.code)
		_, err := v.Sync(t.Context())
		var he *share.HTTPError
		if !errors.Is(err, tc.want) || !errors.Is(err, share.ErrHTTP) || !errors.As(err, &he) || he.StatusCode != tc.code {
			t.Errorf("status %d: %v", tc.code, err)
		}
		if he != nil && he.Message != "forced status" {
			t.Errorf("server message %q", he.Message)
		}
	}
	f.srv.SetStatus(0)

	other := *f.link
	other.AccessToken = "WRONGTOKEN"
	vw, err := share.NewViewer(&other, share.Options{APIBase: f.ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := vw.Sync(t.Context()); !errors.Is(err, share.ErrAccessDenied) {
		t.Errorf("unknown token: %v", err)
	}
	wrong := *f.link
	wrong.Key = secret.GenerateKey()
	vk, err := share.NewViewer(&wrong, share.Options{APIBase: f.ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := vk.Sync(t.Context()); !errors.Is(err, share.ErrKeyMismatch) {
		t.Errorf("wrong key: %v", err)
	}
	// Nothing listens here.
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	vd := f.viewer(t, share.Options{APIBase: dead.URL})
	if _, err := vd.Sync(t.Context()); !errors.Is(err, share.ErrHTTP) {
		t.Errorf("connection refused: %v", err)
	}
	// Not an API server at all.
	junk := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html>") }))
	defer junk.Close()
	vj := f.viewer(t, share.Options{APIBase: junk.URL})
	if _, err := vj.Sync(t.Context()); !errors.Is(err, share.ErrBadResponse) {
		t.Errorf("HTML answer: %v", err)
	}
}

func TestViewerCancellation(t *testing.T) {
	f := newFixture(t, 0)
	id := f.add("long.mp4", 4*stream.ChunkSize+123)
	v := f.viewer(t, share.Options{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := v.Sync(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("sync with a cancelled context: %v", err)
	}
	if _, err := v.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	w := &cancelAfterWrite{cancel: cancel}
	n, err := v.DownloadFile(ctx, id, w)
	if !errors.Is(err, context.Canceled) || n >= int64(len(f.data[id])) {
		t.Errorf("cancelled download: %d bytes, %v", n, err)
	}
}

type cancelAfterWrite struct {
	cancel context.CancelFunc
	n      int
}

func (w *cancelAfterWrite) Write(p []byte) (int, error) {
	w.n += len(p)
	w.cancel()
	return len(p), nil
}

func TestViewerDownloadRedirectAndProgress(t *testing.T) {
	f := newFixture(t, 0)
	id := f.add("clip.mov", stream.ChunkSize+5000)
	// Storage on another host name for the same server: a redirect target
	// that is not the API host.
	f.srv.StorageURL = strings.Replace(f.ts.URL, "127.0.0.1", "localhost", 1)
	var reports []share.Progress
	v := f.viewer(t, share.Options{Progress: func(p share.Progress) { reports = append(reports, p) }})
	if _, err := v.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if _, err := v.DownloadFile(t.Context(), id, &got); err != nil || !bytes.Equal(got.Bytes(), f.data[id]) {
		t.Fatalf("redirected download: %v", err)
	}
	if f.srv.Log().StorageSawToken {
		t.Error("the access token followed the redirect to storage")
	}
	if len(reports) < 2 {
		t.Fatalf("progress reports %v", reports)
	}
	last := reports[len(reports)-1]
	if last.FileID != id || last.Thumbnail || last.Done != int64(len(f.data[id])) || last.Total != last.Done {
		t.Errorf("last progress %+v", last)
	}
	for i := 1; i < len(reports); i++ {
		if reports[i].Done <= reports[i-1].Done {
			t.Errorf("progress went from %d to %d", reports[i-1].Done, reports[i].Done)
		}
	}
	// Control: a plain client does forward the header, so the check above
	// can fail.
	req, _ := http.NewRequest("GET", f.ts.URL+"/public-collection/files/download/"+fmt.Sprint(id), nil)
	req.Header.Set("X-Auth-Access-Token", f.srv.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !f.srv.Log().StorageSawToken {
		t.Error("control: the plain client's token did not reach storage; the test proves nothing")
	}
}

// Downloads allocate a bounded number of chunk buffers (the decryptor's
// ring: parallelism + 2), whatever the file size. With GOMAXPROCS pinned
// to 2 that is at most 4 chunks (16 MiB), and a 36 MiB file must cost less
// than 5. (Comparing two file sizes directly is at the mercy of sync.Pool,
// which a GC may empty at any point.)
func TestViewerDownloadConstantMemory(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under -race (sync.Pool drops items)")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	f := newFixture(t, 0)
	large := f.add("large.mov", 9*stream.ChunkSize)
	v := f.viewer(t, share.Options{})
	if _, err := v.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	n, err := v.DownloadFile(t.Context(), large, discard{})
	runtime.ReadMemStats(&m1)
	if err != nil || n != 9*stream.ChunkSize {
		t.Fatalf("download: %d bytes, %v", n, err)
	}
	a := m1.TotalAlloc - m0.TotalAlloc
	t.Logf("allocated %.1f MiB to download 36 MiB", float64(a)/(1<<20))
	if a >= 5*stream.ChunkSize {
		t.Errorf("allocated %d bytes for a %d-byte file: not streaming", a, n)
	}
}

// discard hides io.Discard's ReaderFrom so the copy goes through Write.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func TestViewerConcurrentUse(t *testing.T) {
	f := newFixture(t, 4)
	v := f.viewer(t, share.Options{})
	if _, err := v.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, file := range v.Album().Files {
		wg.Go(func() {
			var b bytes.Buffer
			if _, err := v.DownloadFile(t.Context(), file.ID, &b); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Go(func() {
		f.add("during.jpg", 10)
		if _, err := v.Sync(t.Context()); err != nil {
			t.Error(err)
		}
	})
	wg.Wait()
}

// hostile serves the album but lets a test replace the diff response.
func hostile(f *fixture, diff string) *httptest.Server {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/public-collection/diff" {
			fmt.Fprint(w, diff)
			return
		}
		f.srv.ServeHTTP(w, r)
	}))
	return ts
}

func TestViewerHostileServer(t *testing.T) {
	f := newFixture(t, 1)
	for name, diff := range map[string]string{
		"hasMore without progress": `{"diff":[],"hasMore":true}`,
		"stuck sinceTime":          `{"diff":[{"id":5,"collectionID":1,"isDeleted":true,"updationTime":0}],"hasMore":true}`,
		"entry not an object":      `{"diff":[42],"hasMore":false}`,
		"not JSON":                 `{"diff":[`,
		"wrong types":              `{"diff":"all of it","hasMore":false}`,
	} {
		ts := hostile(f, diff)
		v := f.viewer(t, share.Options{APIBase: ts.URL})
		if _, err := v.Sync(t.Context()); !errors.Is(err, share.ErrBadResponse) {
			t.Errorf("%s: %v, want ErrBadResponse", name, err)
		}
		ts.Close()
	}

	// Password params beyond PasswordLimits are refused before any work.
	j := []byte(`{"passHash":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","nonce":"AAAAAAAAAAAAAAAAAAAAAA==","memLimit":4294967296,"opsLimit":4}`)
	if err := f.srv.SetPassword(j); err != nil {
		t.Fatal(err)
	}
	v := f.viewer(t, share.Options{})
	if err := v.Unlock(t.Context(), []byte("pw")); !errors.Is(err, pwhash.ErrTooExpensive) {
		t.Errorf("4 GiB link password: %v", err)
	}
}

func TestViewerOptions(t *testing.T) {
	f := newFixture(t, 0)
	for name, tc := range map[string]struct {
		link *share.Link
		opts share.Options
	}{
		"nil link":    {nil, share.Options{}},
		"no key":      {&share.Link{AccessToken: "ABC"}, share.Options{}},
		"bad token":   {&share.Link{AccessToken: "A B", Key: f.link.Key}, share.Options{}},
		"ftp API":     {f.link, share.Options{APIBase: "ftp://x"}},
		"API not URL": {f.link, share.Options{APIBase: "http://[::1"}},
	} {
		if v, err := share.NewViewer(tc.link, tc.opts); err == nil || v != nil {
			t.Errorf("%s: NewViewer = %v, %v", name, v, err)
		}
	}
}

func TestViewerTransportErrorHidesSignedURL(t *testing.T) {
	f := newFixture(t, 1)
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/public-collection/files/") {
			http.Redirect(w, r, dead.URL+"/bucket/obj?X-Amz-Signature=SIGNATURE123", http.StatusTemporaryRedirect)
			return
		}
		f.srv.ServeHTTP(w, r)
	}))
	defer ts.Close()
	v := f.viewer(t, share.Options{APIBase: ts.URL})
	if _, err := v.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	_, err := v.DownloadFile(t.Context(), v.Album().Files[0].ID, &bytes.Buffer{})
	if !errors.Is(err, share.ErrHTTP) || strings.Contains(err.Error(), "SIGNATURE123") || !strings.Contains(err.Error(), "/bucket/obj") {
		t.Errorf("download from dead storage: %v", err)
	}
}
