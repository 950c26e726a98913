package share

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/share/internal/wire"
)

// DefaultAPIBase is Ente's API server.
const DefaultAPIBase = "https://api.ente.io"

// Defaults of the bounds in Options, which keep a misbehaving or malicious
// server from making a Viewer run, grow or wait without end.
const (
	// DefaultMaxFiles bounds the entries an album may hold.
	DefaultMaxFiles = 1_000_000
	// DefaultMaxSkipped bounds the undecryptable entries a Viewer keeps
	// (for Undecryptable and the cache); more are counted, not kept.
	DefaultMaxSkipped = 1000
	// DefaultMaxPages bounds the diff pages of one Sync. Ente's server
	// sends up to 2,500 entries a page.
	DefaultMaxPages = 10_000
	// DefaultHeaderTimeout bounds the wait for a response's headers.
	DefaultHeaderTimeout = time.Minute
	// DefaultStallTimeout bounds the wait for the next byte of a response
	// body; a download may take as long as it likes while bytes flow.
	DefaultStallTimeout = time.Minute
)

// Options configure a Viewer. The zero value syncs against Ente's API with
// a default HTTP client, keeps state in memory only, and applies the
// default bounds.
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

	// MaxFiles bounds the live entries of the album (default
	// DefaultMaxFiles); MaxPages the diff pages of one Sync, which also
	// may not receive more than 2×MaxFiles entries (default
	// DefaultMaxPages); MaxSkipped the undecryptable entries kept (default
	// DefaultMaxSkipped). Sync fails with ErrServerMisbehaving when the
	// server goes beyond MaxFiles or MaxPages.
	MaxFiles, MaxPages, MaxSkipped int
	// HeaderTimeout bounds the wait for each response's headers, and
	// StallTimeout the wait for each next byte of a body (defaults
	// DefaultHeaderTimeout and DefaultStallTimeout; negative: no bound).
	// Either failing is ErrStalled.
	HeaderTimeout, StallTimeout time.Duration
	// UserAgent is sent with every request; "e2ee/<module version>" if
	// empty. Ente's server counts a link's devices by device token, and
	// by address and User-Agent for a client without one.
	UserAgent string
}

// withDefaults fills in the zero bounds.
func (o Options) withDefaults() Options {
	o.MaxFiles = cmp.Or(o.MaxFiles, DefaultMaxFiles)
	o.MaxPages = cmp.Or(o.MaxPages, DefaultMaxPages)
	o.MaxSkipped = cmp.Or(o.MaxSkipped, DefaultMaxSkipped)
	o.HeaderTimeout = cmp.Or(o.HeaderTimeout, DefaultHeaderTimeout)
	o.StallTimeout = cmp.Or(o.StallTimeout, DefaultStallTimeout)
	o.UserAgent = cmp.Or(o.UserAgent, defaultUserAgent())
	return o
}

// Progress reports a download or an upload.
type Progress struct {
	FileID    int64 // 0 for an upload
	Thumbnail bool
	Upload    bool  // plaintext read for Viewer.Upload
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
	// Skipped lists the entries this Sync could not decrypt, up to
	// Options.MaxSkipped; SkippedCount counts them all.
	Skipped      []Skipped
	SkippedCount int
	// LegacyTags counts entries whose metadata was accepted although its
	// one message is tagged MESSAGE rather than FINAL (old clients wrote
	// it so; Ente's web client ignores the tag).
	LegacyTags int
	SinceTime  int64 // where the next Sync resumes (µs)
}

// Viewer syncs and decrypts a public album, as a browser does with an
// album link, without an account. Its methods are safe for concurrent use;
// Album, Undecryptable, PasswordProtected and Close never wait on the
// network. A Viewer prints as "share.Viewer(REDACTED)": it holds the key,
// the access token and the password session.
//
// A nil or zero Viewer (not made by NewViewer) never panics: Album is zero,
// CanUpload and PasswordProtected are false, Undecryptable is empty, Close
// does nothing, and the methods that need the network fail with ErrClosed.
type Viewer struct {
	redact[Viewer]
	s        *session
	opts     Options
	progress func(Progress)
	cache    *cacheFile // nil without a CacheDir

	syncMu sync.Mutex // serialises Sync and Unlock (network, then state)

	mu      sync.Mutex // guards the rest; never held across network I/O
	closed  bool
	key     *secret.Key
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
	s, err := newSession(link.AccessToken, opts, wire.InfoPath)
	if err != nil {
		return nil, err
	}
	key, err := copyKey(link.Key)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidLink, err)
	}
	v := &Viewer{s: s, key: key, opts: s.opts, progress: opts.Progress, st: newState(),
		files: map[int64]*openedFile{}, skipped: map[int64]error{}}
	if opts.CacheDir == "" {
		return v, nil
	}
	if err := os.MkdirAll(opts.CacheDir, 0o700); err != nil {
		return nil, fmt.Errorf("share: cache directory: %w", err)
	}
	path := cachePath(opts.CacheDir, s.token)
	removeStrayTemps(path)
	st, c, err := loadState(path)
	if err != nil {
		return nil, err
	}
	v.cache = c
	s.setDeviceToken(st.deviceToken)
	if st.collection != nil {
		if v.head, err = openCollection(st.collection, v.key); err != nil {
			return nil, err
		}
		v.st = st
		s.setProtected(v.head.password != nil)
		for _, raw := range st.files {
			var f wire.File
			if json.Unmarshal(raw, &f) != nil {
				return nil, fmt.Errorf("%w: bad file entry", ErrCorruptCache)
			}
			v.applyLocked(raw, &f, v.key, &pageChange{})
		}
	}
	return v, nil
}

// defaultUserAgent names this module and its version, as the build
// recorded it.
func defaultUserAgent() string {
	version := "devel"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range append([]*debug.Module{&bi.Main}, bi.Deps...) {
			if m.Path == "github.com/e2eekit/e2ee" && m.Version != "" && m.Version != "(devel)" {
				version = m.Version
			}
		}
	}
	return "e2ee/" + version
}

func copyKey(k *secret.Key) (*secret.Key, error) {
	kb := k.Bytes()
	defer clear(kb)
	return secret.NewKey(kb)
}

// Close destroys the Viewer's keys (best effort, see secret.Key.Destroy)
// and cancels its requests in flight; later calls that need the network or
// a key fail with ErrClosed. It does not wait for them.
func (v *Viewer) Close() {
	if v == nil || v.s == nil {
		return
	}
	v.s.close()
	v.mu.Lock()
	defer v.mu.Unlock()
	v.closed = true
	v.key.Destroy()
	for _, f := range v.files {
		f.key.Destroy()
	}
	clear(v.files)
}

// Album returns the decrypted album as of the last Sync (or the cache).
func (v *Viewer) Album() Album {
	if v == nil {
		return Album{}
	}
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

// Undecryptable lists the entries of the album that did not decrypt (up to
// Options.MaxSkipped), sorted by file ID. They are not in Album.
func (v *Viewer) Undecryptable() []Skipped {
	if v == nil {
		return nil
	}
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
	if v == nil {
		return false
	}
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
	if v == nil || v.s == nil {
		return errZeroViewer
	}
	v.syncMu.Lock()
	defer v.syncMu.Unlock()
	key, err := v.keyCopy()
	if err != nil {
		return err
	}
	defer key.Destroy()
	head, err := v.fetchInfo(ctx, key)
	if err != nil || head.password == nil {
		return err
	}
	return v.s.unlock(ctx, wire.VerifyPasswordPath, password, *head.password)
}

// keyCopy returns a copy of the album key for work outside the lock, so
// that Close never waits for it.
func (v *Viewer) keyCopy() (*secret.Key, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.closed {
		return nil, ErrClosed
	}
	return copyKey(v.key)
}

// fetchInfo gets and decrypts the collection, then installs it. A
// different collection than the cached one (the token now names another
// album) resets the state. Called with syncMu held.
func (v *Viewer) fetchInfo(ctx context.Context, key *secret.Key) (*albumHead, error) {
	var info wire.InfoResponse
	if err := v.s.getJSON(ctx, wire.InfoPath, nil, &info); err != nil {
		return nil, err
	}
	if len(info.Collection) == 0 {
		return nil, fmt.Errorf("%w: info without a collection", ErrBadResponse)
	}
	head, err := openCollection(info.Collection, key)
	if err != nil {
		return nil, err
	}
	stripped, err := stripLinks(info.Collection)
	if err != nil {
		return nil, fmt.Errorf("%w: collection: %v", ErrBadResponse, err)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.closed {
		return nil, ErrClosed
	}
	if v.head != nil && v.head.id != head.id {
		v.resetLocked()
	}
	v.head = head
	v.st.collection = stripped
	v.s.setProtected(head.password != nil)
	return head, nil
}

func (v *Viewer) resetLocked() {
	for _, f := range v.files {
		f.key.Destroy()
	}
	device := v.st.deviceToken // tied to the access token, not the album
	v.st = newState()
	v.st.deviceToken = device
	v.files = map[int64]*openedFile{}
	v.skipped = map[int64]error{}
}

// Sync brings the album up to date: it fetches the album's info, then
// pages through the diff from the last sinceTime while the server says
// hasMore, decrypting new and changed entries and dropping deleted ones.
// With a cache, each page's changes are flushed to disk before the next
// page is fetched, so a crash or a cancelled context loses at most the
// page in flight and the next Sync resumes where the last saved page
// ended.
//
// Entries that do not decrypt are skipped, listed in SyncResult.Skipped
// and Undecryptable, and reported by an error wrapping ErrUndecryptable
// returned with the (otherwise complete) result. A server that goes
// beyond the bounds in Options gets ErrServerMisbehaving; what was synced
// before stays.
func (v *Viewer) Sync(ctx context.Context) (SyncResult, error) {
	if v == nil || v.s == nil {
		return SyncResult{}, errZeroViewer
	}
	v.syncMu.Lock()
	defer v.syncMu.Unlock()
	var res SyncResult
	key, err := v.keyCopy()
	if err != nil {
		return res, err
	}
	defer key.Destroy()
	head, err := v.fetchInfo(ctx, key)
	if err != nil {
		return res, err
	}
	v.mu.Lock()
	since := v.st.sinceTime
	v.mu.Unlock()
	if head.password != nil && !v.s.hasJWT() {
		return res, fmt.Errorf("%w: call Unlock first", ErrPasswordRequired)
	}
	received := 0
	for {
		if res.Pages == v.opts.MaxPages {
			return res, fmt.Errorf("%w: more than %d diff pages in one sync", ErrServerMisbehaving, v.opts.MaxPages)
		}
		var page wire.DiffResponse
		q := url.Values{"sinceTime": {strconv.FormatInt(since, 10)}}
		if err := v.s.getJSON(ctx, wire.DiffPath, q, &page); err != nil {
			res.SinceTime = since
			return res, err
		}
		res.Pages++
		if received += len(page.Diff); received > 2*v.opts.MaxFiles {
			return res, fmt.Errorf("%w: more than %d diff entries in one sync", ErrServerMisbehaving, 2*v.opts.MaxFiles)
		}
		// Decode and decrypt the whole page before applying any of it.
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
		opened := make([]openResult, len(entries))
		for i := range entries {
			if !entries[i].IsDeleted {
				opened[i] = openEntry(&entries[i], key, head.id)
			}
		}
		d, err := v.applyPage(page.Diff, entries, opened, next, &res)
		if err != nil {
			return res, err
		}
		since = next
		if v.cache != nil {
			// Only Sync changes the state's maps, and it holds syncMu: the
			// snapshot needs no copy.
			if err := v.cache.append(d, v.st); err != nil {
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
	res.SinceTime = since
	if res.SkippedCount > 0 {
		ids := make([]string, 0, 5)
		for _, s := range res.Skipped[:min(5, len(res.Skipped))] {
			ids = append(ids, strconv.FormatInt(s.FileID, 10))
		}
		return res, fmt.Errorf("%w: skipped %d entries (file IDs %s…); the rest of the album synced",
			ErrUndecryptable, res.SkippedCount, strings.Join(ids, ", "))
	}
	return res, nil
}

// openResult is a decrypted entry, or why it did not decrypt.
type openResult struct {
	f      *openedFile
	err    error
	legacy bool
}

func openEntry(f *wire.File, key *secret.Key, collectionID int64) openResult {
	o, legacy, err := openFile(f, key, collectionID)
	return openResult{o, err, legacy}
}

// pageChange collects what applying entries changed, for the cache.
type pageChange struct {
	put []json.RawMessage
	del []int64
}

// applyPage installs a decoded and decrypted page in the state, unless it
// would take the album beyond MaxFiles, and returns its cache record.
func (v *Viewer) applyPage(raws []json.RawMessage, entries []wire.File, opened []openResult, next int64, res *SyncResult) (*deltaLine, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.closed {
		for _, o := range opened {
			if o.f != nil {
				o.f.key.Destroy()
			}
		}
		return nil, ErrClosed
	}
	live := len(v.st.files)
	seen := make(map[int64]bool, len(entries))
	for i := range entries {
		id := entries[i].ID
		_, had := v.st.files[id]
		had = had || seen[id]
		switch {
		case entries[i].IsDeleted && had:
			live--
		case !entries[i].IsDeleted && !had:
			live++
		}
		seen[id] = !entries[i].IsDeleted
	}
	if live > v.opts.MaxFiles {
		for _, o := range opened {
			if o.f != nil {
				o.f.key.Destroy()
			}
		}
		return nil, fmt.Errorf("%w: album would hold more than %d files", ErrServerMisbehaving, v.opts.MaxFiles)
	}
	var ch pageChange
	for i := range entries {
		v.applyOpened(raws[i], &entries[i], opened[i], &ch, res)
	}
	v.st.sinceTime = next
	v.st.deviceToken = v.s.deviceToken()
	return &deltaLine{SinceTime: next, DeviceToken: v.st.deviceToken, Collection: v.st.collection, Put: ch.put, Del: ch.del}, nil
}

// applyLocked decrypts and records one entry (used when loading the
// cache).
func (v *Viewer) applyLocked(raw json.RawMessage, f *wire.File, key *secret.Key, ch *pageChange) {
	var o openResult
	if !f.IsDeleted {
		o = openEntry(f, key, v.head.id)
	}
	v.applyOpened(raw, f, o, ch, nil)
}

// applyOpened records one diff entry (raw, and f decoded from it, and o
// its decryption) in the state and the decrypted view; r, if not nil,
// counts the change.
func (v *Viewer) applyOpened(raw json.RawMessage, f *wire.File, o openResult, ch *pageChange, r *SyncResult) {
	old, existed := v.files[f.ID]
	if existed {
		old.key.Destroy()
		delete(v.files, f.ID)
	}
	_, wasSkipped := v.skipped[f.ID]
	delete(v.skipped, f.ID)
	_, cached := v.st.files[f.ID]
	drop := func() {
		if cached {
			delete(v.st.files, f.ID)
			ch.del = append(ch.del, f.ID)
		}
	}
	if f.IsDeleted {
		drop()
		if r != nil && (existed || wasSkipped) {
			r.Deleted++
		}
		return
	}
	if o.err != nil {
		if r != nil {
			r.SkippedCount++
			if len(r.Skipped) < v.opts.MaxSkipped {
				r.Skipped = append(r.Skipped, Skipped{f.ID, o.err})
			}
		}
		if len(v.skipped) >= v.opts.MaxSkipped {
			drop() // counted, not kept: the bound holds memory and cache
			return
		}
		v.skipped[f.ID] = o.err
	} else {
		v.files[f.ID] = o.f
	}
	v.st.files[f.ID] = raw
	ch.put = append(ch.put, raw)
	if r == nil || o.err != nil {
		return
	}
	if o.legacy {
		r.LegacyTags++
	}
	if existed || wasSkipped {
		r.Updated++
	} else {
		r.Added++
	}
}
