// Package museum is a small test-only client for Ente's server (museum),
// driving it as an album owner's app would: sign-up and login by e-mail
// one-time token, key attributes, collections, uploads, trash and public
// links. The integration suite (build tag integration) uses it to put real
// objects on a real server and then reads them back with share.Viewer.
//
// It is not public API and not hardened: it trusts the server it talks to
// (a local museum, such as the one scripts/integration.sh starts). Request and response
// shapes follow museum's handlers (server/ente/*.go in ente-io/ente).
package museum

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/record"
)

// ErrStatus reports a non-2xx answer; *StatusError wraps it.
var ErrStatus = errors.New("museum: unexpected HTTP status")

// StatusError is a non-2xx answer, with the start of its body (museum's
// error JSON, which holds no secret of ours).
type StatusError struct {
	Method, Path string
	Code         int
	Body         string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("museum: %s %s: HTTP %d %s", e.Method, e.Path, e.Code, e.Body)
}

func (e *StatusError) Unwrap() error { return ErrStatus }

// IsStatus reports whether err is a StatusError with code.
func IsStatus(err error, code int) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Code == code
}

// Client talks to one museum as one account.
type Client struct {
	api   *url.URL
	http  *http.Client
	token string // X-Auth-Token, once logged in

	// Sleep waits between retries of a 429; tests replace it. It returns
	// early with the context's error.
	Sleep func(context.Context, time.Duration) error
	// RetryFor bounds the total wait for one rate-limited request. Museum's
	// limits are per minute, so a little over a minute always suffices.
	RetryFor time.Duration
	// Logf, if set, reports each back-off.
	Logf func(format string, args ...any)
}

// New returns a client for the API at base (such as MUSEUM_API).
func New(base string) (*Client, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("museum: API base %q is not an http(s) URL", base)
	}
	return &Client{api: u, http: &http.Client{Timeout: 2 * time.Minute}, Sleep: sleep, RetryFor: 90 * time.Second}, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// SetToken sets the X-Auth-Token of later requests (HeaderValue of an
// opened keys.AuthToken, or the plain token museum returns at sign-up).
func (c *Client) SetToken(t string) { c.token = t }

// API returns the API base URL.
func (c *Client) API() string { return c.api.String() }

// do sends a JSON request and decodes a JSON answer into out (if not nil).
// A 429 is retried after Retry-After, or with a doubling back-off from 2 s
// when museum does not say (it does not), for at most RetryFor in all:
// /users/ott, /users/verify-email and the password endpoints allow 10
// requests a minute per address and path, and a suite re-run within the
// minute must still pass.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, in, out any) error {
	return c.Do(ctx, method, path, query, nil, in, out)
}

// Do is do with extra request headers (such as a public link's access
// token), for calls the client has no method for; out may be a
// *json.RawMessage to keep the answer as museum sent it.
func (c *Client) Do(ctx context.Context, method, path string, query url.Values, header http.Header, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("museum: %s %s: %w", method, path, err)
		}
	}
	u := c.api.JoinPath(path)
	u.RawQuery = query.Encode()
	waited, backoff := time.Duration(0), 2*time.Second
	for {
		req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("museum: %s %s: %w", method, path, err)
		}
		if in != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if c.token != "" {
			req.Header.Set("X-Auth-Token", c.token)
		}
		for k, v := range header {
			req.Header[k] = v
		}
		resp, err := c.http.Do(req)
		if err != nil {
			return fmt.Errorf("museum: %s %s: %w", method, path, err)
		}
		b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("museum: %s %s: reading body: %w", method, path, err)
		}
		if resp.StatusCode == http.StatusTooManyRequests && waited < c.RetryFor {
			d := retryAfter(resp.Header.Get("Retry-After"), backoff)
			d = min(d, c.RetryFor-waited)
			if c.Logf != nil {
				c.Logf("museum: %s %s: 429, retrying in %v", method, path, d)
			}
			if err := c.Sleep(ctx, d); err != nil {
				return fmt.Errorf("museum: %s %s: %w", method, path, err)
			}
			waited += d
			backoff = min(2*backoff, 30*time.Second)
			continue
		}
		if resp.StatusCode/100 != 2 {
			return &StatusError{Method: method, Path: path, Code: resp.StatusCode, Body: clip(string(b))}
		}
		if out == nil || len(b) == 0 {
			return nil
		}
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("museum: %s %s: decoding the answer: %w", method, path, err)
		}
		return nil
	}
}

// retryAfter reads Retry-After in seconds or as an HTTP date, else def.
func retryAfter(h string, def time.Duration) time.Duration {
	if s, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(time.Until(t), 0)
	}
	return def
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// SendOTT asks for an e-mail one-time token; purpose is "signup" or
// "login". Museum answers addresses of its hard-coded domain with its
// fixed token instead of sending mail.
func (c *Client) SendOTT(ctx context.Context, email, purpose string) error {
	return c.do(ctx, http.MethodPost, "/users/ott", nil, map[string]any{"email": email, "purpose": purpose}, nil)
}

// Verified is POST /users/verify-email's answer: a new account gets a
// plain Token; one with key attributes gets them with the token sealed to
// its public key (EncryptedToken, for keys.OpenToken).
type Verified struct {
	ID             int64             `json:"id"`
	Token          string            `json:"token"`
	EncryptedToken record.Ciphertext `json:"encryptedToken"`
	KeyAttributes  json.RawMessage   `json:"keyAttributes"`
}

// VerifyEmail trades the one-time token for a session.
func (c *Client) VerifyEmail(ctx context.Context, email, ott string) (*Verified, error) {
	var v Verified
	err := c.do(ctx, http.MethodPost, "/users/verify-email", nil, map[string]any{"email": email, "ott": ott}, &v)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// SetAttributes stores the account's key attributes (keys.Attributes, or
// its JSON).
func (c *Client) SetAttributes(ctx context.Context, attrs any) error {
	return c.do(ctx, http.MethodPut, "/users/attributes", nil, map[string]any{"keyAttributes": attrs}, nil)
}

// Collection is the part of museum's collection record the suite reads.
type Collection struct {
	ID                  int64  `json:"id"`
	EncryptedKey        string `json:"encryptedKey"`
	KeyDecryptionNonce  string `json:"keyDecryptionNonce"`
	EncryptedName       string `json:"encryptedName"`
	NameDecryptionNonce string `json:"nameDecryptionNonce"`
	Type                string `json:"type"`
	IsDeleted           bool   `json:"isDeleted"`
}

// NewCollection is the body of POST /collections: the collection key
// wrapped under the owner's master key, and the name in a secretbox under
// the collection key (base64 strings, as on the wire).
type NewCollection struct {
	EncryptedKey        string         `json:"encryptedKey"`
	KeyDecryptionNonce  string         `json:"keyDecryptionNonce"`
	EncryptedName       string         `json:"encryptedName"`
	NameDecryptionNonce string         `json:"nameDecryptionNonce"`
	Type                string         `json:"type"`
	Attributes          map[string]any `json:"attributes"`
}

// CreateCollection creates an album and returns its ID.
func (c *Client) CreateCollection(ctx context.Context, nc NewCollection) (int64, error) {
	if nc.Type == "" {
		nc.Type = "album"
	}
	if nc.Attributes == nil {
		nc.Attributes = map[string]any{}
	}
	var out struct {
		Collection Collection `json:"collection"`
	}
	if err := c.do(ctx, http.MethodPost, "/collections", nil, nc, &out); err != nil {
		return 0, err
	}
	return out.Collection.ID, nil
}

// Collections lists the account's collections (GET /collections/v2).
func (c *Client) Collections(ctx context.Context) ([]Collection, error) {
	var out struct {
		Collections []Collection `json:"collections"`
	}
	err := c.do(ctx, http.MethodGet, "/collections/v2", url.Values{"sinceTime": {"0"}}, nil, &out)
	return out.Collections, err
}

// Object is one encrypted object of a file: the stored ciphertext (file or
// thumbnail, uploaded to storage) or inline data (metadata), with its
// secretstream header, base64 as on the wire.
type Object struct {
	Data   []byte // uploaded, for file and thumbnail
	Inline string // encryptedData, for metadata
	Header string
}

// NewFile is a file to add to a collection: its key wrapped under the
// collection key, and its three objects.
type NewFile struct {
	CollectionID                     int64
	EncryptedKey, KeyDecryptionNonce string
	File, Thumbnail, Metadata        Object
}

// Upload puts the file and its thumbnail into storage through presigned
// URLs (GET /files/upload-urls), then records the file (POST /files). It
// returns the file's ID.
func (c *Client) Upload(ctx context.Context, f NewFile) (int64, error) {
	var urls struct {
		URLs []struct {
			ObjectKey string `json:"objectKey"`
			URL       string `json:"url"`
		} `json:"urls"`
	}
	if err := c.do(ctx, http.MethodGet, "/files/upload-urls", url.Values{"count": {"2"}}, nil, &urls); err != nil {
		return 0, err
	}
	if len(urls.URLs) != 2 {
		return 0, fmt.Errorf("museum: asked for 2 upload URLs, got %d", len(urls.URLs))
	}
	for i, data := range [][]byte{f.File.Data, f.Thumbnail.Data} {
		if err := c.put(ctx, urls.URLs[i].URL, data); err != nil {
			return 0, err
		}
	}
	type attrs struct {
		ObjectKey        string `json:"objectKey,omitempty"`
		EncryptedData    string `json:"encryptedData,omitempty"`
		DecryptionHeader string `json:"decryptionHeader"`
		Size             int64  `json:"size,omitempty"`
	}
	body := map[string]any{
		"collectionID":       f.CollectionID,
		"encryptedKey":       f.EncryptedKey,
		"keyDecryptionNonce": f.KeyDecryptionNonce,
		"file":               attrs{ObjectKey: urls.URLs[0].ObjectKey, DecryptionHeader: f.File.Header, Size: int64(len(f.File.Data))},
		"thumbnail":          attrs{ObjectKey: urls.URLs[1].ObjectKey, DecryptionHeader: f.Thumbnail.Header, Size: int64(len(f.Thumbnail.Data))},
		"metadata":           attrs{EncryptedData: f.Metadata.Inline, DecryptionHeader: f.Metadata.Header},
	}
	var out struct {
		ID int64 `json:"id"`
	}
	if err := c.do(ctx, http.MethodPost, "/files", nil, body, &out); err != nil {
		return 0, err
	}
	return out.ID, nil
}

// put uploads data to a presigned storage URL. It carries no credential of
// ours: the URL is its own authorisation.
func (c *Client) put(ctx context.Context, rawURL string, data []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, rawURL, bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("museum: presigned PUT: %w", err)
	}
	req.ContentLength = int64(len(data))
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("museum: presigned PUT: %w", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		// Not the URL: its query is a storage signature.
		return &StatusError{Method: http.MethodPut, Path: "(presigned upload)", Code: resp.StatusCode, Body: clip(string(b))}
	}
	return nil
}

// Trash moves files of a collection to the trash, which removes them from
// the collection (and its public link's diff).
func (c *Client) Trash(ctx context.Context, collectionID int64, fileIDs ...int64) error {
	items := make([]map[string]int64, len(fileIDs))
	for i, id := range fileIDs {
		items[i] = map[string]int64{"fileID": id, "collectionID": collectionID}
	}
	return c.do(ctx, http.MethodPost, "/files/trash", nil, map[string]any{"items": items}, nil)
}

// PublicURL is museum's description of a collection's link.
type PublicURL struct {
	URL             string `json:"url"` // {apps.public-albums}/?t={accessToken}, without the key
	DeviceLimit     int    `json:"deviceLimit"`
	ValidTill       int64  `json:"validTill"`
	PasswordEnabled bool   `json:"passwordEnabled"`
}

// ShareURL creates the collection's public link (POST
// /collections/share-url).
func (c *Client) ShareURL(ctx context.Context, collectionID int64) (*PublicURL, error) {
	var out struct {
		Result PublicURL `json:"result"`
	}
	if err := c.do(ctx, http.MethodPost, "/collections/share-url", nil, map[string]any{"collectionID": collectionID}, &out); err != nil {
		return nil, err
	}
	return &out.Result, nil
}

// UpdateShareURL changes the link (PUT /collections/share-url): fields
// such as validTill (µs), deviceLimit, disablePassword, or a link
// password's JSON (share.LinkPassword) merged in with extra.
func (c *Client) UpdateShareURL(ctx context.Context, collectionID int64, fields map[string]any, extra ...json.RawMessage) (*PublicURL, error) {
	body, err := merge(fields, extra)
	if err != nil {
		return nil, err
	}
	body["collectionID"] = collectionID
	var out struct {
		Result PublicURL `json:"result"`
	}
	if err := c.do(ctx, http.MethodPut, "/collections/share-url", nil, body, &out); err != nil {
		return nil, err
	}
	return &out.Result, nil
}

// DisableShareURL disables the collection's link.
func (c *Client) DisableShareURL(ctx context.Context, collectionID int64) error {
	return c.do(ctx, http.MethodDelete, "/collections/share-url/"+strconv.FormatInt(collectionID, 10), nil, nil, nil)
}

// Diff returns the entries of a collection changed after sinceTime, as the
// owner sees them (GET /collections/v2/diff).
func (c *Client) Diff(ctx context.Context, collectionID, sinceTime int64) ([]json.RawMessage, bool, error) {
	var out struct {
		Diff    []json.RawMessage `json:"diff"`
		HasMore bool              `json:"hasMore"`
	}
	q := url.Values{"collectionID": {strconv.FormatInt(collectionID, 10)}, "sinceTime": {strconv.FormatInt(sinceTime, 10)}}
	if err := c.do(ctx, http.MethodGet, "/collections/v2/diff", q, nil, &out); err != nil {
		return nil, false, err
	}
	return out.Diff, out.HasMore, nil
}

// Download returns a file's stored ciphertext, as its owner fetches it
// (GET /files/download/{id}, which redirects to storage).
func (c *Client) Download(ctx context.Context, fileID int64) ([]byte, error) {
	u := c.api.JoinPath("/files/download/" + strconv.FormatInt(fileID, 10))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-Auth-Token", c.token)
	// Go drops X-Auth-Token on a redirect to another host; storage needs
	// only its signed URL.
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("museum: download %d: %w", fileID, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<30))
	if resp.StatusCode/100 != 2 {
		return nil, &StatusError{Method: http.MethodGet, Path: u.Path, Code: resp.StatusCode, Body: clip(string(b))}
	}
	return b, err
}

// FileURL is museum's answer for a single-file link.
type FileURL struct {
	LinkID string `json:"linkID"`
	URL    string `json:"url"`
	FileID int64  `json:"fileID"`
}

// ShareFile creates a file's link (POST /files/share-url) with the body
// fields given (fileID and app are added), such as a share.FileLinkSecret's
// JSON merged in with extra.
func (c *Client) ShareFile(ctx context.Context, fileID int64, extra ...json.RawMessage) (*FileURL, error) {
	body, err := merge(nil, extra)
	if err != nil {
		return nil, err
	}
	body["fileID"], body["app"] = fileID, "photos"
	var out FileURL
	if err := c.do(ctx, http.MethodPost, "/files/share-url", nil, body, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateFileURL changes a file link (PUT /files/share-url): deviceLimit,
// validTill, or a link password's JSON merged in with extra.
func (c *Client) UpdateFileURL(ctx context.Context, l *FileURL, fields map[string]any, extra ...json.RawMessage) error {
	body, err := merge(fields, extra)
	if err != nil {
		return err
	}
	body["linkID"], body["fileID"] = l.LinkID, l.FileID
	return c.do(ctx, http.MethodPut, "/files/share-url", nil, body, nil)
}

// merge builds a request body from JSON objects (such as a
// share.LinkPassword's) and fields, which win.
func merge(fields map[string]any, extra []json.RawMessage) (map[string]any, error) {
	body := map[string]any{}
	for _, raw := range extra {
		if err := json.Unmarshal(raw, &body); err != nil {
			return nil, fmt.Errorf("museum: request fields: %w", err)
		}
	}
	for k, v := range fields {
		body[k] = v
	}
	return body, nil
}

// SRP (password sign-in), after museum's /users/srp/* handlers. Byte values
// (salt, verifier, A, B, M1, M2) are raw here and base64 on the wire.
// Museum allows 10 requests a minute per address and path on these routes
// (and per user on the private ones); do retries 429.

// SRPAttributes returns the "attributes" object of GET
// /users/srp/attributes (for keys.ParseSRPAttributes).
func (c *Client) SRPAttributes(ctx context.Context, email string) (json.RawMessage, error) {
	var out struct {
		Attributes json.RawMessage `json:"attributes"`
	}
	if err := c.do(ctx, http.MethodGet, "/users/srp/attributes", url.Values{"email": {email}}, nil, &out); err != nil {
		return nil, err
	}
	if len(out.Attributes) == 0 {
		return nil, errors.New("museum: GET /users/srp/attributes: no attributes")
	}
	return out.Attributes, nil
}

// SetupSRP is POST /users/srp/setup (signed in): the new SRP user ID, salt
// and verifier with the setup session's A. It returns the setup ID and B.
func (c *Client) SetupSRP(ctx context.Context, userID string, salt, verifier, a []byte) (setupID string, b []byte, err error) {
	var out struct {
		SetupID string `json:"setupID"`
		SRPB    string `json:"srpB"`
	}
	in := map[string]any{"srpUserID": userID, "srpSalt": b64.Encode(salt), "srpVerifier": b64.Encode(verifier), "srpA": b64.Encode(a)}
	if err := c.do(ctx, http.MethodPost, "/users/srp/setup", nil, in, &out); err != nil {
		return "", nil, err
	}
	b, err = decodeField("POST /users/srp/setup", "srpB", out.SRPB)
	return out.SetupID, b, err
}

// CompleteSRP is POST /users/srp/complete: the setup's M1 for its M2.
// Museum stores the verifier only when M1 checks.
func (c *Client) CompleteSRP(ctx context.Context, setupID string, m1 []byte) (m2 []byte, err error) {
	var out struct {
		SRPM2 string `json:"srpM2"`
	}
	if err := c.do(ctx, http.MethodPost, "/users/srp/complete", nil, map[string]any{"setupID": setupID, "srpM1": b64.Encode(m1)}, &out); err != nil {
		return nil, err
	}
	return decodeField("POST /users/srp/complete", "srpM2", out.SRPM2)
}

// UpdateSRP is POST /users/srp/update after a password change: the new
// setup's M1 with the five changed key attributes (keys.PasswordAttributes)
// in one request, so that museum switches verifier and attributes
// together. logOutOthers ends the account's other sessions.
func (c *Client) UpdateSRP(ctx context.Context, setupID string, m1 []byte, updated any, logOutOthers bool) (m2 []byte, err error) {
	var out struct {
		SRPM2 string `json:"srpM2"`
	}
	in := map[string]any{"setupID": setupID, "srpM1": b64.Encode(m1), "updatedKeyAttr": updated, "logOutOtherDevices": logOutOthers}
	if err := c.do(ctx, http.MethodPost, "/users/srp/update", nil, in, &out); err != nil {
		return nil, err
	}
	return decodeField("POST /users/srp/update", "srpM2", out.SRPM2)
}

// CreateSRPSession is POST /users/srp/create-session: A for B.
func (c *Client) CreateSRPSession(ctx context.Context, userID string, a []byte) (sessionID string, b []byte, err error) {
	var out struct {
		SessionID string `json:"sessionID"`
		SRPB      string `json:"srpB"`
	}
	if err := c.do(ctx, http.MethodPost, "/users/srp/create-session", nil, map[string]any{"srpUserID": userID, "srpA": b64.Encode(a)}, &out); err != nil {
		return "", nil, err
	}
	b, err = decodeField("POST /users/srp/create-session", "srpB", out.SRPB)
	return out.SessionID, b, err
}

// SRPVerified is POST /users/srp/verify-session's answer: as a login by
// one-time token (key attributes, the sealed token) plus M2, or a
// two-factor challenge instead.
type SRPVerified struct {
	Verified
	SRPM2              string `json:"srpM2"`
	TwoFactorSessionID string `json:"twoFactorSessionID"`
	PasskeySessionID   string `json:"passkeySessionID"`
}

// VerifySRPSession is POST /users/srp/verify-session: M1 for the account
// and M2. A wrong password is HTTP 401 (museum's ErrInvalidPassword).
func (c *Client) VerifySRPSession(ctx context.Context, sessionID, userID string, m1 []byte) (*SRPVerified, []byte, error) {
	var out SRPVerified
	in := map[string]any{"sessionID": sessionID, "srpUserID": userID, "srpM1": b64.Encode(m1)}
	if err := c.do(ctx, http.MethodPost, "/users/srp/verify-session", nil, in, &out); err != nil {
		return nil, nil, err
	}
	m2, err := decodeField("POST /users/srp/verify-session", "srpM2", out.SRPM2)
	if err != nil {
		return nil, nil, err
	}
	return &out, m2, nil
}

func decodeField(where, name, s string) ([]byte, error) {
	b, err := b64.Decode(s)
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("museum: %s: %s is not base64", where, name)
	}
	return b, nil
}
