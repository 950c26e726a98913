package share

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
	"github.com/e2eekit/e2ee/share/internal/wire"
	"github.com/e2eekit/e2ee/stream"
)

// Collect links: an album whose link has enableCollect lets anyone with
// the link add files, as Ente's public album page does. Viewer.Upload
// encrypts the file (chunked stream), its thumbnail and its metadata
// (one-message blobs) under a fresh file key, wraps that key under the
// album key, uploads the two objects to presigned URLs and registers the
// file with POST /public-collection/file.

// ErrCollectDisabled reports an Upload to an album whose link does not let
// viewers add files.
var ErrCollectDisabled = errors.New("share: the link does not allow adding files")

// multipartChunks is how many encrypted chunks make one part of a
// multipart upload, and the fewest chunks a file needs to be uploaded in
// parts at all (about 20 MiB), as Ente's web client does.
const multipartChunks = 5

// Upload is a file to add to a collect album.
type Upload struct {
	// Title is the file name the album shows.
	Title string
	// CreationTime and ModificationTime are microseconds since the Unix
	// epoch; zero means now.
	CreationTime, ModificationTime int64
	// FileType is 0 for an image, 1 for a video (Ente's fileType).
	FileType int
	// Thumbnail is the thumbnail's bytes (a JPEG in Ente's clients); if
	// nil, a 1×1 grey PNG stands in.
	Thumbnail []byte
}

// CanUpload reports whether the link lets viewers add files, as of the
// last request for the album's info.
func (v *Viewer) CanUpload() bool {
	if v == nil {
		return false
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.head != nil && v.head.collect
}

// Upload adds a file of size bytes read from r to the album and returns
// its new ID. The file is encrypted as it is read and streamed to the
// server: it is never whole in memory (files of 20 MiB and more go up in
// parts of 5 chunks). The context cancels it; Options.Progress reports it
// (Progress.Upload set). A password-protected link needs Unlock first; a
// link without enableCollect fails with ErrCollectDisabled before any
// upload. r must yield exactly size bytes.
func (v *Viewer) Upload(ctx context.Context, r io.Reader, size int64, u Upload) (int64, error) {
	if v == nil || v.s == nil {
		return 0, errZeroViewer
	}
	if size < 0 {
		return 0, fmt.Errorf("share: upload of %d bytes", size)
	}
	ak, err := v.keyCopy()
	if err != nil {
		return 0, err
	}
	defer ak.Destroy()
	v.syncMu.Lock()
	head, err := v.fetchInfo(ctx, ak)
	v.syncMu.Unlock()
	if err != nil {
		return 0, err
	}
	if !head.collect {
		return 0, ErrCollectDisabled
	}
	if head.password != nil && !v.s.hasJWT() {
		return 0, fmt.Errorf("%w: call Unlock first", ErrPasswordRequired)
	}

	fk := secret.GenerateKey()
	defer fk.Destroy()
	now := time.Now().UnixMicro()
	if u.CreationTime == 0 {
		u.CreationTime = now
	}
	if u.ModificationTime == 0 {
		u.ModificationTime = u.CreationTime
	}
	md, err := json.Marshal(wire.Metadata{Title: u.Title, CreationTime: u.CreationTime, ModificationTime: u.ModificationTime, FileType: u.FileType})
	if err != nil {
		return 0, fmt.Errorf("share: upload metadata: %w", err)
	}
	thumb := u.Thumbnail
	if thumb == nil {
		thumb = placeholderThumbnail()
	}
	if len(thumb) > MaxThumbnailSize {
		return 0, fmt.Errorf("share: thumbnail of %d bytes, at most %d", len(thumb), MaxThumbnailSize)
	}
	thumbCt, thumbHdr, err := stream.EncryptBlob(thumb, fk)
	if err != nil {
		return 0, err
	}
	mdCt, mdHdr, err := stream.EncryptBlob(md, fk)
	if err != nil {
		return 0, err
	}
	ctSize, err := stream.EncryptedSize(size)
	if err != nil {
		return 0, err
	}

	var urls wire.UploadURLsResponse
	if err := v.s.getJSON(ctx, wire.UploadURLsPath, url.Values{"count": {"2"}}, &urls); err != nil {
		return 0, err
	}
	if len(urls.URLs) < 2 {
		return 0, fmt.Errorf("%w: %d upload URLs, want 2", ErrBadResponse, len(urls.URLs))
	}
	pr := &progressReader{ctx: ctx, report: v.progress, p: Progress{Upload: true, Total: size}}
	er, fileHdr, err := stream.NewEncryptReader(io.TeeReader(io.LimitReader(r, size), pr), fk)
	if err != nil {
		return 0, err
	}
	defer er.Close()
	body := &exactReader{r: er, n: ctSize}
	fileKey := urls.URLs[0].ObjectKey
	if ctSize >= multipartChunks*int64(stream.EncryptedChunkSize) {
		fileKey, err = v.s.putParts(ctx, body, ctSize)
	} else {
		err = v.s.put(ctx, urls.URLs[0].URL, body, ctSize)
	}
	if err != nil {
		return 0, err
	}
	if err := v.s.put(ctx, urls.URLs[1].URL, bytes.NewReader(thumbCt), int64(len(thumbCt))); err != nil {
		return 0, err
	}

	nonce := secretbox.RandomNonce()
	kb := fk.Bytes()
	wrapped := secretbox.Seal(nil, kb, nonce, ak)
	clear(kb)
	req := wire.NewFile{
		CollectionID: head.id, EncryptedKey: b64.Encode(wrapped), KeyDecryptionNonce: text(nonce),
		File:      wire.UploadedObject{ObjectKey: fileKey, DecryptionHeader: text(fileHdr), Size: ctSize},
		Thumbnail: wire.UploadedObject{ObjectKey: urls.URLs[1].ObjectKey, DecryptionHeader: text(thumbHdr), Size: int64(len(thumbCt))},
		Metadata:  wire.UploadedObject{EncryptedData: b64.Encode(mdCt), DecryptionHeader: text(mdHdr)},
	}
	var created struct {
		ID int64 `json:"id"`
	}
	if err := v.s.doJSON(ctx, http.MethodPost, wire.CreateFilePath, nil, req, &created); err != nil {
		return 0, err
	}
	if created.ID <= 0 {
		return 0, fmt.Errorf("%w: created file without an ID", ErrBadResponse)
	}
	return created.ID, nil
}

// text is the strict base64 of a nonce or header.
func text(v interface{ MarshalText() ([]byte, error) }) string {
	b, _ := v.MarshalText()
	return string(b)
}

// putParts uploads body (n bytes) as a multipart object, in parts of
// multipartChunks encrypted chunks, and returns its object key.
func (s *session) putParts(ctx context.Context, body io.Reader, n int64) (string, error) {
	partSize := int64(multipartChunks * stream.EncryptedChunkSize)
	parts := (n + partSize - 1) / partSize
	var mp wire.MultipartURLsResponse
	if err := s.getJSON(ctx, wire.MultipartURLsPath, url.Values{"count": {strconv.FormatInt(parts, 10)}}, &mp); err != nil {
		return "", err
	}
	if int64(len(mp.URLs.PartURLs)) < parts || mp.URLs.CompleteURL == "" || mp.URLs.ObjectKey == "" {
		return "", fmt.Errorf("%w: %d part URLs for %d parts", ErrBadResponse, len(mp.URLs.PartURLs), parts)
	}
	type part struct {
		PartNumber int64
		ETag       string
	}
	done := struct {
		XMLName xml.Name `xml:"CompleteMultipartUpload"`
		Parts   []part   `xml:"Part"`
	}{}
	for i := range parts {
		size := min(partSize, n-i*partSize)
		etag, err := s.putETag(ctx, mp.URLs.PartURLs[i], io.LimitReader(body, size), size)
		if err != nil {
			return "", err
		}
		done.Parts = append(done.Parts, part{i + 1, etag})
	}
	x, err := xml.Marshal(done)
	if err != nil {
		return "", err
	}
	resp, err := s.storage(ctx, http.MethodPost, mp.URLs.CompleteURL, bytes.NewReader(x), int64(len(x)))
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	return mp.URLs.ObjectKey, nil
}

func (s *session) put(ctx context.Context, u string, body io.Reader, n int64) error {
	_, err := s.putETag(ctx, u, body, n)
	return err
}

func (s *session) putETag(ctx context.Context, u string, body io.Reader, n int64) (string, error) {
	resp, err := s.storage(ctx, http.MethodPut, u, body, n)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	return resp.Header.Get("ETag"), nil
}

// storage sends a request to a presigned object-storage URL: no link
// credentials, the body of n bytes streamed. Only a bounded piece of a
// failure's body is read.
func (s *session) storage(ctx context.Context, method, u string, body io.Reader, n int64) (*http.Response, error) {
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "https" && pu.Scheme != "http") {
		return nil, fmt.Errorf("%w: upload URL is not an http(s) URL", ErrBadResponse)
	}
	w := newWatchdog(ctx, s.life, 0)
	defer w.stop()
	wb := w.uploadBody(body, s.opts.StallTimeout, s.opts.HeaderTimeout)
	req, err := http.NewRequestWithContext(w.ctx, method, u, wb)
	if err != nil {
		return nil, fmt.Errorf("%w: %s upload: %v", ErrHTTP, method, err)
	}
	req.ContentLength = n
	if n == 0 {
		req.Body = http.NoBody
	}
	req.Header.Set("User-Agent", s.opts.UserAgent)
	resp, err := s.client.Do(req)
	if err != nil {
		if cause := w.why(ctx, s.life); errors.Is(cause, ErrStalled) {
			return nil, fmt.Errorf("%w: %w: %s upload", ErrHTTP, ErrStalled, method)
		} else if cause != nil {
			return nil, fmt.Errorf("share: %s upload: %w", method, cause)
		}
		if wb.err != nil { // the source failed, not the network
			return nil, fmt.Errorf("share: upload: %w", wb.err)
		}
		return nil, fmt.Errorf("%w: %s %s%s: %v", ErrHTTP, method, pu.Host, pu.Path, errors.Unwrap(err))
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<10))
		return nil, &HTTPError{Method: method, Path: pu.Path, StatusCode: resp.StatusCode}
	}
	return resp, nil
}

// uploadBody watches a request body: the stall timer restarts with each
// Read, and once the body is sent the header timeout takes over.
func (w *watchdog) uploadBody(r io.Reader, stall, header time.Duration) *watchedUpload {
	if stall > 0 {
		w.timer = time.AfterFunc(stall, w.trip)
	}
	return &watchedUpload{r: r, w: w, stall: stall, header: header}
}

type watchedUpload struct {
	r             io.Reader
	w             *watchdog
	stall, header time.Duration
	err           error // the source's own error
}

func (u *watchedUpload) Read(p []byte) (int, error) {
	n, err := u.r.Read(p)
	switch {
	case err == io.EOF && u.w.timer != nil && u.header > 0:
		u.w.timer.Reset(u.header)
	case err == io.EOF && u.w.timer != nil:
		u.w.timer.Stop()
	case err != nil:
		u.err = err
	case u.w.timer != nil:
		u.w.timer.Reset(u.stall)
	}
	return n, err
}

// exactReader yields exactly n bytes of r: fewer is
// io.ErrUnexpectedEOF, more is an error too.
type exactReader struct {
	r io.Reader
	n int64
}

// errSizeMismatch reports a source longer or shorter than its size.
var errSizeMismatch = errors.New("share: the file is not the size given")

func (e *exactReader) Read(p []byte) (int, error) {
	if e.n <= 0 {
		var one [1]byte
		if n, _ := e.r.Read(one[:]); n > 0 {
			return 0, errSizeMismatch
		}
		return 0, io.EOF
	}
	if int64(len(p)) > e.n {
		p = p[:e.n]
	}
	n, err := e.r.Read(p)
	e.n -= int64(n)
	if err == io.EOF && e.n > 0 {
		return n, fmt.Errorf("%w (%w)", errSizeMismatch, io.ErrUnexpectedEOF)
	}
	if err == io.EOF {
		err = nil
	}
	return n, err
}

// progressReader reports each read of plaintext, and stops once ctx is
// done.
type progressReader struct {
	ctx    context.Context
	report func(Progress)
	p      Progress
}

func (pr *progressReader) Write(b []byte) (int, error) {
	if err := pr.ctx.Err(); err != nil {
		return 0, err
	}
	pr.p.Done += int64(len(b))
	if pr.report != nil && len(b) > 0 {
		pr.report(pr.p)
	}
	return len(b), nil
}

// placeholderThumbnail is a 1×1 grey PNG.
func placeholderThumbnail() []byte {
	img := image.NewGray(image.Rect(0, 0, 1, 1))
	img.SetGray(0, 0, color.Gray{Y: 0x80})
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}
