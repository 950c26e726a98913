package share

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/share/internal/wire"
)

// DefaultAPIBase is Ente's API server.
const DefaultAPIBase = "https://api.ente.io"

// Options configure a Viewer. The zero value syncs against Ente's API with
// a default HTTP client and keeps state in memory only.
type Options struct {
	// APIBase is the API server's URL; DefaultAPIBase if empty.
	APIBase string
	// HTTPClient sends the requests; a copy is used whose redirects drop
	// the link's credentials when they leave the API host.
	HTTPClient *http.Client
	// CacheDir, if set, keeps the album's state between runs (see Sync).
	CacheDir string
	// Progress, if set, is called after each write of plaintext by a
	// download, on the goroutine that called DownloadFile or
	// DownloadThumbnail.
	Progress func(Progress)
}

// Progress reports a download.
type Progress struct {
	FileID    int64
	Thumbnail bool
	Done      int64 // plaintext bytes written so far
	Total     int64 // plaintext size, or -1 when the server did not say
}

// Skipped is an entry that Sync could not decrypt; Err wraps
// ErrUndecryptable.
type Skipped struct {
	FileID int64
	Err    error
}

// SyncResult counts what one Sync changed.
type SyncResult struct {
	Pages                   int // diff pages fetched
	Added, Updated, Deleted int
	Skipped                 []Skipped // entries this Sync could not decrypt
	SinceTime               int64     // where the next Sync resumes (µs)
}

// Viewer syncs and decrypts a public album, as a browser does with an
// album link, without an account. Its methods are safe for concurrent use.
type Viewer struct {
	token    string
	key      *secret.Key
	api      *url.URL
	client   *http.Client
	progress func(Progress)
	cache    string // cache file path, or ""

	mu      sync.Mutex
	jwt     string
	head    *albumHead
	st      *state
	files   map[int64]*openedFile
	skipped map[int64]error
}

// NewViewer returns a Viewer for link. With a CacheDir it loads the cached
// state (decrypting it with the link's key) but makes no request; call
// Sync. The Viewer keeps its own copy of the key: Close destroys it.
func NewViewer(link *Link, opts Options) (*Viewer, error) {
	if link == nil || link.Key == nil {
		return nil, fmt.Errorf("%w: no key", ErrInvalidLink)
	}
	if err := checkToken(link.AccessToken); err != nil {
		return nil, err
	}
	base := cmp.Or(opts.APIBase, DefaultAPIBase)
	api, err := url.Parse(base)
	if err != nil || (api.Scheme != "https" && api.Scheme != "http") || api.Host == "" {
		return nil, fmt.Errorf("share: API base %q is not an http(s) URL", base)
	}
	kb := link.Key.Bytes()
	key, _ := secret.NewKey(kb)
	clear(kb)
	v := &Viewer{token: link.AccessToken, key: key, api: api, client: newClient(opts.HTTPClient),
		progress: opts.Progress, st: newState(), files: map[int64]*openedFile{}, skipped: map[int64]error{}}
	if opts.CacheDir != "" {
		if err := os.MkdirAll(opts.CacheDir, 0o700); err != nil {
			return nil, fmt.Errorf("share: cache directory: %w", err)
		}
		v.cache = cachePath(opts.CacheDir, v.token)
		removeStrayTemps(v.cache)
		st, err := loadState(v.cache)
		if err != nil {
			return nil, err
		}
		if st.collection != nil {
			if v.head, err = openCollection(st.collection, v.key); err != nil {
				return nil, err
			}
			v.st = st
			for _, raw := range st.files {
				var f wire.File
				if json.Unmarshal(raw, &f) != nil {
					return nil, fmt.Errorf("%w: bad file entry", ErrCorruptCache)
				}
				v.apply(raw, &f, nil)
			}
		}
	}
	return v, nil
}

// Close destroys the Viewer's keys (best effort, see secret.Key.Destroy).
func (v *Viewer) Close() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.key.Destroy()
	for _, f := range v.files {
		f.key.Destroy()
	}
	clear(v.files)
}

// Album returns the decrypted album as of the last Sync (or the cache).
func (v *Viewer) Album() Album {
	v.mu.Lock()
	defer v.mu.Unlock()
	var a Album
	if v.head != nil {
		a.ID, a.Name, a.Metadata, a.PublicMetadata = v.head.id, v.head.name, v.head.meta, v.head.pubMeta
	}
	for _, f := range v.files {
		a.Files = append(a.Files, f.File)
	}
	slices.SortFunc(a.Files, func(x, y File) int {
		return cmp.Or(cmp.Compare(x.CreationTime, y.CreationTime), cmp.Compare(x.ID, y.ID))
	})
	return a
}

// Undecryptable lists every entry in the album that did not decrypt, sorted
// by file ID. They are not in Album.
func (v *Viewer) Undecryptable() []Skipped {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := make([]Skipped, 0, len(v.skipped))
	for id, err := range v.skipped {
		out = append(out, Skipped{id, err})
	}
	slices.SortFunc(out, func(x, y Skipped) int { return cmp.Compare(x.FileID, y.FileID) })
	return out
}

// PasswordProtected reports whether the link needs Unlock, as of the last
// request for the album's info.
func (v *Viewer) PasswordProtected() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.head != nil && v.head.password != nil
}

// Unlock derives the link password's hash with the params the server
// returned (capped by PasswordLimits), posts it to verify-password, and
// keeps the JWT the server answers with for the following requests. A
// rejected password is ErrIncorrectPassword. Unlock on a link without a
// password does nothing.
func (v *Viewer) Unlock(ctx context.Context, password []byte) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.fetchInfo(ctx); err != nil {
		return err
	}
	if v.head.password == nil {
		return nil
	}
	h, err := LinkPassHash(password, *v.head.password)
	if err != nil {
		return err
	}
	defer h.k.Destroy()
	var resp wire.VerifyPasswordResponse
	err = v.doJSON(ctx, http.MethodPost, wire.VerifyPasswordPath, nil, wire.VerifyPasswordRequest{PassHash: h.Base64()}, &resp)
	var he *HTTPError
	if errors.As(err, &he) && (he.StatusCode == http.StatusUnauthorized || he.StatusCode == http.StatusForbidden) {
		he.kind = ErrIncorrectPassword
		return he
	}
	if err != nil {
		return err
	}
	if resp.JWTToken == "" || strings.ContainsAny(resp.JWTToken, "\r\n") {
		return fmt.Errorf("%w: verify-password returned no usable token", ErrBadResponse)
	}
	v.jwt = resp.JWTToken
	return nil
}

// fetchInfo gets and decrypts the collection. A different collection than
// the cached one (the token now names another album) resets the state.
func (v *Viewer) fetchInfo(ctx context.Context) error {
	var info wire.InfoResponse
	if err := v.getJSON(ctx, wire.InfoPath, nil, &info); err != nil {
		return err
	}
	if len(info.Collection) == 0 {
		return fmt.Errorf("%w: info without a collection", ErrBadResponse)
	}
	head, err := openCollection(info.Collection, v.key)
	if err != nil {
		return err
	}
	if v.head != nil && v.head.id != head.id {
		v.resetLocked()
	}
	v.head = head
	v.st.collection = info.Collection
	return nil
}

func (v *Viewer) resetLocked() {
	for _, f := range v.files {
		f.key.Destroy()
	}
	v.st = newState()
	v.files = map[int64]*openedFile{}
	v.skipped = map[int64]error{}
}

// Sync brings the album up to date: it fetches the album's info, then
// pages through the diff from the last sinceTime while the server says
// hasMore, decrypting new and changed entries and dropping deleted ones.
// With a cache, the state is saved atomically after every page, so a
// crash or a cancelled context loses at most the page in flight and the
// next Sync resumes where the last saved page ended.
//
// Entries that do not decrypt are skipped, listed in SyncResult.Skipped
// and Undecryptable, and reported by an error wrapping ErrUndecryptable
// returned with the (otherwise complete) result.
func (v *Viewer) Sync(ctx context.Context) (SyncResult, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	var res SyncResult
	if err := v.fetchInfo(ctx); err != nil {
		return res, err
	}
	if v.head.password != nil && v.jwt == "" {
		return res, fmt.Errorf("%w: call Unlock first", ErrPasswordRequired)
	}
	for {
		since := v.st.sinceTime
		var page wire.DiffResponse
		q := url.Values{"sinceTime": {strconv.FormatInt(since, 10)}}
		if err := v.getJSON(ctx, wire.DiffPath, q, &page); err != nil {
			res.SinceTime = since
			return res, err
		}
		res.Pages++
		// Decode the whole page before applying any of it.
		entries := make([]wire.File, len(page.Diff))
		next := since
		for i, raw := range page.Diff {
			if err := json.Unmarshal(raw, &entries[i]); err != nil {
				return res, fmt.Errorf("%w: diff entry: %v", ErrBadResponse, err)
			}
			next = max(next, entries[i].UpdationTime)
		}
		if page.HasMore && next <= since {
			return res, fmt.Errorf("%w: diff has more but does not advance past sinceTime %d", ErrBadResponse, since)
		}
		for i, raw := range page.Diff {
			v.apply(raw, &entries[i], &res)
		}
		v.st.sinceTime = next
		if v.cache != "" {
			if err := saveState(v.cache, v.st); err != nil {
				return res, err
			}
		}
		if !page.HasMore {
			break
		}
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("share: sync: %w", err)
		}
	}
	res.SinceTime = v.st.sinceTime
	if len(res.Skipped) > 0 {
		ids := make([]string, 0, 5)
		for _, s := range res.Skipped[:min(5, len(res.Skipped))] {
			ids = append(ids, strconv.FormatInt(s.FileID, 10))
		}
		return res, fmt.Errorf("%w: skipped %d entries (file IDs %s…); the rest of the album synced",
			ErrUndecryptable, len(res.Skipped), strings.Join(ids, ", "))
	}
	return res, nil
}

// apply records one diff entry (raw, and f decoded from it) in the state
// and the decrypted view; r, if not nil, counts the change.
func (v *Viewer) apply(raw json.RawMessage, f *wire.File, r *SyncResult) {
	old, existed := v.files[f.ID]
	if existed {
		old.key.Destroy()
		delete(v.files, f.ID)
	}
	_, wasSkipped := v.skipped[f.ID]
	delete(v.skipped, f.ID)
	if f.IsDeleted {
		delete(v.st.files, f.ID)
		if r != nil && (existed || wasSkipped) {
			r.Deleted++
		}
		return
	}
	v.st.files[f.ID] = raw
	o, err := openFile(f, v.key, v.head.id)
	if err != nil {
		v.skipped[f.ID] = err
		if r != nil {
			r.Skipped = append(r.Skipped, Skipped{f.ID, err})
		}
		return
	}
	v.files[f.ID] = o
	if r == nil {
		return
	}
	if existed || wasSkipped {
		r.Updated++
	} else {
		r.Added++
	}
}
