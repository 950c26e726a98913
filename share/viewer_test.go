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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	require.NoError(t, err)
	f.link, err = share.ParseAlbumURL(raw)
	require.NoError(t, err)
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
	require.NoError(t, err)
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
	require.NoError(t, err)
	require.Equal(t, 3, res.Pages, "first sync: %+v", res)
	require.Equal(t, 7, res.Added, "first sync: %+v", res)
	require.Zero(t, res.Updated+res.Deleted, "first sync: %+v", res)
	require.Empty(t, res.Skipped, "first sync")
	a := v.Album()
	require.Equal(t, "Summer 2026", a.Name, "album")
	require.Len(t, a.Files, 7, "album %q", a.Name)
	require.Equal(t, "IMG_0000.jpg", a.Files[0].Title, "album %q: %v", a.Name, titles(a))
	require.Equal(t, "IMG_0006.jpg", a.Files[6].Title, "album %q: %v", a.Name, titles(a))
	var meta map[string]any
	err = json.Unmarshal(a.PublicMetadata, &meta)
	assert.NoError(t, err, "album public metadata %s", a.PublicMetadata)
	assert.Equal(t, false, meta["asc"], "album public metadata %s", a.PublicMetadata)
	err = json.Unmarshal(a.Metadata, &meta)
	assert.NoError(t, err, "album metadata %s", a.Metadata)
	assert.Equal(t, float64(0), meta["visibility"], "album metadata %s", a.Metadata)
	for _, file := range a.Files {
		var got bytes.Buffer
		n, err := v.DownloadFile(t.Context(), file.ID, &got)
		require.NoError(t, err, "file %d", file.ID)
		require.Equal(t, int64(got.Len()), n, "file %d", file.ID)
		require.Equal(t, f.data[file.ID], got.Bytes(), "file %d", file.ID)
		got.Reset()
		_, err = v.DownloadThumbnail(t.Context(), file.ID, &got)
		require.NoError(t, err, "thumbnail %d", file.ID)
		require.Equal(t, f.thumb[file.ID], got.Bytes(), "thumbnail %d", file.ID)
	}

	// Nothing changed: one page, no entries.
	before := f.srv.Log()
	res2, err := v.Sync(t.Context())
	require.NoError(t, err)
	after := f.srv.Log()
	require.Equal(t, 1, res2.Pages, "idle sync: %+v", res2)
	require.Zero(t, res2.Added+res2.Updated+res2.Deleted, "idle sync: %+v", res2)
	require.Equal(t, before.EntriesServed, after.EntriesServed, "idle sync: entries served")
	last := after.DiffSinceTimes[len(after.DiffSinceTimes)-1]
	assert.Equal(t, res.SinceTime, last, "second sync asked from sinceTime")
	assert.NotZero(t, last, "second sync asked from sinceTime 0")

	// Two added, one deleted, one changed (re-served): only those come back.
	gone := a.Files[2].ID
	f.srv.DeleteFile(gone)
	f.add("late-1.png", 10)
	f.add("late-2.png", 20)
	before = f.srv.Log()
	res3, err := v.Sync(t.Context())
	require.NoError(t, err)
	served := f.srv.Log().EntriesServed - before.EntriesServed
	require.Equal(t, 3, served, "incremental sync: %+v, entries served", res3)
	require.Equal(t, 2, res3.Added, "incremental sync: %+v", res3)
	require.Equal(t, 1, res3.Deleted, "incremental sync: %+v", res3)
	a = v.Album()
	assert.Len(t, a.Files, 8, "after delete")
	assert.NotContains(t, strings.Join(titles(a), ","), "IMG_0002", "after delete")
	_, err = v.DownloadFile(t.Context(), gone, &bytes.Buffer{})
	assert.ErrorIs(t, err, share.ErrNotFound, "download of deleted file")
}

// cachedAlbum syncs an album of n files into a fresh cache directory and
// closes the viewer.
func cachedAlbum(t *testing.T, n int) (*fixture, string) {
	t.Helper()
	f := newFixture(t, n)
	dir := t.TempDir()
	v := f.viewer(t, share.Options{CacheDir: dir})
	_, err := v.Sync(t.Context())
	require.NoError(t, err)
	v.Close()
	return f, dir
}

func TestViewerCache(t *testing.T) {
	f, dir := cachedAlbum(t, 5)

	// The cache holds ciphertext only: no name, title, metadata or key.
	files, _ := filepath.Glob(filepath.Join(dir, "album-*.json"))
	require.Len(t, files, 1, "cache files")
	b, err := os.ReadFile(files[0])
	require.NoError(t, err)
	for _, s := range []string{"Summer", "IMG_", "coverID", "visibility", "thumbnail of"} {
		assert.NotContains(t, string(b), s, "cache file contains %q", s)
	}
	assert.Empty(t, redacttest.Leak(string(b), f.link.Key.Bytes()), "cache file contains the album key")

	// A new viewer shows the album from the cache before any request.
	f.srv.SetStatus(http.StatusInternalServerError)
	v2 := f.viewer(t, share.Options{CacheDir: dir})
	a := v2.Album()
	require.Equal(t, "Summer 2026", a.Name, "cached album")
	require.Len(t, a.Files, 5, "cached album")
	_, err = v2.Sync(t.Context())
	require.ErrorIs(t, err, share.ErrHTTP, "sync against a failing server")
	f.srv.SetStatus(0)
	f.add("new.heic", 50)
	before := f.srv.Log()
	res, err := v2.Sync(t.Context())
	require.NoError(t, err)
	served := f.srv.Log().EntriesServed - before.EntriesServed
	assert.Equal(t, 1, served, "sync after reload: %+v, entries served", res)
	assert.Equal(t, 1, res.Added, "sync after reload: %+v", res)
	assert.Len(t, v2.Album().Files, 6, "sync after reload")

	// A viewer with the wrong key refuses the cache.
	wrong := *f.link
	wrong.Key = secret.GenerateKey()
	_, err = share.NewViewer(&wrong, share.Options{APIBase: f.ts.URL, CacheDir: dir})
	assert.ErrorIs(t, err, share.ErrKeyMismatch, "wrong key over the cache")
	// A damaged cache file is reported, not trusted.
	require.NoError(t, os.WriteFile(files[0], b[:len(b)/2], 0o600))
	_, err = share.NewViewer(f.link, share.Options{APIBase: f.ts.URL, CacheDir: dir})
	assert.ErrorIs(t, err, share.ErrCorruptCache, "truncated cache")
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
	require.ErrorIs(t, err, context.Canceled, "cancelled sync")
	require.Equal(t, 1, res.Pages, "cancelled sync: %+v", res)
	require.Equal(t, 2, res.Added, "cancelled sync: %+v", res)
	// A crash while writing the next state would leave a temporary file.
	files, _ := filepath.Glob(filepath.Join(dir, "album-*.json"))
	stray := filepath.Join(dir, "."+filepath.Base(files[0])+".tmp-123")
	require.NoError(t, os.WriteFile(stray, []byte(`{"version":1,"sinc`), 0o600))

	v2 := f.viewer(t, share.Options{CacheDir: dir})
	require.Len(t, v2.Album().Files, 2, "state after the crash, want the 2 of the first page")
	_, err = os.Stat(stray)
	assert.ErrorIs(t, err, os.ErrNotExist, "stray temporary file not removed")
	before := f.srv.Log()
	res, err = v2.Sync(t.Context())
	require.NoError(t, err)
	served := f.srv.Log().EntriesServed - before.EntriesServed
	assert.Equal(t, 4, served, "resumed sync: %+v, entries served, want the other 4", res)
	assert.Equal(t, 4, res.Added, "resumed sync: %+v, want the other 4", res)
	assert.Len(t, v2.Album().Files, 6, "resumed sync")
}

func cheapPassword(t *testing.T, pw string) []byte {
	t.Helper()
	p := share.PasswordParams{Salt: *pwhash.RandomSalt(), MemLimit: 8 << 20, OpsLimit: 1}
	h, err := share.LinkPassHash([]byte(pw), p)
	require.NoError(t, err)
	j, err := json.Marshal(share.LinkPassword{Hash: h, Params: p})
	require.NoError(t, err)
	return j
}

func TestViewerPassword(t *testing.T) {
	f := newFixture(t, 2)
	require.NoError(t, f.srv.SetPassword(cheapPassword(t, "open sesame")))
	v := f.viewer(t, share.Options{})
	_, err := v.Sync(t.Context())
	require.ErrorIs(t, err, share.ErrPasswordRequired, "sync before unlock")
	assert.True(t, v.PasswordProtected(), "PasswordProtected = false")
	err = v.Unlock(t.Context(), []byte("open sesame "))
	var he *share.HTTPError
	require.ErrorIs(t, err, share.ErrIncorrectPassword, "wrong password")
	require.ErrorAs(t, err, &he, "wrong password")
	require.Equal(t, 401, he.StatusCode, "wrong password: %v", err)
	require.NoError(t, v.Unlock(t.Context(), []byte("open sesame")))
	_, err = v.Sync(t.Context())
	require.NoError(t, err)
	a := v.Album()
	require.Len(t, a.Files, 2, "files")
	var got bytes.Buffer
	_, err = v.DownloadFile(t.Context(), a.Files[1].ID, &got)
	require.NoError(t, err, "download after unlock")
	require.Equal(t, f.data[a.Files[1].ID], got.Bytes(), "download after unlock")
	// The server drops the session (a new password): the next request says so.
	require.NoError(t, f.srv.SetPassword(cheapPassword(t, "new")))
	_, err = v.Sync(t.Context())
	assert.ErrorIs(t, err, share.ErrPasswordRequired, "sync after the password changed")
}

func TestViewerUndecryptableEntries(t *testing.T) {
	f := newFixture(t, 5)
	v := f.viewer(t, share.Options{})
	_, err := v.Sync(t.Context())
	require.NoError(t, err)
	ids := v.Album().Files
	badKey, badMeta := ids[1].ID, ids[3].ID
	f.srv.Tamper(badKey, sharetest.DamageKey)
	f.srv.Tamper(badMeta, sharetest.DamageMetadata)
	res, err := v.Sync(t.Context())
	require.ErrorIs(t, err, share.ErrUndecryptable, "sync over tampered entries")
	require.Len(t, res.Skipped, 2, "skipped")
	require.Equal(t, badKey, res.Skipped[0].FileID, "skipped %+v", res.Skipped)
	require.Equal(t, badMeta, res.Skipped[1].FileID, "skipped %+v", res.Skipped)
	for _, s := range res.Skipped {
		assert.ErrorIs(t, s.Err, share.ErrUndecryptable, "skipped entry error")
	}
	assert.Len(t, v.Album().Files, 3, "album files, want the 3 intact ones")
	assert.Len(t, v.Undecryptable(), 2, "Undecryptable")
	// Deleting a bad entry clears it; a clean sync reports nothing.
	f.srv.DeleteFile(badKey)
	f.srv.DeleteFile(badMeta)
	res, err = v.Sync(t.Context())
	assert.NoError(t, err, "after deleting the bad entries")
	assert.Equal(t, 2, res.Deleted, "after deleting the bad entries: %+v", res)
	assert.Empty(t, v.Undecryptable(), "after deleting the bad entries")
}

func TestViewerDamagedDownloads(t *testing.T) {
	f := newFixture(t, 0)
	big := f.add("big.mov", 2*stream.ChunkSize+100)
	cut := f.add("cut.mov", 100)
	v := f.viewer(t, share.Options{})
	_, err := v.Sync(t.Context())
	require.NoError(t, err)
	f.srv.Tamper(big, sharetest.DamageData)
	f.srv.Tamper(cut, sharetest.TruncateData)
	var got bytes.Buffer
	n, err := v.DownloadFile(t.Context(), big, &got)
	assert.ErrorIs(t, err, stream.ErrOpen, "flipped bit in chunk 2: %d bytes", n)
	const msg = "released %d bytes before the damaged chunk, want at most the first chunk, intact"
	assert.Equal(t, int64(got.Len()), n, msg, n)
	if assert.LessOrEqual(t, n, int64(stream.ChunkSize), msg, n) {
		// Up to 4 MiB: bytes.Equal, as a diff of them would flood the log.
		assert.True(t, bytes.Equal(f.data[big][:n], got.Bytes()), msg, n)
	}
	_, err = v.DownloadFile(t.Context(), cut, &bytes.Buffer{})
	assert.True(t, errors.Is(err, stream.ErrTruncated) || errors.Is(err, stream.ErrOpen), "truncated file: %v", err)
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
		assert.ErrorIs(t, err, tc.want, "status %d", tc.code)
		assert.ErrorIs(t, err, share.ErrHTTP, "status %d", tc.code)
		if assert.ErrorAs(t, err, &he, "status %d", tc.code) {
			assert.Equal(t, tc.code, he.StatusCode, "status %d: %v", tc.code, err)
			assert.Equal(t, "forced status", he.Message, "server message")
		}
	}
	f.srv.SetStatus(0)

	other := *f.link
	other.AccessToken = "WRONGTOKEN"
	vw, err := share.NewViewer(&other, share.Options{APIBase: f.ts.URL})
	require.NoError(t, err)
	_, err = vw.Sync(t.Context())
	assert.ErrorIs(t, err, share.ErrAccessDenied, "unknown token")
	wrong := *f.link
	wrong.Key = secret.GenerateKey()
	vk, err := share.NewViewer(&wrong, share.Options{APIBase: f.ts.URL})
	require.NoError(t, err)
	_, err = vk.Sync(t.Context())
	assert.ErrorIs(t, err, share.ErrKeyMismatch, "wrong key")
	// Nothing listens here.
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	vd := f.viewer(t, share.Options{APIBase: dead.URL})
	_, err = vd.Sync(t.Context())
	assert.ErrorIs(t, err, share.ErrHTTP, "connection refused")
	// Not an API server at all.
	junk := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html>") }))
	defer junk.Close()
	vj := f.viewer(t, share.Options{APIBase: junk.URL})
	_, err = vj.Sync(t.Context())
	assert.ErrorIs(t, err, share.ErrBadResponse, "HTML answer")
}

func TestViewerCancellation(t *testing.T) {
	f := newFixture(t, 0)
	id := f.add("long.mp4", 4*stream.ChunkSize+123)
	v := f.viewer(t, share.Options{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := v.Sync(ctx)
	require.ErrorIs(t, err, context.Canceled, "sync with a cancelled context")
	_, err = v.Sync(t.Context())
	require.NoError(t, err)
	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	w := &cancelAfterWrite{cancel: cancel}
	n, err := v.DownloadFile(ctx, id, w)
	assert.ErrorIs(t, err, context.Canceled, "cancelled download: %d bytes", n)
	assert.Less(t, n, int64(len(f.data[id])), "cancelled download: bytes written")
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
	_, err := v.Sync(t.Context())
	require.NoError(t, err)
	var got bytes.Buffer
	_, err = v.DownloadFile(t.Context(), id, &got)
	require.NoError(t, err, "redirected download")
	// 4 MiB: bytes.Equal, as a diff of them would flood the log.
	require.True(t, bytes.Equal(f.data[id], got.Bytes()), "redirected download: %d bytes differ from the %d served", got.Len(), len(f.data[id]))
	assert.False(t, f.srv.Log().StorageSawToken, "the access token followed the redirect to storage")
	require.GreaterOrEqual(t, len(reports), 2, "progress reports %v", reports)
	last := reports[len(reports)-1]
	assert.Equal(t, id, last.FileID, "last progress %+v", last)
	assert.False(t, last.Thumbnail, "last progress %+v", last)
	assert.Equal(t, int64(len(f.data[id])), last.Done, "last progress %+v", last)
	assert.Equal(t, last.Done, last.Total, "last progress %+v", last)
	for i := 1; i < len(reports); i++ {
		assert.Greater(t, reports[i].Done, reports[i-1].Done, "progress went from %d to %d", reports[i-1].Done, reports[i].Done)
	}
	// Control: a plain client does forward the header, so the check above
	// can fail.
	req, _ := http.NewRequest("GET", f.ts.URL+"/public-collection/files/download/"+fmt.Sprint(id), nil)
	req.Header.Set("X-Auth-Access-Token", f.srv.Token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.True(t, f.srv.Log().StorageSawToken, "control: the plain client's token did not reach storage; the test proves nothing")
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
	_, err := v.Sync(t.Context())
	require.NoError(t, err)
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	n, err := v.DownloadFile(t.Context(), large, discard{})
	runtime.ReadMemStats(&m1)
	require.NoError(t, err, "download")
	require.Equal(t, int64(9*stream.ChunkSize), n, "download")
	a := m1.TotalAlloc - m0.TotalAlloc
	t.Logf("allocated %.1f MiB to download 36 MiB", float64(a)/(1<<20))
	assert.Less(t, a, uint64(5*stream.ChunkSize), "allocated %d bytes for a %d-byte file: not streaming", a, n)
}

// discard hides io.Discard's ReaderFrom so the copy goes through Write.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func TestViewerConcurrentUse(t *testing.T) {
	f := newFixture(t, 4)
	v := f.viewer(t, share.Options{})
	_, err := v.Sync(t.Context())
	require.NoError(t, err)
	var wg sync.WaitGroup
	for _, file := range v.Album().Files {
		wg.Go(func() {
			var b bytes.Buffer
			_, err := v.DownloadFile(t.Context(), file.ID, &b)
			assert.NoError(t, err)
		})
	}
	wg.Go(func() {
		f.add("during.jpg", 10)
		_, err := v.Sync(t.Context())
		assert.NoError(t, err)
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
		_, err := v.Sync(t.Context())
		assert.ErrorIs(t, err, share.ErrBadResponse, "%s", name)
		ts.Close()
	}

	// Password params beyond PasswordLimits are refused before any work.
	j := []byte(`{"passHash":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","nonce":"AAAAAAAAAAAAAAAAAAAAAA==","memLimit":4294967296,"opsLimit":4}`)
	require.NoError(t, f.srv.SetPassword(j))
	v := f.viewer(t, share.Options{})
	assert.ErrorIs(t, v.Unlock(t.Context(), []byte("pw")), pwhash.ErrTooExpensive, "4 GiB link password")
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
		v, err := share.NewViewer(tc.link, tc.opts)
		assert.Error(t, err, "%s: NewViewer", name)
		assert.Nil(t, v, "%s: NewViewer", name)
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
	_, err := v.Sync(t.Context())
	require.NoError(t, err)
	_, err = v.DownloadFile(t.Context(), v.Album().Files[0].ID, &bytes.Buffer{})
	if assert.ErrorIs(t, err, share.ErrHTTP, "download from dead storage") {
		assert.NotContains(t, err.Error(), "SIGNATURE123", "download from dead storage")
		assert.Contains(t, err.Error(), "/bucket/obj", "download from dead storage")
	}
}
