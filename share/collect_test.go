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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	_, err := v.Sync(t.Context())
	require.NoError(t, err)
	require.True(t, v.CanUpload(), "CanUpload = false on a collect link")
	sizes := map[string]int{"empty.txt": 0, "one.bin": 1, "chunk.bin": stream.ChunkSize, "chunk+1.bin": stream.ChunkSize + 1,
		"parts.mov": 5*stream.ChunkSize + 1000} // 6 chunks: two parts
	ids := map[string]int64{}
	for name, n := range sizes {
		data := randomBytes(n)
		id, err := v.Upload(t.Context(), bytes.NewReader(data), int64(n), share.Upload{Title: name, Thumbnail: []byte("thumb " + name)})
		require.NoError(t, err, "%s", name)
		if n > 0 {
			assert.True(t, last.Upload, "%s: last progress %+v", name, last)
			assert.Equal(t, int64(n), last.Done, "%s: last progress %+v", name, last)
			assert.Equal(t, int64(n), last.Total, "%s: last progress %+v", name, last)
		}
		ids[name] = id
		f.data[id] = data
	}
	log := f.srv.Log()
	assert.Equal(t, len(sizes), log.Collected, "collected")
	assert.Equal(t, 2, log.UploadedParts, "parts")
	assert.False(t, log.StorageSawToken, "storage saw a token")
	// Another viewer of the link (or the owner) sees them.
	other := f.viewer(t, share.Options{})
	_, err = other.Sync(t.Context())
	require.NoError(t, err)
	byID := map[int64]share.File{}
	for _, file := range other.Album().Files {
		byID[file.ID] = file
	}
	for name, id := range ids {
		assert.Equal(t, name, byID[id].Title, "%s: seen as", name)
		var got, thumb bytes.Buffer
		_, err := other.DownloadFile(t.Context(), id, &got)
		assert.NoError(t, err, "%s: download", name)
		// Up to 20 MiB: bytes.Equal, as a diff of them would flood the log.
		assert.True(t, bytes.Equal(f.data[id], got.Bytes()), "%s: downloaded %d bytes, want %d", name, got.Len(), len(f.data[id]))
		_, err = other.DownloadThumbnail(t.Context(), id, &thumb)
		assert.NoError(t, err, "%s: thumbnail", name)
		assert.Equal(t, "thumb "+name, thumb.String(), "%s: thumbnail", name)
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
	_, err := v.Upload(t.Context(), strings.NewReader("x"), 1, share.Upload{Title: "x"})
	assert.ErrorIs(t, err, share.ErrCollectDisabled, "upload without enableCollect")
	f.srv.SetCollect(true)
	// A source shorter than its size: an error, and no file.
	_, err = v.Upload(t.Context(), strings.NewReader("short"), 100, share.Upload{Title: "x"})
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "short source")
	// A source that fails.
	_, err = v.Upload(t.Context(), iotest.ErrReader(errors.New("disk on fire")), 100, share.Upload{})
	assert.ErrorContains(t, err, "disk on fire", "failing source")
	// A cancelled context.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = v.Upload(ctx, strings.NewReader("x"), 1, share.Upload{})
	assert.ErrorIs(t, err, context.Canceled, "cancelled")
	assert.Zero(t, f.srv.Log().Collected, "files created by failed uploads")
	// A password-protected collect link needs Unlock.
	require.NoError(t, f.srv.SetPassword(cheapPassword(t, "pw")))
	_, err = v.Upload(t.Context(), strings.NewReader("x"), 1, share.Upload{})
	assert.ErrorIs(t, err, share.ErrPasswordRequired, "locked link")
	require.NoError(t, v.Unlock(t.Context(), []byte("pw")))
	_, err = v.Upload(t.Context(), strings.NewReader("x"), 1, share.Upload{Title: "after unlock"})
	assert.NoError(t, err, "unlocked link")
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
	_, err := v.Upload(t.Context(), src, n, share.Upload{Title: "big"})
	require.NoError(t, err)
	// A few chunk buffers in flight, not the file.
	assert.LessOrEqual(t, peak, uint64(32<<20), "heap reached %d MiB during a %d MiB upload", peak>>20, n>>20)
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
