package share

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/e2eekit/e2ee/share/internal/wire"
)

// Errors of the public album Viewer, besides ErrInvalidLink and
// ErrIncorrectPassword. Check them with errors.Is.
var (
	// ErrHTTP reports a failed request: the transport failed or the server
	// answered with a status other than 2xx. Every *HTTPError wraps it.
	ErrHTTP = errors.New("share: HTTP request failed")
	// ErrAccessDenied reports 401 Unauthorized: the server does not know
	// the access token (a mistyped or deleted link).
	ErrAccessDenied = errors.New("share: access token rejected")
	// ErrLinkExpired reports 410 Gone: the link expired, was disabled, or
	// its owner's subscription lapsed.
	ErrLinkExpired = errors.New("share: link expired or disabled")
	// ErrPasswordRequired reports a password-protected link that has not
	// been unlocked (or whose session the server no longer accepts): call
	// Viewer.Unlock.
	ErrPasswordRequired = errors.New("share: link is password protected")
	// ErrKeyMismatch reports that the link's key does not open the album
	// the server returned: the fragment was mangled, or belongs to another
	// album.
	ErrKeyMismatch = errors.New("share: link key does not open this album")
	// ErrUndecryptable reports entries that did not authenticate or decode
	// under the album's keys. Sync skips them, keeps the rest, and returns
	// an error wrapping this one; Viewer.Undecryptable lists them.
	ErrUndecryptable = errors.New("share: undecryptable album entry")
	// ErrBadResponse reports a response that is not what the API returns:
	// malformed JSON, a missing field, an oversized body, a diff that does
	// not advance.
	ErrBadResponse = errors.New("share: malformed server response")
	// ErrCorruptCache reports a cache file this package did not write.
	ErrCorruptCache = errors.New("share: corrupt album cache")
	// ErrNotFound reports a file ID that is not in the synced album.
	ErrNotFound = errors.New("share: no such file in the album")
	// ErrServerMisbehaving reports a server that went beyond a bound of
	// Options: more files than MaxFiles, more pages than MaxPages.
	ErrServerMisbehaving = errors.New("share: server exceeded the viewer's bounds")
	// ErrStalled reports a server that sent no response headers within
	// Options.HeaderTimeout, or no byte of a body within
	// Options.StallTimeout. It comes with ErrHTTP.
	ErrStalled = errors.New("share: server stopped responding")
	// ErrDeviceLimit reports 403 with code LINK_DEVICE_LIMIT_EXCEEDED: the
	// link's owner set a device limit (at most 50 in Ente's apps) and
	// this many other devices have opened it. A Viewer counts as one
	// device across restarts when it has a CacheDir (it keeps the device
	// token the server hands out there).
	ErrDeviceLimit = errors.New("share: link device limit reached")
	// ErrRateLimited reports 429 Too Many Requests; HTTPError.RetryAfter
	// says when to try again, if the server said.
	ErrRateLimited = errors.New("share: rate limited by the server")
	// ErrClosed reports a call on a closed Viewer or FileViewer, or on a
	// nil or zero one (not made by NewViewer or NewFileViewer).
	ErrClosed = errors.New("share: viewer closed")
)

// errZeroViewer is the error of a nil or zero Viewer or FileViewer: one
// never opened cannot do more than a closed one.
var errZeroViewer = fmt.Errorf("%w: nil or zero viewer, not made by its constructor", ErrClosed)

// HTTPError is a non-2xx answer. It wraps ErrHTTP and, by status,
// ErrAccessDenied (401), ErrLinkExpired (410), ErrDeviceLimit (403 with
// its code), ErrRateLimited (429), ErrPasswordRequired or
// ErrIncorrectPassword.
type HTTPError struct {
	Method, Path string
	StatusCode   int
	// Code is the server's "code" field (such as
	// LINK_DEVICE_LIMIT_EXCEEDED), and Message its "error" or "message"
	// field, both sanitised and cut to 100 characters.
	Code, Message string
	// RetryAfter is the server's Retry-After (in seconds or as a date),
	// or 0.
	RetryAfter time.Duration
	kind       error
}

// Error describes the answer; a nil *HTTPError reads as ErrHTTP.
func (e *HTTPError) Error() string {
	if e == nil {
		return ErrHTTP.Error() + " (nil *HTTPError)"
	}
	s := fmt.Sprintf("share: %s %s: HTTP %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.kind != nil { // what it means first: "share: incorrect link password (POST …)"
		s = fmt.Sprintf("%v (%s %s: HTTP %d %s", e.kind, e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
		if e.Message != "" {
			s += fmt.Sprintf(": %q", e.Message)
		}
		return s + ")"
	}
	if e.Message != "" {
		s += fmt.Sprintf(" (%q)", e.Message)
	}
	return s
}

// Unwrap returns ErrHTTP and the sentinel for the status, if any; nothing
// for a nil *HTTPError.
func (e *HTTPError) Unwrap() []error {
	if e == nil {
		return nil
	}
	if e.kind == nil {
		return []error{ErrHTTP}
	}
	return []error{e.kind, ErrHTTP}
}

// newHTTPError reads a little of resp's body for the server's message.
func newHTTPError(resp *http.Response, kind error) *HTTPError {
	e := &HTTPError{Method: resp.Request.Method, Path: resp.Request.URL.Path, StatusCode: resp.StatusCode, kind: kind}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
	// Museum answers {"code", "message"}, {"error": "…"} or, from its link
	// middleware, {"error": {"code", "message"}}.
	var m struct{ Code, Error, Message any }
	if json.Unmarshal(body, &m) == nil {
		if nested, ok := m.Error.(map[string]any); ok {
			m.Error = nil
			if m.Code == nil {
				m.Code = nested["code"]
			}
			if m.Message == nil {
				m.Message = nested["message"]
			}
		}
		if s, ok := m.Code.(string); ok {
			e.Code = sanitize(s)
		}
		for _, v := range []any{m.Error, m.Message} {
			if s, ok := v.(string); ok && s != "" {
				e.Message = sanitize(s)
				break
			}
		}
	}
	switch {
	case resp.StatusCode == http.StatusForbidden && e.Code == wire.DeviceLimitCode:
		e.kind = ErrDeviceLimit
	case e.Code == wire.PasswordProtectedCode:
		e.kind = ErrPasswordRequired
	}
	e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"))
	return e
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(h string) time.Duration {
	if h == "" {
		return 0
	}
	if n, err := strconv.ParseUint(h, 10, 32); err == nil {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

func sanitize(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return -1
	}, s)
	if r := []rune(s); len(r) > 100 {
		s = string(r[:100])
	}
	return s
}
