package share

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/share/internal/wire"
	"github.com/e2eekit/e2ee/stream"
)

// DownloadFile fetches file id of the synced album, decrypts it chunk by
// chunk and writes the plaintext to w, in constant memory (one 4 MiB chunk
// at a time). Only authenticated chunks reach w; a file that is cut short,
// extended or tampered with fails with stream's ErrTruncated,
// ErrTrailingData or ErrOpen after the chunks before the damage. It
// returns the plaintext bytes written.
func (v *Viewer) DownloadFile(ctx context.Context, id int64, w io.Writer) (int64, error) {
	return v.download(ctx, id, false, w)
}

// DownloadThumbnail is DownloadFile for the file's thumbnail, which is
// one message (at most MaxThumbnailSize bytes): it is authenticated whole
// before any byte reaches w. Like the metadata, and as Ente's web client
// does, it is accepted tagged FINAL or MESSAGE, but never with more than
// one message or trailing bytes.
func (v *Viewer) DownloadThumbnail(ctx context.Context, id int64, w io.Writer) (int64, error) {
	return v.download(ctx, id, true, w)
}

// MaxThumbnailSize caps a thumbnail's plaintext (Ente's clients make them
// well under 1 MiB).
const MaxThumbnailSize = 16 << 20

func (v *Viewer) download(ctx context.Context, id int64, thumb bool, w io.Writer) (int64, error) {
	if v == nil || v.s == nil {
		return 0, errZeroViewer
	}
	// Take a copy of the file key so that Sync or Close can run meanwhile.
	v.mu.Lock()
	if v.closed {
		v.mu.Unlock()
		return 0, ErrClosed
	}
	f, ok := v.files[id]
	var key *secret.Key
	var hdr stream.Header
	if ok {
		key, _ = copyKey(f.key)
		hdr = f.fileHeader
		if thumb {
			hdr = f.thumbHdr
		}
	}
	v.mu.Unlock()
	if !ok {
		return 0, fmt.Errorf("%w: file %d", ErrNotFound, id)
	}
	defer key.Destroy()

	path := wire.DownloadPath
	if thumb {
		path = wire.PreviewPath
	}
	return v.s.fetch(ctx, path+strconv.FormatInt(id, 10), id, thumb, hdr, key, w, v.progress)
}

// fetch GETs path and writes the plaintext of file id to w: the chunked
// stream of a file, authenticated chunk by chunk, or the one message of a
// thumbnail, authenticated whole.
func (s *session) fetch(ctx context.Context, path string, id int64, thumb bool, hdr stream.Header, key *secret.Key, w io.Writer, report func(Progress)) (int64, error) {
	resp, err := s.do(ctx, http.MethodGet, path, nil, nil)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	pw := &progressWriter{ctx: ctx, w: w, report: report, p: Progress{FileID: id, Thumbnail: thumb, Total: -1}}
	if thumb {
		return thumbnail(ctx, id, resp.Body, hdr, key, pw)
	}
	r, err := stream.NewDecryptReader(resp.Body, hdr, key)
	if err != nil {
		return 0, fmt.Errorf("share: file %d: %w", id, err)
	}
	defer r.Close()
	if resp.ContentLength >= 0 {
		if n, err := stream.PlaintextSize(resp.ContentLength); err == nil {
			pw.p.Total = n
		}
	}
	n, err := io.Copy(pw, r)
	if err != nil {
		if ctx.Err() != nil {
			return n, fmt.Errorf("share: file %d: %w", id, ctx.Err())
		}
		return n, fmt.Errorf("share: file %d: %w", id, err)
	}
	return n, nil
}

func thumbnail(ctx context.Context, id int64, body io.Reader, hdr stream.Header, key *secret.Key, pw *progressWriter) (int64, error) {
	ct, err := io.ReadAll(io.LimitReader(body, MaxThumbnailSize+stream.Overhead+1))
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return 0, fmt.Errorf("share: thumbnail %d: %w", id, err)
	}
	pt, _, err := decryptBlobLenient(ct, hdr, key, MaxThumbnailSize)
	if err != nil {
		return 0, fmt.Errorf("share: thumbnail %d: %w", id, err)
	}
	pw.p.Total = int64(len(pt))
	n, err := pw.Write(pt)
	return int64(n), err
}

// progressWriter reports each write's running total, and stops at the
// next chunk once ctx is done (the transport may have buffered the rest of
// the body, so a cancelled request alone does not stop the copy).
type progressWriter struct {
	ctx    context.Context
	w      io.Writer
	report func(Progress)
	p      Progress
}

func (pw *progressWriter) Write(b []byte) (int, error) {
	if err := pw.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := pw.w.Write(b)
	pw.p.Done += int64(n)
	if pw.report != nil && n > 0 {
		pw.report(pw.p)
	}
	return n, err
}
