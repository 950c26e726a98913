package share_test

import (
	"bytes"
	"encoding/json"
	"errors"
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
	if err != nil {
		t.Error(err)
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
	if !errors.Is(err, share.ErrServerMisbehaving) {
		t.Fatalf("endless paging: %v", err)
	}
	// 2×MaxFiles entries at most: 20 pages of 2,000, then the error.
	if got := pages.Load(); got != 21 || res.SkippedCount != 40_000 {
		t.Errorf("served %d pages, %d skipped; want 21 and 40000", got, res.SkippedCount)
	}
	if n := len(v.Undecryptable()); n != share.DefaultMaxSkipped || len(res.Skipped) != share.DefaultMaxSkipped {
		t.Errorf("kept %d undecryptable entries (%d in the result), want the bound %d", n, len(res.Skipped), share.DefaultMaxSkipped)
	}
	// Live heap with the Viewer still in use: the 40,000 junk entries
	// (about 14 MiB of JSON) are not kept.
	grown := int64(liveHeap()) - int64(before)
	if grown > 8<<20 {
		t.Errorf("live heap grew by %d MiB", grown>>20)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "album-*.json"))
	st, err := os.Stat(files[0])
	if err != nil {
		t.Fatal(err)
	}
	// 1,000 kept entries of ~370 bytes, plus at most a snapshot's worth of
	// journal.
	if st.Size() > 2<<20 {
		t.Errorf("cache file is %d bytes", st.Size())
	}
	runtime.KeepAlive(v)
	t.Logf("20 pages: heap +%d KiB, cache %d KiB", grown>>10, st.Size()>>10)
}

func TestHostileTinyPagesForever(t *testing.T) {
	f := newFixture(t, 1)
	ts, pages := endless(t, f, 1)
	v := f.viewer(t, share.Options{APIBase: ts.URL, MaxPages: 50})
	if _, err := v.Sync(t.Context()); !errors.Is(err, share.ErrServerMisbehaving) || pages.Load() != 50 {
		t.Fatalf("one-entry pages forever: %v after %d pages", err, pages.Load())
	}
}

func TestHostileTooManyFiles(t *testing.T) {
	f := newFixture(t, 12)
	f.srv.PageSize = 5
	v := f.viewer(t, share.Options{MaxFiles: 10})
	res, err := v.Sync(t.Context())
	if !errors.Is(err, share.ErrServerMisbehaving) {
		t.Fatalf("12 files over a bound of 10: %v", err)
	}
	// The pages before the one that would cross the bound stay.
	if n := len(v.Album().Files); n != 10 || res.Added != 10 {
		t.Errorf("album holds %d files (%d added), want the first 10", n, res.Added)
	}
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
		if _, err := f.viewer(t, o).Sync(t.Context()); !errors.Is(err, share.ErrStalled) || !errors.Is(err, share.ErrHTTP) {
			t.Errorf("diff without headers: %v", err)
		}
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
		if _, err := f.viewer(t, o).Sync(t.Context()); !errors.Is(err, share.ErrStalled) {
			t.Errorf("diff body stalled: %v", err)
		}
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
		if _, err := v.Sync(t.Context()); err != nil {
			t.Fatal(err)
		}
		n, err := v.DownloadFile(t.Context(), id, io.Discard)
		if !errors.Is(err, share.ErrStalled) || n != 0 {
			t.Errorf("download stalled: %d bytes, %v", n, err)
		}
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
		if _, err := v.Sync(t.Context()); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if _, err := v.DownloadFile(t.Context(), id, &out); err != nil || !bytes.Equal(out.Bytes(), f.data[id]) {
			t.Errorf("slow download: %v", err)
		}
	})
}

// TestHostileStallNeverBlocksReaders: while Sync waits on a server that
// sends nothing, the read-only methods and Close answer, and Close ends
// the Sync.
func TestHostileStallNeverBlocksReaders(t *testing.T) {
	f := newFixture(t, 2)
	v0 := f.viewer(t, share.Options{})
	if _, err := v0.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
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
		t.Fatal("Album, Undecryptable, PasswordProtected or Close waited on the stalled server")
	}
	select {
	case err := <-done:
		if !errors.Is(err, share.ErrClosed) {
			t.Errorf("Sync after Close: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not end the stalled Sync")
	}
	if _, err := v.Sync(t.Context()); !errors.Is(err, share.ErrClosed) {
		t.Errorf("Sync on a closed Viewer: %v", err)
	}
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
	if _, err := v.Sync(t.Context()); !errors.Is(err, share.ErrBadResponse) {
		t.Fatalf("endless body: %v", err)
	}
	t.Logf("server wrote %d MiB before the viewer hung up", sent.Load()>>20)
}

func TestLegacyTaggedMetadataAndThumbnail(t *testing.T) {
	f := newFixture(t, 0)
	f.srv.LegacyTags = true
	id := f.add("old.jpg", 5000)
	v := f.viewer(t, share.Options{})
	res, err := v.Sync(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res.LegacyTags != 1 || res.Added != 1 || len(v.Album().Files) != 1 || v.Album().Files[0].Title != "old.jpg" {
		t.Fatalf("legacy-tagged metadata: %+v, %v", res, titles(v.Album()))
	}
	var thumb bytes.Buffer
	if _, err := v.DownloadThumbnail(t.Context(), id, &thumb); err != nil || !bytes.Equal(thumb.Bytes(), f.thumb[id]) {
		t.Errorf("legacy-tagged thumbnail: %v", err)
	}
}

func TestCacheHoldsNoToken(t *testing.T) {
	f := newFixture(t, 3)
	dir := t.TempDir()
	v := f.viewer(t, share.Options{CacheDir: dir})
	if _, err := v.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "album-*.json"))
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte(f.srv.Token)) {
		t.Errorf("the cache holds the access token: %s", b)
	}
	if !bytes.Contains(b, []byte(`"enableDownload":true`)) {
		t.Errorf("the link's other fields were dropped too: %s", b)
	}
}

// TestCacheVersion1 reads a cache written by the first release (one JSON
// object holding the token in publicURLs) and rewrites it without.
func TestCacheVersion1(t *testing.T) {
	f := newFixture(t, 3)
	dir := t.TempDir()
	v := f.viewer(t, share.Options{CacheDir: dir})
	if _, err := v.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	v.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "album-*.json"))
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	// Make it what version 1 wrote: one object, the url still in.
	var snap map[string]json.RawMessage
	if err := json.Unmarshal(bytes.TrimSpace(b), &snap); err != nil {
		t.Fatal(err)
	}
	var coll map[string]any
	json.Unmarshal(snap["collection"], &coll)
	coll["publicURLs"].([]any)[0].(map[string]any)["url"] = "https://albums.ente.com/?t=" + f.srv.Token
	snap["collection"], _ = json.Marshal(coll)
	snap["version"] = json.RawMessage("1")
	v1, _ := json.Marshal(snap)
	if err := os.WriteFile(files[0], v1, 0o600); err != nil {
		t.Fatal(err)
	}

	f.srv.SetStatus(http.StatusInternalServerError)
	v2 := f.viewer(t, share.Options{CacheDir: dir})
	if n := len(v2.Album().Files); n != 3 {
		t.Fatalf("album from a version 1 cache has %d files", n)
	}
	b, _ = os.ReadFile(files[0])
	if bytes.Contains(b, []byte(f.srv.Token)) || !bytes.HasPrefix(b, []byte(`{"version":2`)) {
		t.Errorf("version 1 cache not rewritten without the token: %.200s", b)
	}
}

// TestCacheIsAJournal: a page appends its changes rather than rewriting
// the album, and a torn last line (a crash mid-append) is ignored.
func TestCacheIsAJournal(t *testing.T) {
	f := newFixture(t, 40)
	f.srv.PageSize = 10
	dir := t.TempDir()
	v := f.viewer(t, share.Options{CacheDir: dir})
	if _, err := v.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "album-*.json"))
	b, _ := os.ReadFile(files[0])
	lines := bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n"))
	if len(lines) != 4 { // a snapshot with the first page, then a line per page
		t.Fatalf("cache has %d lines, want a snapshot and 3 page records", len(lines))
	}
	// A crash in the middle of appending the next page.
	f.add("late.jpg", 10)
	torn := append(b, `{"sinceTime":99999999999999999,"put":[{"id":`...)
	if err := os.WriteFile(files[0], torn, 0o600); err != nil {
		t.Fatal(err)
	}
	v2 := f.viewer(t, share.Options{CacheDir: dir})
	if n := len(v2.Album().Files); n != 40 {
		t.Fatalf("album after a torn append has %d files", n)
	}
	res, err := v2.Sync(t.Context())
	if err != nil || res.Added != 1 {
		t.Fatalf("sync after a torn append: %+v, %v", res, err)
	}
	v3 := f.viewer(t, share.Options{CacheDir: dir})
	if n := len(v3.Album().Files); n != 41 {
		t.Errorf("album after appending past a torn line has %d files", n)
	}
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
		if _, err := f.viewer(t, share.Options{APIBase: ts.URL}).Sync(t.Context()); !errors.Is(err, share.ErrBadResponse) {
			t.Errorf("%s: %v", name, err)
		}
		ts.Close()
	}
	var p share.PasswordParams
	err := json.Unmarshal([]byte(`{"nonce":"AAAAAAAAAAAAAAAAAAAAAA==","memLimit":8192,"opsLimit":1,"memLimit":4294967296}`), &p)
	if !errors.Is(err, share.ErrBadResponse) {
		t.Errorf("PasswordParams with memLimit twice: %v", err)
	}
}
