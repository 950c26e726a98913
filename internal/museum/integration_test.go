//go:build integration

package museum_test

// The integration suite against Ente's real server (museum): `make
// integration`. One account per run (museum rate-limits sign-up and login
// per address), one Argon2id derivation at pwhash.EntePolicy, then one
// phase per subtest, in order; go test prints each phase's time.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/internal/museum"
	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/record"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
	"github.com/e2eekit/e2ee/share"
	"github.com/e2eekit/e2ee/stream"
)

// sizes of the uploaded files: empty, one byte, exactly one 4 MiB chunk,
// one byte into a second chunk, and three chunks.
var sizes = []int{0, 1, 4 << 20, 4<<20 + 1, 9<<20 + 12345}

// plain is what the owner encrypted, to compare every decrypted byte.
type plain struct {
	title        string
	data, thumb  []byte
	metadata     []byte
	creationTime int64
	modification int64
}

type suite struct {
	api, ott, email string
	c               *museum.Client
	secrets         *keys.Secrets

	albumID  int64
	albumKey *secret.Key
	name     string
	files    map[int64]plain // live files of the album
	link     *share.Link
	cacheDir string
	rec      *recorder
	progress map[int64]share.Progress // the last report of each file download
}

func TestMuseum(t *testing.T) {
	api, ott, suffix := os.Getenv("MUSEUM_API"), os.Getenv("MUSEUM_OTT"), os.Getenv("MUSEUM_EMAIL_SUFFIX")
	if api == "" || ott == "" || suffix == "" {
		t.Skip("NOTICE: integration SKIPPED (MUSEUM_API, MUSEUM_OTT and MUSEUM_EMAIL_SUFFIX not set)")
	}
	c, err := museum.New(api)
	require.NoError(t, err)
	c.Logf = t.Logf
	s := &suite{api: api, ott: ott, c: c, files: map[int64]plain{}, cacheDir: t.TempDir(), rec: &recorder{}, progress: map[int64]share.Progress{}}
	t.Cleanup(func() {
		if s.secrets != nil {
			s.secrets.Destroy()
		}
	})
	// A fresh address per run: a re-run never meets the last run's account.
	s.email = fmt.Sprintf("e2ee-it-%d%s", time.Now().UnixNano(), suffix)
	for _, p := range []struct {
		name string
		run  func(*testing.T)
	}{
		{"signup", s.signup},
		{"login", s.login},
		{"album", s.album},
		{"upload", s.upload},
		{"share-url", s.shareURL},
		{"sync", s.sync},
		{"incremental", s.incremental},
		{"reopen", s.reopen},
		{"password", s.password},
		{"device-limit", s.deviceLimit},
		{"collect", s.collect},
		{"file-links", s.fileLinks},
		{"album-cli", s.albumCLI},
		{"records", s.records},
		{"expiry", s.expiry},
		{"disabled", s.disabled},
		{"srp", s.srp}, // srp_test.go
	} {
		// each phase builds on the last
		require.True(t, t.Run(p.name, p.run), "phase %s failed; the next ones build on it", p.name)
	}
}

// signup: /users/ott + /users/verify-email with museum's hard-coded token,
// then PUT /users/attributes from keys.Generate at EntePolicy (the run's
// only Argon2id at sign-up cost).
func (s *suite) signup(t *testing.T) {
	ctx := t.Context()
	require.NoError(t, s.c.SendOTT(ctx, s.email, "signup"))
	v, err := s.c.VerifyEmail(ctx, s.email, s.ott)
	require.NoError(t, err)
	require.NotEmpty(t, v.Token, "a new account should get a plain token")
	require.Empty(t, v.EncryptedToken, "a new account should get a plain token, not an encryptedToken")
	s.c.SetToken(v.Token)
	start := time.Now()
	attrs, secrets, _, err := keys.Generate([]byte(password), pwhash.EntePolicy)
	require.NoError(t, err)
	s.secrets = secrets // destroyed when the whole suite ends
	require.NoError(t, s.c.SetAttributes(ctx, attrs))
	t.Logf("account %d; keys.Generate (Argon2id %d MiB × %d) took %v", v.ID, attrs.MemLimit>>20, attrs.OpsLimit, time.Since(start).Round(time.Millisecond))
}

const password = "correct horse battery staple"

// login: a second OTT login returns the stored key attributes and the
// session token sealed to the account's public key.
func (s *suite) login(t *testing.T) {
	ctx := t.Context()
	s.c.SetToken("")
	require.NoError(t, s.c.SendOTT(ctx, s.email, "login"))
	v, err := s.c.VerifyEmail(ctx, s.email, s.ott)
	require.NoError(t, err)
	require.NotEmpty(t, v.EncryptedToken, "login returned no encryptedToken")
	require.NotEmpty(t, v.KeyAttributes, "login returned no keyAttributes")
	var got keys.Attributes
	require.NoError(t, json.Unmarshal(v.KeyAttributes, &got), "server's keyAttributes")
	// The stored attributes open with the password's KEK (no second
	// Argon2id: the KEK is the one sign-up derived) to the same account.
	unlocked, err := keys.Unlock(s.secrets.KEK(), &got)
	require.NoError(t, err, "unlocking the server's attributes")
	require.True(t, unlocked.MasterKey().Equal(s.secrets.MasterKey()), "the server's attributes hold another master key")
	tok, err := keys.OpenToken(v.EncryptedToken, unlocked)
	require.NoError(t, err, "OpenToken")
	// Without a token a private call is refused; with it, it succeeds.
	_, err = s.c.Collections(ctx)
	require.True(t, museum.IsStatus(err, http.StatusUnauthorized), "GET /collections/v2 without a token: %v, want 401", err)
	s.c.SetToken(tok.HeaderValue())
	_, err = s.c.Collections(ctx)
	require.NoError(t, err, "GET /collections/v2 with the opened token")
}

// album: POST /collections with the key wrapped under the master key and
// an encrypted name, read back through GET /collections/v2.
func (s *suite) album(t *testing.T) {
	s.name = "Lisbon 2026 ✈"
	s.albumKey = secret.GenerateKey()
	s.albumID = s.createCollection(t, s.name, s.albumKey)
	cols, err := s.c.Collections(t.Context())
	require.NoError(t, err)
	i := slices.IndexFunc(cols, func(c museum.Collection) bool { return c.ID == s.albumID })
	require.GreaterOrEqual(t, i, 0, "collection %d not listed", s.albumID)
	w, err := record.NewWrappedKey(cols[i].EncryptedKey, cols[i].KeyDecryptionNonce)
	require.NoError(t, err)
	ck, err := keys.OpenCollectionKey(w, s.secrets.MasterKey())
	require.NoError(t, err, "collection key from the server")
	require.True(t, ck.Equal(s.albumKey), "collection key from the server differs")
	require.Equal(t, s.name, openName(t, cols[i], ck), "name")
}

func (s *suite) createCollection(t *testing.T, name string, ck *secret.Key) int64 {
	t.Helper()
	w := keys.WrapCollectionKey(ck, s.secrets.MasterKey())
	nonce := secretbox.RandomNonce()
	id, err := s.c.CreateCollection(t.Context(), museum.NewCollection{
		EncryptedKey:        b64.Encode(w.EncryptedKey),
		KeyDecryptionNonce:  text(w.KeyDecryptionNonce),
		EncryptedName:       b64.Encode(secretbox.Seal(nil, []byte(name), nonce, ck)),
		NameDecryptionNonce: text(nonce),
	})
	require.NoError(t, err)
	return id
}

func openName(t *testing.T, c museum.Collection, ck *secret.Key) string {
	t.Helper()
	box, err := b64.Decode(c.EncryptedName)
	require.NoError(t, err)
	var nonce secretbox.Nonce
	require.NoError(t, nonce.UnmarshalText([]byte(c.NameDecryptionNonce)))
	name, err := secretbox.Open(nil, box, &nonce, ck)
	require.NoError(t, err)
	return string(name)
}

// upload: the five sizes, each with a thumbnail and metadata.
func (s *suite) upload(t *testing.T) {
	for i, n := range sizes {
		_, _ = s.add(t, s.albumID, s.albumKey, fmt.Sprintf("file-%d-%d.bin", i, n), n)
	}
}

// add encrypts a file of n random bytes (stream), a thumbnail and its
// metadata (blobs) under a new file key wrapped by ck, uploads it, and
// records the plaintext.
func (s *suite) add(t *testing.T, collectionID int64, ck *secret.Key, title string, n int) (int64, plain) {
	t.Helper()
	return s.addPlain(t, collectionID, ck, plain{title: title, data: random(n), thumb: random(100 + n%3000)})
}

// addPlain uploads p (title, data, thumb) as add does.
func (s *suite) addPlain(t *testing.T, collectionID int64, ck *secret.Key, p plain) (int64, plain) {
	t.Helper()
	title, n := p.title, len(p.data)
	p.creationTime = time.Now().UnixMicro() - int64(n) // distinct and ordered by size
	p.modification = p.creationTime + 1
	p.metadata = fmt.Appendf(nil, `{"title":%q,"creationTime":%d,"modificationTime":%d,"fileType":0}`, title, p.creationTime, p.modification)

	fk := secret.GenerateKey()
	defer fk.Destroy()
	var ct bytes.Buffer
	w, fileHdr, err := stream.NewEncryptWriter(&ct, fk)
	require.NoError(t, err)
	_, err = w.Write(p.data)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	thumb, thumbHdr, err := stream.EncryptBlob(p.thumb, fk)
	require.NoError(t, err)
	md, mdHdr, err := stream.EncryptBlob(p.metadata, fk)
	require.NoError(t, err)
	wk := keys.WrapFileKey(fk, ck)
	id, err := s.c.Upload(t.Context(), museum.NewFile{
		CollectionID:       collectionID,
		EncryptedKey:       b64.Encode(wk.EncryptedKey),
		KeyDecryptionNonce: text(wk.KeyDecryptionNonce),
		File:               museum.Object{Data: ct.Bytes(), Header: text(fileHdr)},
		Thumbnail:          museum.Object{Data: thumb, Header: text(thumbHdr)},
		Metadata:           museum.Object{Inline: b64.Encode(md), Header: text(mdHdr)},
	})
	require.NoError(t, err, "upload %s", title)
	if collectionID == s.albumID {
		s.files[id] = p
	}
	return id, p
}

// shareURL: POST /collections/share-url; the owner appends the key as the
// fragment to the URL museum returns, as Ente's apps do.
func (s *suite) shareURL(t *testing.T) {
	s.link = s.publicLink(t, s.albumID, s.albumKey)
}

func (s *suite) publicLink(t *testing.T, collectionID int64, ck *secret.Key) *share.Link {
	t.Helper()
	pu, err := s.c.ShareURL(t.Context(), collectionID)
	require.NoError(t, err)
	link, err := share.ParseAlbumURL(pu.URL + "#" + share.EncodeKey(ck))
	require.NoError(t, err, "the server's link URL")
	return link
}

// viewer opens link on the museum, its requests recorded.
func (s *suite) viewer(t *testing.T, link *share.Link, opts share.Options) *share.Viewer {
	t.Helper()
	opts.APIBase = s.api
	opts.HTTPClient = &http.Client{Transport: s.rec}
	opts.Progress = func(p share.Progress) { // called on the downloading goroutine
		if !p.Thumbnail {
			s.progress[p.FileID] = p
		}
	}
	v, err := share.NewViewer(link, opts)
	require.NoError(t, err)
	t.Cleanup(v.Close)
	return v
}

// sync: the Viewer's first sync decrypts the album, every file and
// thumbnail; the device token comes back on every later request to the
// API and never reaches storage.
func (s *suite) sync(t *testing.T) {
	v := s.viewer(t, s.link, share.Options{CacheDir: s.cacheDir})
	res, err := v.Sync(t.Context())
	require.NoError(t, err)
	assert.Equal(t, len(sizes), res.Added, "first sync: %+v", res)
	assert.Zero(t, res.Deleted, "first sync: %+v", res)
	assert.Zero(t, res.SkippedCount, "first sync: %+v", res)
	s.check(t, v)
	_, err = v.Sync(t.Context()) // a second request to info and diff
	require.NoError(t, err)
	r := s.rec.snapshot()
	assert.NotZero(t, r.storage, "no download was redirected to storage")
	assert.Zero(t, r.deviceTokenToStorage, "storage saw the device token")
	assert.Zero(t, r.secretsToStorage, "storage saw the access token or JWT")
	assert.NotZero(t, r.apiWithDeviceToken, "no API request carried the device token museum handed out")
	assert.True(t, strings.HasPrefix(r.lastAgent, "e2ee/"), "User-Agent %q", r.lastAgent)
	t.Logf("%d API requests (%d with the device token), %d storage downloads", r.api, r.apiWithDeviceToken, r.storage)
}

// check compares the Viewer's album with what the owner encrypted: name,
// every entry's metadata, and every byte of every file and thumbnail.
func (s *suite) check(t *testing.T, v *share.Viewer) {
	t.Helper()
	a := v.Album()
	assert.Equal(t, s.albumID, a.ID, "album")
	assert.Equal(t, s.name, a.Name, "album")
	assert.Len(t, a.Files, len(s.files), "files")
	for _, f := range a.Files {
		p, ok := s.files[f.ID]
		if !assert.True(t, ok, "file %d should not be in the album", f.ID) {
			continue
		}
		assert.Equal(t, p.title, f.Title, "file %d", f.ID)
		assert.Equal(t, p.creationTime, f.CreationTime, "file %d", f.ID)
		assert.Equal(t, p.modification, f.ModificationTime, "file %d", f.ID)
		assert.Equal(t, p.metadata, []byte(f.Metadata), "file %d", f.ID)
		s.download(t, v, f.ID, p)
	}
}

func (s *suite) download(t *testing.T, v *share.Viewer, id int64, p plain) {
	t.Helper()
	var b bytes.Buffer
	n, err := v.DownloadFile(t.Context(), id, &b)
	assert.NoError(t, err, "file %d (%d bytes)", id, len(p.data))
	assert.Equal(t, int64(len(p.data)), n, "file %d (%d bytes)", id, len(p.data))
	// Files reach 9 MiB: bytes.Equal, as a diff of them would flood the log.
	assert.True(t, bytes.Equal(p.data, b.Bytes()), "file %d (%d bytes): the %d bytes downloaded differ", id, len(p.data), b.Len())
	// The plaintext size comes from storage's Content-Length.
	if len(p.data) > 0 {
		assert.Equal(t, share.Progress{FileID: id, Done: int64(len(p.data)), Total: int64(len(p.data))}, s.progress[id], "last progress")
	}
	b.Reset()
	_, err = v.DownloadThumbnail(t.Context(), id, &b)
	assert.NoError(t, err, "thumbnail %d", id)
	assert.Equal(t, p.thumb, b.Bytes(), "thumbnail %d", id)
}

// incremental: a file added and one trashed by the owner reach a Viewer
// that syncs from the cache's sinceTime.
func (s *suite) incremental(t *testing.T) {
	added, _ := s.add(t, s.albumID, s.albumKey, "late-arrival.txt", 1000)
	var trashed int64
	for id, p := range s.files {
		if len(p.data) == 1 {
			trashed = id
		}
	}
	require.NoError(t, s.c.Trash(t.Context(), s.albumID, trashed))
	delete(s.files, trashed)
	v := s.viewer(t, s.link, share.Options{CacheDir: s.cacheDir})
	res, err := v.Sync(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 1, res.Added, "incremental sync: %+v, want 1 added (%d) and 1 deleted (%d)", res, added, trashed)
	assert.Equal(t, 1, res.Deleted, "incremental sync: %+v, want 1 added (%d) and 1 deleted (%d)", res, added, trashed)
	assert.Zero(t, res.Updated, "incremental sync: %+v, want 1 added (%d) and 1 deleted (%d)", res, added, trashed)
	s.check(t, v)
}

// reopen: a restarted Viewer shows the cached album before any request,
// and its sync finds nothing new; the cache holds no link or plaintext.
func (s *suite) reopen(t *testing.T) {
	before := s.rec.snapshot().api
	v := s.viewer(t, s.link, share.Options{CacheDir: s.cacheDir})
	a := v.Album()
	require.Equal(t, s.name, a.Name, "from the cache")
	require.Len(t, a.Files, len(s.files), "from the cache")
	require.Equal(t, before, s.rec.snapshot().api, "from the cache: want the album without a request")
	res, err := v.Sync(t.Context())
	require.NoError(t, err)
	assert.Zero(t, res.Added+res.Updated+res.Deleted, "sync after reopening: %+v, want no change", res)
	s.check(t, v)
	// What museum sent, cached, holds neither the link nor any plaintext.
	entries, err := os.ReadDir(s.cacheDir)
	require.NoError(t, err, "cache directory")
	require.NotEmpty(t, entries, "cache directory")
	secrets := []string{s.link.AccessToken, share.EncodeKey(s.albumKey), s.name}
	for _, p := range s.files {
		secrets = append(secrets, p.title)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(s.cacheDir, e.Name()))
		require.NoError(t, err)
		for _, secret := range secrets {
			// Not assert.NotContains: the list holds the album key.
			assert.False(t, strings.Contains(e.Name(), secret) || bytes.Contains(b, []byte(secret)), "cache file %s holds %q", e.Name(), secret)
		}
	}
}

// password: a link password set with PUT /collections/share-url (a
// share.NewLinkPassword's JSON) is required, a wrong one refused, the right
// one admits, files included; a new password ends that session; disabling
// it opens the link again.
func (s *suite) password(t *testing.T) {
	ctx := t.Context()
	lp, err := share.NewLinkPassword([]byte("open sesame"))
	require.NoError(t, err)
	body, err := lp.MarshalJSON()
	require.NoError(t, err)
	pu, err := s.c.UpdateShareURL(ctx, s.albumID, nil, body)
	require.NoError(t, err)
	require.True(t, pu.PasswordEnabled, "museum says the password is not enabled")
	cached := s.viewer(t, s.link, share.Options{CacheDir: s.cacheDir})
	fresh := s.viewer(t, s.link, share.Options{})
	for _, v := range []*share.Viewer{cached, fresh} {
		_, err := v.Sync(ctx)
		require.ErrorIs(t, err, share.ErrPasswordRequired, "sync without the password")
		require.True(t, v.PasswordProtected(), "sync without the password: PasswordProtected false")
	}
	err = rateLimited(ctx, t, func() error { return fresh.Unlock(ctx, []byte("open says me")) })
	require.ErrorIs(t, err, share.ErrIncorrectPassword, "a wrong password")
	require.NoError(t, rateLimited(ctx, t, func() error { return fresh.Unlock(ctx, []byte("open sesame")) }), "the right password")
	_, err = fresh.Sync(ctx)
	require.NoError(t, err)
	s.check(t, fresh) // downloads carry the JWT too

	// A new password ends the sessions of the old one.
	lp2, err := share.NewLinkPassword([]byte("open barley"))
	require.NoError(t, err)
	body, err = lp2.MarshalJSON()
	require.NoError(t, err)
	_, err = s.c.UpdateShareURL(ctx, s.albumID, nil, body)
	require.NoError(t, err)
	_, err = fresh.Sync(ctx)
	require.ErrorIs(t, err, share.ErrPasswordRequired, "sync with the old password's session")

	_, err = s.c.UpdateShareURL(ctx, s.albumID, map[string]any{"disablePassword": true})
	require.NoError(t, err)
	_, err = cached.Sync(ctx)
	require.NoError(t, err, "after the password was removed")
	require.False(t, cached.PasswordProtected(), "after the password was removed: still protected")
}

// rateLimited retries fn while museum answers 429 (verify-password allows
// 10 requests a minute per address), honouring Retry-After.
func rateLimited(ctx context.Context, t *testing.T, fn func() error) error {
	backoff, deadline := 2*time.Second, time.Now().Add(90*time.Second)
	for {
		err := fn()
		var he *share.HTTPError
		if !errors.Is(err, share.ErrRateLimited) || time.Now().After(deadline) {
			return err
		}
		d := backoff
		if errors.As(err, &he) && he.RetryAfter > 0 {
			d = he.RetryAfter
		}
		t.Logf("rate limited, retrying in %v", d)
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return ctx.Err()
		}
		backoff = min(2*backoff, 30*time.Second)
	}
}

// deviceLimit: on a link limited to one device, a second device gets
// ErrDeviceLimit while the first keeps going; restarted with its cache the
// first is still admitted even under another User-Agent, which museum
// would count as a new device (it counts devices by address and
// User-Agent) were it not for the device token kept in the cache.
func (s *suite) deviceLimit(t *testing.T) {
	ctx := t.Context()
	ck := secret.GenerateKey()
	id := s.createCollection(t, "devices", ck)
	fid, p := s.add(t, id, ck, "one.bin", 5000)
	link := s.publicLink(t, id, ck)
	pu, err := s.c.UpdateShareURL(ctx, id, map[string]any{"deviceLimit": 1})
	require.NoError(t, err, "deviceLimit 1")
	require.Equal(t, 1, pu.DeviceLimit, "deviceLimit 1")
	dir := t.TempDir()
	first := s.viewer(t, link, share.Options{CacheDir: dir, UserAgent: "e2ee-it/device-A"})
	_, err = first.Sync(ctx)
	require.NoError(t, err, "first device")
	second := s.viewer(t, link, share.Options{UserAgent: "e2ee-it/device-B"})
	_, err = second.Sync(ctx)
	var he *share.HTTPError
	require.ErrorIs(t, err, share.ErrDeviceLimit, "second device")
	require.ErrorAs(t, err, &he, "second device")
	require.Equal(t, http.StatusForbidden, he.StatusCode, "second device: %v, want 403 LINK_DEVICE_LIMIT_EXCEEDED", err)
	require.Equal(t, "LINK_DEVICE_LIMIT_EXCEEDED", he.Code, "second device: %v, want 403 LINK_DEVICE_LIMIT_EXCEEDED", err)
	_, err = first.Sync(ctx)
	require.NoError(t, err, "first device after the second was refused")
	s.download(t, first, fid, p)
	first.Close()

	moved := s.viewer(t, link, share.Options{CacheDir: dir, UserAgent: "e2ee-it/device-A-moved"})
	_, err = moved.Sync(ctx)
	require.NoError(t, err, "restarted first device with its cache, under another User-Agent")
	s.download(t, moved, fid, p)
	stranger := s.viewer(t, link, share.Options{UserAgent: "e2ee-it/device-A-moved"})
	_, err = stranger.Sync(ctx)
	require.ErrorIs(t, err, share.ErrDeviceLimit, "the same User-Agent without the cache's device token")
}

// expiry: a validTill in the past makes the link answer 410; clearing it
// opens the link again.
func (s *suite) expiry(t *testing.T) {
	ctx := t.Context()
	// Museum refuses a validTill in the past: set one 2 s ahead and wait.
	till := time.Now().Add(2 * time.Second)
	_, err := s.c.UpdateShareURL(ctx, s.albumID, map[string]any{"validTill": till.UnixMicro()})
	require.NoError(t, err)
	time.Sleep(time.Until(till) + 500*time.Millisecond)
	v := s.viewer(t, s.link, share.Options{CacheDir: s.cacheDir})
	_, err = v.Sync(ctx)
	require.ErrorIs(t, err, share.ErrLinkExpired, "expired link")
	_, err = s.c.UpdateShareURL(ctx, s.albumID, map[string]any{"validTill": 0})
	require.NoError(t, err)
	_, err = v.Sync(ctx)
	require.NoError(t, err, "after clearing validTill")
}

// disabled: DELETE /collections/share-url makes the link answer 410.
func (s *suite) disabled(t *testing.T) {
	require.NoError(t, s.c.DisableShareURL(t.Context(), s.albumID))
	v := s.viewer(t, s.link, share.Options{CacheDir: s.cacheDir})
	_, err := v.Sync(t.Context())
	require.ErrorIs(t, err, share.ErrLinkExpired, "disabled link")
	assert.Len(t, v.Album().Files, len(s.files), "the cached album lost files on a 410")
}

func random(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func text(v encoding.TextMarshaler) string {
	b, _ := v.MarshalText() // nonces and headers always marshal
	return string(b)
}

// recorder is the Viewers' transport: it counts requests to the API and
// to storage (downloads redirect there) and which credentials they carried.
type recorder struct {
	mu sync.Mutex
	counts
}

type counts struct {
	api, apiWithDeviceToken       int
	storage, deviceTokenToStorage int
	secretsToStorage              int
	lastAgent                     string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	if strings.HasPrefix(req.URL.Path, "/public-collection/") {
		r.api++
		if req.Header.Get("X-Auth-Link-Device-Token") != "" {
			r.apiWithDeviceToken++
		}
		r.lastAgent = req.Header.Get("User-Agent")
	} else {
		r.storage++
		if req.Header.Get("X-Auth-Link-Device-Token") != "" {
			r.deviceTokenToStorage++
		}
		if req.Header.Get("X-Auth-Access-Token") != "" || req.Header.Get("X-Auth-Access-Token-JWT") != "" {
			r.secretsToStorage++
		}
	}
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func (r *recorder) snapshot() counts {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counts
}
