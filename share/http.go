package share

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

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

// do sends an authenticated request to the API and returns a 2xx response
// (whose body the caller closes) or an error: the context's, an
// *HTTPError, or ErrHTTP for a transport failure.
func (v *Viewer) do(ctx context.Context, method, path string, query url.Values, body any) (*http.Response, error) {
	u := v.api.JoinPath(path)
	u.RawQuery = query.Encode()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("share: %s %s: %w", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s: %v", ErrHTTP, method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set(wire.TokenHeader, v.token)
	if v.jwt != "" {
		req.Header.Set(wire.JWTHeader, v.jwt)
	}
	resp, err := v.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("share: %s %s: %w", method, path, ctx.Err())
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
		if v.head != nil && v.head.password != nil && path != wire.InfoPath {
			kind = ErrPasswordRequired
		}
	case http.StatusGone:
		kind = ErrLinkExpired
	}
	return nil, newHTTPError(resp, kind)
}

// getJSON GETs path and decodes the JSON body into out.
func (v *Viewer) getJSON(ctx context.Context, path string, query url.Values, out any) error {
	return v.doJSON(ctx, http.MethodGet, path, query, nil, out)
}

func (v *Viewer) doJSON(ctx context.Context, method, path string, query url.Values, body, out any) error {
	resp, err := v.do(ctx, method, path, query, body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxJSONSize+1))
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("share: %s %s: %w", method, path, ctx.Err())
		}
		return fmt.Errorf("%w: %s %s: reading body: %w", ErrHTTP, method, path, err)
	}
	if len(b) > maxJSONSize {
		return fmt.Errorf("%w: %s %s: body larger than %d bytes", ErrBadResponse, method, path, maxJSONSize)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%w: %s %s: %v", ErrBadResponse, method, path, err)
	}
	return nil
}
