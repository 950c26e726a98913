package share

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/e2eekit/e2ee/internal/jsonstrict"
	"github.com/e2eekit/e2ee/share/internal/wire"
)

// maxJSONSize caps an API response body.
const maxJSONSize = 64 << 20

// newClient copies the caller's client (or a default one) and makes its
// redirects drop the access token and JWT when they leave the API host:
// file downloads redirect to object storage, which must not see them (Go
// forwards custom headers on redirects).
func newClient(c *http.Client) *http.Client {
	var cp http.Client
	if c != nil {
		cp = *c
	}
	next := cp.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme {
			req.Header.Del(wire.TokenHeader)
			req.Header.Del(wire.JWTHeader)
			req.Header.Del(wire.DeviceTokenHeader)
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &cp
}

// session is one link's conversation with the API: its credentials
// (access token, password JWT, device token), the transport and the
// bounds. The album Viewer and the FileViewer each hold one. Its lock is
// never held across network I/O.
type session struct {
	token    string
	api      *url.URL
	client   *http.Client
	opts     Options
	infoPath string // the path whose 401 means an unknown token, not a missing JWT
	life     context.Context
	stop     context.CancelFunc // cancels requests in flight

	mu        sync.Mutex
	closed    bool
	jwt       string
	device    string // the latest link device token
	protected bool   // the link has a password
}

// newSession checks the link's token and the API base, and fills in the
// default bounds.
func newSession(token string, opts Options, infoPath string) (*session, error) {
	if err := checkToken(token); err != nil {
		return nil, err
	}
	base := cmp.Or(opts.APIBase, DefaultAPIBase)
	api, err := url.Parse(base)
	if err != nil || (api.Scheme != "https" && api.Scheme != "http") || api.Host == "" {
		return nil, fmt.Errorf("share: API base %q is not an http(s) URL", base)
	}
	opts = opts.withDefaults()
	if opts.MaxFiles < 0 || opts.MaxPages < 0 || opts.MaxSkipped < 0 {
		return nil, errors.New("share: negative MaxFiles, MaxPages or MaxSkipped")
	}
	s := &session{token: token, api: api, client: newClient(opts.HTTPClient), opts: opts, infoPath: infoPath}
	s.life, s.stop = context.WithCancel(context.Background())
	return s, nil
}

// close cancels requests in flight and refuses new ones.
func (s *session) close() {
	s.stop()
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
}

func (s *session) deviceToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.device
}

func (s *session) setDeviceToken(t string) {
	s.mu.Lock()
	s.device = t
	s.mu.Unlock()
}

func (s *session) setProtected(p bool) {
	s.mu.Lock()
	s.protected = p
	s.mu.Unlock()
}

func (s *session) hasJWT() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.jwt != ""
}

// unlock derives the link password's hash with p (capped by
// PasswordLimits), posts it to path, and keeps the JWT the server answers
// with for the following requests. A rejected password is
// ErrIncorrectPassword.
func (s *session) unlock(ctx context.Context, path string, password []byte, p PasswordParams) error {
	h, err := LinkPassHash(password, p)
	if err != nil {
		return err
	}
	defer h.k.Destroy()
	var resp wire.VerifyPasswordResponse
	err = s.doJSON(ctx, http.MethodPost, path, nil, wire.VerifyPasswordRequest{PassHash: h.Base64()}, &resp)
	var he *HTTPError
	if errors.As(err, &he) && (he.StatusCode == http.StatusUnauthorized || he.StatusCode == http.StatusForbidden) {
		he.kind = ErrIncorrectPassword
		return he
	}
	if err != nil {
		return err
	}
	if resp.JWTToken == "" || !validHeaderValue(resp.JWTToken) {
		return fmt.Errorf("%w: verify-password returned no usable token", ErrBadResponse)
	}
	s.mu.Lock()
	s.jwt = resp.JWTToken
	s.mu.Unlock()
	return nil
}

// do sends an authenticated request to the API and returns a 2xx response
// (whose body the caller closes) or an error: the context's, an
// *HTTPError, ErrClosed, or ErrHTTP for a transport failure (with
// ErrStalled when a timeout of Options tripped). The request is cancelled
// when the session is closed, and the body fails once no byte has arrived
// for StallTimeout.
func (s *session) do(ctx context.Context, method, path string, query url.Values, body any) (*http.Response, error) {
	u := s.api.JoinPath(path)
	u.RawQuery = query.Encode()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("share: %s %s: %w", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	s.mu.Lock()
	closed, jwt, device, protected := s.closed, s.jwt, s.device, s.protected
	s.mu.Unlock()
	if closed {
		return nil, ErrClosed
	}
	w := newWatchdog(ctx, s.life, s.opts.HeaderTimeout)
	req, err := http.NewRequestWithContext(w.ctx, method, u.String(), rd)
	if err != nil {
		w.stop()
		return nil, fmt.Errorf("%w: %s %s: %v", ErrHTTP, method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set(wire.TokenHeader, s.token)
	req.Header.Set("User-Agent", s.opts.UserAgent)
	if jwt != "" {
		req.Header.Set(wire.JWTHeader, jwt)
	}
	if device != "" {
		req.Header.Set(wire.DeviceTokenHeader, device)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		w.stop()
		if cause := w.why(ctx, s.life); errors.Is(cause, ErrStalled) {
			return nil, fmt.Errorf("%w: %w: %s %s: no response within %v", ErrHTTP, ErrStalled, method, path, s.opts.HeaderTimeout)
		} else if cause != nil {
			return nil, fmt.Errorf("share: %s %s: %w", method, path, cause)
		}
		// A redirect's URL may carry a storage signature: keep its query
		// out of the message.
		var ue *url.Error
		if errors.As(err, &ue) {
			if pu, perr := url.Parse(ue.URL); perr == nil {
				pu.RawQuery, pu.Fragment = "", ""
				ue.URL = pu.String()
			}
		}
		return nil, fmt.Errorf("%w: %s %s: %w", ErrHTTP, method, path, err)
	}
	resp.Body = w.body(resp.Body, s.opts.StallTimeout, func() error { return w.why(ctx, s.life) })
	if t := resp.Header.Get(wire.NewDeviceTokenHeader); t != "" && resp.Request.URL.Host == s.api.Host && validHeaderValue(t) {
		s.setDeviceToken(t) // the latest: the server refreshes it before it expires
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	var kind error
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		// For a protected link, 401 on anything but info means the server
		// wants a (new) JWT; otherwise it does not know the token.
		kind = ErrAccessDenied
		if protected && path != s.infoPath {
			kind = ErrPasswordRequired
		}
	case http.StatusGone:
		kind = ErrLinkExpired
	case http.StatusTooManyRequests:
		kind = ErrRateLimited
	}
	return nil, newHTTPError(resp, kind)
}

// validHeaderValue accepts a token the server sent for echoing back:
// printable ASCII, not too long.
func validHeaderValue(s string) bool {
	if len(s) > 4096 {
		return false
	}
	for i := range len(s) {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// watchdog cancels a request when the caller's context ends, when the
// Viewer closes, when the headers take longer than a timeout, or when the
// body stalls.
type watchdog struct {
	ctx     context.Context
	cancel  context.CancelFunc
	unhook  func() bool
	timer   *time.Timer
	mu      sync.Mutex
	stalled bool
}

func newWatchdog(ctx, life context.Context, header time.Duration) *watchdog {
	w := &watchdog{}
	w.ctx, w.cancel = context.WithCancel(ctx)
	w.unhook = context.AfterFunc(life, w.cancel)
	if header > 0 {
		w.timer = time.AfterFunc(header, w.trip)
	}
	return w
}

func (w *watchdog) trip() {
	w.mu.Lock()
	w.stalled = true
	w.mu.Unlock()
	w.cancel()
}

// why names the cause of a cancelled request, or nil if it was not.
func (w *watchdog) why(ctx, life context.Context) error {
	w.mu.Lock()
	stalled := w.stalled
	w.mu.Unlock()
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case life.Err() != nil:
		return ErrClosed
	case stalled:
		return ErrStalled
	}
	return nil
}

func (w *watchdog) stop() {
	if w.timer != nil {
		w.timer.Stop()
	}
	w.unhook()
	w.cancel()
}

// body watches rc: the timer restarts with each byte that arrives.
func (w *watchdog) body(rc io.ReadCloser, stall time.Duration, why func() error) io.ReadCloser {
	if w.timer != nil {
		w.timer.Stop()
	}
	w.timer = nil
	if stall > 0 {
		w.timer = time.AfterFunc(stall, w.trip)
	}
	return &watchedBody{rc: rc, w: w, stall: stall, why: why}
}

type watchedBody struct {
	rc    io.ReadCloser
	w     *watchdog
	stall time.Duration
	why   func() error
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if n > 0 && b.w.timer != nil {
		b.w.timer.Reset(b.stall)
	}
	if err != nil && err != io.EOF {
		if cause := b.why(); errors.Is(cause, ErrStalled) {
			return n, fmt.Errorf("%w: %w: no data for %v", ErrHTTP, ErrStalled, b.stall)
		} else if cause != nil {
			return n, cause
		}
	}
	return n, err
}

func (b *watchedBody) Close() error {
	b.w.stop()
	return b.rc.Close()
}

// getJSON GETs path and decodes the JSON body into out.
func (s *session) getJSON(ctx context.Context, path string, query url.Values, out any) error {
	return s.doJSON(ctx, http.MethodGet, path, query, nil, out)
}

func (s *session) doJSON(ctx context.Context, method, path string, query url.Values, body, out any) error {
	resp, err := s.do(ctx, method, path, query, body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxJSONSize+1))
	if err != nil {
		if errors.Is(err, ErrHTTP) || ctx.Err() != nil || errors.Is(err, ErrClosed) {
			return fmt.Errorf("share: %s %s: %w", method, path, err)
		}
		return fmt.Errorf("%w: %s %s: reading body: %w", ErrHTTP, method, path, err)
	}
	if len(b) > maxJSONSize {
		return fmt.Errorf("%w: %s %s: body larger than %d bytes", ErrBadResponse, method, path, maxJSONSize)
	}
	// Strict: a name given twice (a second memLimit, say) is refused, not
	// read last-wins.
	if err := jsonstrict.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%w: %s %s: %v", ErrBadResponse, method, path, err)
	}
	return nil
}
