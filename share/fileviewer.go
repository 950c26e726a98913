package share

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/share/internal/wire"
)

// FileViewer opens a single-file link, as Ente's share page does, over
// museum's /file-link API: Open fetches and decrypts the file's metadata,
// Download and DownloadThumbnail stream its contents, Unlock answers a
// link password. It keeps the link's device token for as long as it lives
// (it has no cache), sends it on every request to the API host, and
// applies the same bounds and timeouts as the album Viewer (see Options;
// MaxFiles, MaxPages and MaxSkipped do not apply). Its methods are safe
// for concurrent use; it prints as "share.FileViewer(REDACTED)". A nil or
// zero FileViewer (not made by NewFileViewer) is not password protected,
// Close does nothing, and the other methods fail with ErrClosed.
type FileViewer struct {
	redact[FileViewer]
	s        *session
	progress func(Progress)

	mu        sync.Mutex
	closed    bool
	key       *secret.Key // the fragment's key, or nil
	secret    *fileSecret // or its secret
	file      *openedFile // after Open
	legacy    bool
	protected bool
}

// NewFileViewer returns a viewer for link; it makes no request.
func NewFileViewer(link *FileLink, opts Options) (*FileViewer, error) {
	if link == nil || (link.Key == nil && link.secret == nil) {
		return nil, fmt.Errorf("%w: no key", ErrInvalidLink)
	}
	s, err := newSession(link.AccessToken, opts, wire.FileLinkInfoPath)
	if err != nil {
		return nil, err
	}
	v := &FileViewer{s: s, progress: opts.Progress}
	if link.Key != nil {
		if v.key, err = copyKey(link.Key); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalidLink, err)
		}
	} else {
		v.secret = &fileSecret{b: new([FileSecretLen]byte)}
		*v.secret.b = *link.secret.b
	}
	return v, nil
}

// Close destroys the viewer's keys (best effort) and cancels its requests
// in flight. It does not wait for them.
func (v *FileViewer) Close() {
	if v == nil || v.s == nil {
		return
	}
	v.s.close()
	v.mu.Lock()
	defer v.mu.Unlock()
	v.closed = true
	v.key.Destroy()
	v.secret.destroy()
	if v.file != nil {
		v.file.key.Destroy()
	}
}

// PasswordProtected reports whether the server asked for a link password
// (an Open that failed with ErrPasswordRequired).
func (v *FileViewer) PasswordProtected() bool {
	if v == nil {
		return false
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.protected
}

// Open fetches the link's info, finds the file key the fragment stands for
// and decrypts the file's metadata. A password-protected link fails with
// ErrPasswordRequired until Unlock; a fragment that opens nothing with
// ErrKeyMismatch. legacyTag reports metadata accepted tagged MESSAGE.
func (v *FileViewer) Open(ctx context.Context) (f File, legacyTag bool, err error) {
	if v == nil || v.s == nil {
		return File{}, false, errZeroViewer
	}
	var info wire.FileLinkInfoResponse
	if err := v.s.getJSON(ctx, wire.FileLinkInfoPath, nil, &info); err != nil {
		if errors.Is(err, ErrPasswordRequired) {
			v.mu.Lock()
			v.protected = true
			v.mu.Unlock()
			v.s.setProtected(true)
		}
		return File{}, false, err
	}
	var wf wire.File
	if err := json.Unmarshal(info.File, &wf); err != nil || len(info.File) == 0 {
		return File{}, false, fmt.Errorf("%w: file link info without a file", ErrBadResponse)
	}
	v.mu.Lock()
	if v.closed {
		v.mu.Unlock()
		return File{}, false, ErrClosed
	}
	l := v.linkCopy()
	v.mu.Unlock()
	fk, err := l.fileKey(&wf, info.Link) // slow for a secret: on a copy, outside the lock
	l.destroy()
	if err != nil {
		return File{}, false, err
	}
	o, legacy, err := openWithKey(&wf, fk)
	if err != nil {
		fk.Destroy()
		return File{}, false, fmt.Errorf("%w: %w", ErrKeyMismatch, err)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.closed {
		o.key.Destroy()
		return File{}, false, ErrClosed
	}
	if v.file != nil {
		v.file.key.Destroy()
	}
	v.file, v.legacy = o, legacy
	return o.File, legacy, nil
}

// linkCopy copies the fragment's key or secret. Called with v.mu held.
func (v *FileViewer) linkCopy() *FileLink {
	l := &FileLink{}
	if v.key != nil {
		l.Key, _ = copyKey(v.key)
	} else {
		l.secret = &fileSecret{b: new([FileSecretLen]byte)}
		*l.secret.b = *v.secret.b
	}
	return l
}

// Unlock reads the link password's parameters (capped by PasswordLimits),
// posts its hash to /file-link/verify-password and keeps the JWT for the
// following requests. A rejected password is ErrIncorrectPassword.
func (v *FileViewer) Unlock(ctx context.Context, password []byte) error {
	if v == nil || v.s == nil {
		return errZeroViewer
	}
	var pi wire.PassInfoResponse
	if err := v.s.getJSON(ctx, wire.FileLinkPassInfoPath, nil, &pi); err != nil {
		return err
	}
	if pi.Nonce == nil || pi.MemLimit == nil || pi.OpsLimit == nil {
		return fmt.Errorf("%w: the link has no password", ErrBadResponse)
	}
	p := PasswordParams{MemLimit: *pi.MemLimit, OpsLimit: *pi.OpsLimit}
	if err := p.Salt.UnmarshalText([]byte(*pi.Nonce)); err != nil {
		return fmt.Errorf("%w: link password nonce: %v", ErrBadResponse, err)
	}
	v.s.setProtected(true)
	return v.s.unlock(ctx, wire.FileLinkVerifyPath, password, p)
}

// Download writes the file's plaintext to w, chunk by chunk, releasing
// only authenticated chunks (see Viewer.DownloadFile). Call Open first.
func (v *FileViewer) Download(ctx context.Context, w io.Writer) (int64, error) {
	return v.download(ctx, false, w)
}

// DownloadThumbnail writes the file's thumbnail to w (see
// Viewer.DownloadThumbnail).
func (v *FileViewer) DownloadThumbnail(ctx context.Context, w io.Writer) (int64, error) {
	return v.download(ctx, true, w)
}

func (v *FileViewer) download(ctx context.Context, thumb bool, w io.Writer) (int64, error) {
	if v == nil || v.s == nil {
		return 0, errZeroViewer
	}
	v.mu.Lock()
	if v.closed {
		v.mu.Unlock()
		return 0, ErrClosed
	}
	if v.file == nil {
		v.mu.Unlock()
		return 0, fmt.Errorf("%w: call Open first", ErrNotFound)
	}
	key, _ := copyKey(v.file.key)
	id, hdr, path := v.file.ID, v.file.fileHeader, wire.FileLinkFilePath
	if thumb {
		hdr, path = v.file.thumbHdr, wire.FileLinkThumbnailPath
	}
	v.mu.Unlock()
	defer key.Destroy()
	return v.s.fetch(ctx, path, id, thumb, hdr, key, w, v.progress)
}
