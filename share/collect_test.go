package share_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/e2eekit/e2ee/share"
	"github.com/e2eekit/e2ee/stream"
)

// TestCollectUpload: files added through a collect link are seen by
// anyone with the link (the owner included: the album key opens them)
// with their names and bytes intact, in one PUT or in parts.
func TestCollectUpload(t *testing.T) {
	f := newFixture(t, 1)
	f.srv.SetCollect(true)
	// Storage on another host name: no link credential may reach it.
	f.srv.StorageURL = strings.Replace(f.ts.URL, "127.0.0.1", "localhost", 1)
	var last share.Progress
	v := f.viewer(t, share.Options{Progress: func(p share.Progress) { last = p }})
	if _, err := v.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	if !v.CanUpload() {
		t.Fatal("CanUpload = false on a collect link")
	}
	sizes := map[string]int{"empty.txt": 0, "one.bin": 1, "chunk.bin": stream.ChunkSize, "chunk+1.bin": stream.ChunkSize + 1,
		"parts.mov": 5*stream.ChunkSize + 1000} // 6 chunks: two parts
	ids := map[string]int64{}
	for name, n := range sizes {
		data := randomBytes(n)
		id, err := v.Upload(t.Context(), bytes.NewReader(data), int64(n), share.Upload{Title: name, Thumbnail: []byte("thumb " + name)})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n > 0 && (!last.Upload || last.Done != int64(n) || last.Total != int64(n)) {
			t.Errorf("%s: last progress %+v", name, last)
		}
		ids[name] = id
		f.data[id] = data
	}
	log := f.srv.Log()
	if log.Collected != len(sizes) || log.UploadedParts != 2 || log.StorageSawToken {
		t.Errorf("collected %d, parts %d, storage saw a token %v", log.Collected, log.UploadedParts, log.StorageSawToken)
	}
	// Another viewer of the link (or the owner) sees them.
	other := f.viewer(t, share.Options{})
	if _, err := other.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	byID := map[int64]share.File{}
	for _, file := range other.Album().Files {
		byID[file.ID] = file
	}
	for name, id := range ids {
		if byID[id].Title != name {
			t.Errorf("%s: seen as %q", name, byID[id].Title)
		}
		var got, thumb bytes.Buffer
		if _, err := other.DownloadFile(t.Context(), id, &got); err != nil || !bytes.Equal(got.Bytes(), f.data[id]) {
			t.Errorf("%s: downloaded %d bytes: %v", name, got.Len(), err)
		}
		if _, err := other.DownloadThumbnail(t.Context(), id, &thumb); err != nil || thumb.String() != "thumb "+name {
			t.Errorf("%s: thumbnail %q: %v", name, thumb.String(), err)
		}
	}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*131 + i>>8)
	}
	return b
}

func TestCollectRefusals(t *testing.T) {
	f := newFixture(t, 1)
	v := f.viewer(t, share.Options{})
	if _, err := v.Upload(t.Context(), strings.NewReader("x"), 1, share.Upload{Title: "x"}); !errors.Is(err, share.ErrCollectDisabled) {
		t.Errorf("upload without enableCollect: %v", err)
	}
	f.srv.SetCollect(true)
	// A source shorter than its size: an error, and no file.
	if _, err := v.Upload(t.Context(), strings.NewReader("short"), 100, share.Upload{Title: "x"}); err == nil || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("short source: %v", err)
	}
	// A source that fails.
	if _, err := v.Upload(t.Context(), iotest.ErrReader(errors.New("disk on fire")), 100, share.Upload{}); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("failing source: %v", err)
	}
	// A cancelled context.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := v.Upload(ctx, strings.NewReader("x"), 1, share.Upload{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if n := f.srv.Log().Collected; n != 0 {
		t.Errorf("%d files created by failed uploads", n)
	}
	// A password-protected collect link needs Unlock.
	if err := f.srv.SetPassword(cheapPassword(t, "pw")); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Upload(t.Context(), strings.NewReader("x"), 1, share.Upload{}); !errors.Is(err, share.ErrPasswordRequired) {
		t.Errorf("locked link: %v", err)
	}
	if err := v.Unlock(t.Context(), []byte("pw")); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Upload(t.Context(), strings.NewReader("x"), 1, share.Upload{Title: "after unlock"}); err != nil {
		t.Errorf("unlocked link: %v", err)
	}
}

// TestCollectUploadStreams: a 48 MiB upload from a reader that makes its
// bytes on the fly keeps the live heap far below the file's size.
func TestCollectUploadStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("48 MiB upload")
	}
	f := newFixture(t, 0)
	f.srv.SetCollect(true)
	f.srv.DiscardUploads = true
	v := f.viewer(t, share.Options{})
	const n = 48 << 20
	var peak uint64
	src := &heapWatch{r: io.LimitReader(zeros{}, n), peak: &peak}
	if _, err := v.Upload(t.Context(), src, n, share.Upload{Title: "big"}); err != nil {
		t.Fatal(err)
	}
	// A few chunk buffers in flight, not the file.
	if peak > 32<<20 {
		t.Errorf("heap reached %d MiB during a %d MiB upload", peak>>20, n>>20)
	}
	t.Logf("live heap peaked at %d MiB during a %d MiB upload", peak>>20, n>>20)
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// heapWatch samples the live heap every 4 MiB read.
type heapWatch struct {
	r    io.Reader
	n    int
	peak *uint64
}

func (h *heapWatch) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if h.n += n; h.n >= 4<<20 {
		h.n = 0
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		*h.peak = max(*h.peak, m.HeapAlloc)
	}
	return n, err
}
