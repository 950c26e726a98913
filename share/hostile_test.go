package share_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/share"
)

// The hostile-server suite: a server that pages forever, sends junk,
// stalls or sends huge bodies must get a bounded error, with memory and
// cache bounded too.

// junkPage is one diff page of n entries that do not decrypt, with
// updationTimes after since, and hasMore set.
func junkPage(collectionID, since int64, n int, hasMore bool) []byte {
	var b bytes.Buffer
	b.WriteString(`{"diff":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		id := since + int64(i) + 1
		fmt.Fprintf(&b, `{"id":%d,"collectionID":%d,"encryptedKey":"%s","keyDecryptionNonce":"%s",`+
			`"file":{"decryptionHeader":""},"thumbnail":{"decryptionHeader":""},"metadata":{"encryptedData":"","decryptionHeader":""},`+
			`"updationTime":%d}`, id, collectionID, strings.Repeat("A", 64), strings.Repeat("A", 32), id)
	}
	fmt.Fprintf(&b, `],"hasMore":%t}`, hasMore)
	return b.Bytes()
}

// endless serves the album's info and a diff that never ends: every page
// has perPage junk entries and advances sinceTime.
func endless(t *testing.T, f *fixture, perPage int) (*httptest.Server, *atomic.Int64) {
	var pages atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/public-collection/diff" {
			f.srv.ServeHTTP(w, r)
			return
		}
		pages.Add(1)
		var since int64
		fmt.Sscan(r.URL.Query().Get("sinceTime"), &since)
		w.Write(junkPage(f.albumID(t), since, perPage, true))
	}))
	t.Cleanup(ts.Close)
	return ts, &pages
}

// albumID reads the collection ID from the server's info.
func (f *fixture) albumID(t *testing.T) int64 {
	req, _ := http.NewRequest(http.MethodGet, f.ts.URL+"/public-collection/info", nil)
	req.Header.Set("X-Auth-Access-Token", f.srv.Token)
	resp, err := http.DefaultClient.Do(req)
	if !assert.NoError(t, err) { // on the server's goroutine: no require
		return 0
	}
	defer resp.Body.Close()
	var info struct{ Collection struct{ ID int64 } }
	json.NewDecoder(resp.Body).Decode(&info)
	return info.Collection.ID
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func TestHostileEndlessPaging(t *testing.T) {
	f := newFixture(t, 1)
	ts, pages := endless(t, f, 2000)
	dir := t.TempDir()
	before := liveHeap()
	v := f.viewer(t, share.Options{APIBase: ts.URL, CacheDir: dir, MaxFiles: 20_000})
	res, err := v.Sync(t.Context())
	require.ErrorIs(t, err, share.ErrServerMisbehaving, "endless paging")
	// 2×MaxFiles entries at most: 20 pages of 2,000, then the error.
	assert.Equal(t, int64(21), pages.Load(), "pages served")
	assert.Equal(t, 40_000, res.SkippedCount, "entries skipped")
	assert.Len(t, v.Undecryptable(), share.DefaultMaxSkipped, "undecryptable entries kept")
	assert.Len(t, res.Skipped, share.DefaultMaxSkipped, "undecryptable entries in the result")
	// Live heap with the Viewer still in use: the 40,000 junk entries
	// (about 14 MiB of JSON) are not kept.
	grown := int64(liveHeap()) - int64(before)
	assert.LessOrEqual(t, grown, int64(8<<20), "live heap grew by %d MiB", grown>>20)
	files, _ := filepath.Glob(filepath.Join(dir, "album-*.json"))
	st, err := os.Stat(files[0])
	require.NoError(t, err)
	// 1,000 kept entries of ~370 bytes, plus at most a snapshot's worth of
	// journal.
	assert.LessOrEqual(t, st.Size(), int64(2<<20), "cache file size")
	runtime.KeepAlive(v)
	t.Logf("20 pages: heap +%d KiB, cache %d KiB", grown>>10, st.Size()>>10)
}

func TestHostileTinyPagesForever(t *testing.T) {
	f := newFixture(t, 1)
	ts, pages := endless(t, f, 1)
	v := f.viewer(t, share.Options{APIBase: ts.URL, MaxPages: 50})
	_, err := v.Sync(t.Context())
	require.ErrorIs(t, err, share.ErrServerMisbehaving, "one-entry pages forever")
	require.Equal(t, int64(50), pages.Load(), "one-entry pages forever: pages served")
}

func TestHostileTooManyFiles(t *testing.T) {
	f := newFixture(t, 12)
	f.srv.PageSize = 5
	v := f.viewer(t, share.Options{MaxFiles: 10})
	res, err := v.Sync(t.Context())
	require.ErrorIs(t, err, share.ErrServerMisbehaving, "12 files over a bound of 10")
	// The pages before the one that would cross the bound stay.
	assert.Len(t, v.Album().Files, 10, "album files, want the first 10")
	assert.Equal(t, 10, res.Added, "files added, want the first 10")
}

// stalling serves the album, but stalls where the test says.
func stalling(t *testing.T, f *fixture, stall func(w http.ResponseWriter, r *http.Request) bool) *httptest.Server {
	release := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if stall(w, r) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		f.srv.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { close(release); ts.Close() })
	return ts
}

func TestHostileStalls(t *testing.T) {
	f := newFixture(t, 1)
	short := share.Options{HeaderTimeout: 200 * time.Millisecond, StallTimeout: 200 * time.Millisecond}

	t.Run("no headers", func(t *testing.T) {
		ts := stalling(t, f, func(w http.ResponseWriter, r *http.Request) bool { return r.URL.Path == "/public-collection/diff" })
		o := short
		o.APIBase = ts.URL
		_, err := f.viewer(t, o).Sync(t.Context())
		assert.ErrorIs(t, err, share.ErrStalled, "diff without headers")
		assert.ErrorIs(t, err, share.ErrHTTP, "diff without headers")
	})
	t.Run("body stops mid-way", func(t *testing.T) {
		ts := stalling(t, f, func(w http.ResponseWriter, r *http.Request) bool {
			if r.URL.Path != "/public-collection/diff" {
				return false
			}
			w.Write([]byte(`{"diff":[`))
			w.(http.Flusher).Flush()
			return true
		})
		o := short
		o.APIBase = ts.URL
		_, err := f.viewer(t, o).Sync(t.Context())
		assert.ErrorIs(t, err, share.ErrStalled, "diff body stalled")
	})
	t.Run("download stops mid-way", func(t *testing.T) {
		f := newFixture(t, 0)
		id := f.add("big.mov", 3<<20)
		ts := stalling(t, f, func(w http.ResponseWriter, r *http.Request) bool {
			if !strings.HasPrefix(r.URL.Path, "/public-collection/files/download/") {
				return false
			}
			var rec httptest.ResponseRecorder
			rec.Body = new(bytes.Buffer)
			f.srv.ServeHTTP(&rec, r)
			w.Write(rec.Body.Bytes()[:1<<20])
			w.(http.Flusher).Flush()
			return true
		})
		o := short
		o.APIBase = ts.URL
		v := f.viewer(t, o)
		_, err := v.Sync(t.Context())
		require.NoError(t, err)
		n, err := v.DownloadFile(t.Context(), id, io.Discard)
		assert.ErrorIs(t, err, share.ErrStalled, "download stalled")
		assert.Zero(t, n, "download stalled: bytes released")
	})
	t.Run("slow but flowing download", func(t *testing.T) {
		f := newFixture(t, 0)
		id := f.add("slow.mov", 64<<10)
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasPrefix(r.URL.Path, "/public-collection/files/download/") {
				f.srv.ServeHTTP(w, r)
				return
			}
			var rec httptest.ResponseRecorder
			rec.Body = new(bytes.Buffer)
			f.srv.ServeHTTP(&rec, r)
			// 25 pieces, 60 ms apart: 1.5 s in all, longer than the 1 s
			// stall timeout, each gap far under it.
			b := rec.Body.Bytes()
			for i := range 25 {
				w.Write(b[i*len(b)/25 : (i+1)*len(b)/25])
				w.(http.Flusher).Flush()
				time.Sleep(60 * time.Millisecond)
			}
		}))
		defer ts.Close()
		o := share.Options{APIBase: ts.URL, StallTimeout: time.Second}
		v := f.viewer(t, o)
		_, err := v.Sync(t.Context())
		require.NoError(t, err)
		var out bytes.Buffer
		_, err = v.DownloadFile(t.Context(), id, &out)
		assert.NoError(t, err, "slow download")
		assert.Equal(t, f.data[id], out.Bytes(), "slow download")
	})
}

// TestHostileStallNeverBlocksReaders: while Sync waits on a server that
// sends nothing, the read-only methods and Close answer, and Close ends
// the Sync.
func TestHostileStallNeverBlocksReaders(t *testing.T) {
	f := newFixture(t, 2)
	v0 := f.viewer(t, share.Options{})
	_, err := v0.Sync(t.Context())
	require.NoError(t, err)
	dir := t.TempDir()
	entered := make(chan struct{}, 1)
	ts := stalling(t, f, func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path == "/public-collection/diff" {
			entered <- struct{}{}
			return true
		}
		return false
	})
	v := f.viewer(t, share.Options{APIBase: ts.URL, CacheDir: dir, HeaderTimeout: -1, StallTimeout: -1})
	done := make(chan error, 1)
	go func() { _, err := v.Sync(t.Context()); done <- err }()
	<-entered

	answered := make(chan struct{})
	go func() {
		v.Album()
		v.Undecryptable()
		v.PasswordProtected()
		_ = fmt.Sprint(v)
		v.Close()
		close(answered)
	}()
	select {
	case <-answered:
	case <-time.After(10 * time.Second):
		require.Fail(t, "Album, Undecryptable, PasswordProtected or Close waited on the stalled server")
	}
	select {
	case err := <-done:
		assert.ErrorIs(t, err, share.ErrClosed, "Sync after Close")
	case <-time.After(10 * time.Second):
		require.Fail(t, "Close did not end the stalled Sync")
	}
	_, err = v.Sync(t.Context())
	assert.ErrorIs(t, err, share.ErrClosed, "Sync on a closed Viewer")
}

func TestHostileHugeBody(t *testing.T) {
	f := newFixture(t, 1)
	var sent atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/public-collection/diff" {
			f.srv.ServeHTTP(w, r)
			return
		}
		// An endless JSON string: whitespace never ends a value.
		w.Write([]byte(`{"diff":[],"pad":"`))
		chunk := bytes.Repeat([]byte("x"), 1<<20)
		for r.Context().Err() == nil {
			n, err := w.Write(chunk)
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	defer ts.Close()
	v := f.viewer(t, share.Options{APIBase: ts.URL})
	_, err := v.Sync(t.Context())
	require.ErrorIs(t, err, share.ErrBadResponse, "endless body")
	t.Logf("server wrote %d MiB before the viewer hung up", sent.Load()>>20)
}

func TestLegacyTaggedMetadataAndThumbnail(t *testing.T) {
	f := newFixture(t, 0)
	f.srv.LegacyTags = true
	id := f.add("old.jpg", 5000)
	v := f.viewer(t, share.Options{})
	res, err := v.Sync(t.Context())
	require.NoError(t, err)
	require.Equal(t, 1, res.LegacyTags, "legacy-tagged metadata: %+v", res)
	require.Equal(t, 1, res.Added, "legacy-tagged metadata: %+v", res)
	require.Len(t, v.Album().Files, 1, "legacy-tagged metadata")
	require.Equal(t, "old.jpg", v.Album().Files[0].Title, "legacy-tagged metadata")
	var thumb bytes.Buffer
	_, err = v.DownloadThumbnail(t.Context(), id, &thumb)
	assert.NoError(t, err, "legacy-tagged thumbnail")
	assert.Equal(t, f.thumb[id], thumb.Bytes(), "legacy-tagged thumbnail")
}

func TestCacheHoldsNoToken(t *testing.T) {
	f := newFixture(t, 3)
	dir := t.TempDir()
	v := f.viewer(t, share.Options{CacheDir: dir})
	_, err := v.Sync(t.Context())
	require.NoError(t, err)
	files, _ := filepath.Glob(filepath.Join(dir, "album-*.json"))
	b, err := os.ReadFile(files[0])
	require.NoError(t, err)
	assert.NotContains(t, string(b), f.srv.Token, "the cache holds the access token")
	assert.Contains(t, string(b), `"enableDownload":true`, "the link's other fields were dropped too")
}

// TestCacheVersion1 reads a cache written by the first release (one JSON
// object holding the token in publicURLs) and rewrites it without.
func TestCacheVersion1(t *testing.T) {
	f, dir := cachedAlbum(t, 3)
	files, _ := filepath.Glob(filepath.Join(dir, "album-*.json"))
	b, err := os.ReadFile(files[0])
	require.NoError(t, err)
	// Make it what version 1 wrote: one object, the url still in.
	var snap map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(bytes.TrimSpace(b), &snap))
	var coll map[string]any
	json.Unmarshal(snap["collection"], &coll)
	coll["publicURLs"].([]any)[0].(map[string]any)["url"] = "https://albums.ente.com/?t=" + f.srv.Token
	snap["collection"], _ = json.Marshal(coll)
	snap["version"] = json.RawMessage("1")
	v1, _ := json.Marshal(snap)
	require.NoError(t, os.WriteFile(files[0], v1, 0o600))

	f.srv.SetStatus(http.StatusInternalServerError)
	v2 := f.viewer(t, share.Options{CacheDir: dir})
	require.Len(t, v2.Album().Files, 3, "album from a version 1 cache")
	b, _ = os.ReadFile(files[0])
	assert.NotContains(t, string(b), f.srv.Token, "version 1 cache not rewritten without the token")
	assert.True(t, bytes.HasPrefix(b, []byte(`{"version":2`)), "version 1 cache not rewritten: %.200s", b)
}

// TestCacheIsAJournal: a page appends its changes rather than rewriting
// the album, and a torn last line (a crash mid-append) is ignored.
func TestCacheIsAJournal(t *testing.T) {
	f := newFixture(t, 40)
	f.srv.PageSize = 10
	dir := t.TempDir()
	v := f.viewer(t, share.Options{CacheDir: dir})
	_, err := v.Sync(t.Context())
	require.NoError(t, err)
	files, _ := filepath.Glob(filepath.Join(dir, "album-*.json"))
	b, _ := os.ReadFile(files[0])
	lines := bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n"))
	// a snapshot with the first page, then a line per page
	require.Len(t, lines, 4, "cache lines, want a snapshot and 3 page records")
	// A crash in the middle of appending the next page.
	f.add("late.jpg", 10)
	torn := append(b, `{"sinceTime":99999999999999999,"put":[{"id":`...)
	require.NoError(t, os.WriteFile(files[0], torn, 0o600))
	v2 := f.viewer(t, share.Options{CacheDir: dir})
	require.Len(t, v2.Album().Files, 40, "album after a torn append")
	res, err := v2.Sync(t.Context())
	require.NoError(t, err, "sync after a torn append")
	require.Equal(t, 1, res.Added, "sync after a torn append: %+v", res)
	v3 := f.viewer(t, share.Options{CacheDir: dir})
	assert.Len(t, v3.Album().Files, 41, "album after appending past a torn line")
}

// TestDuplicateNamesRefused: a server that names a member twice (a second
// memLimit, a second encryptedKey) gets ErrBadResponse, not last-wins.
func TestDuplicateNamesRefused(t *testing.T) {
	f := newFixture(t, 1)
	for name, diff := range map[string]string{
		"entry":       `{"diff":[{"id":5,"id":6,"collectionID":1,"isDeleted":true,"updationTime":9}],"hasMore":false}`,
		"hasMore":     `{"diff":[],"hasMore":true,"hasMore":false}`,
		"case-folded": `{"diff":[],"hasMore":false,"HasMore":true}`,
		"BOM":         "\ufeff" + `{"diff":[],"hasMore":false}`,
	} {
		ts := hostile(f, diff)
		_, err := f.viewer(t, share.Options{APIBase: ts.URL}).Sync(t.Context())
		assert.ErrorIs(t, err, share.ErrBadResponse, "%s", name)
		ts.Close()
	}
	var p share.PasswordParams
	err := json.Unmarshal([]byte(`{"nonce":"AAAAAAAAAAAAAAAAAAAAAA==","memLimit":8192,"opsLimit":1,"memLimit":4294967296}`), &p)
	assert.ErrorIs(t, err, share.ErrBadResponse, "PasswordParams with memLimit twice")
}
