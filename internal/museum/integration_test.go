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

	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/internal/museum"
	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
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
	if err != nil {
		t.Fatal(err)
	}
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
		{"expiry", s.expiry},
		{"disabled", s.disabled},
	} {
		if !t.Run(p.name, p.run) {
			t.FailNow() // each phase builds on the last
		}
	}
}

// signup: /users/ott + /users/verify-email with museum's hard-coded token,
// then PUT /users/attributes from keys.Generate at EntePolicy (the run's
// only Argon2id at sign-up cost).
func (s *suite) signup(t *testing.T) {
	ctx := t.Context()
	if err := s.c.SendOTT(ctx, s.email, "signup"); err != nil {
		t.Fatal(err)
	}
	v, err := s.c.VerifyEmail(ctx, s.email, s.ott)
	if err != nil {
		t.Fatal(err)
	}
	if v.Token == "" || v.EncryptedToken != "" {
		t.Fatalf("a new account should get a plain token: token %t, encryptedToken %t", v.Token != "", v.EncryptedToken != "")
	}
	s.c.SetToken(v.Token)
	start := time.Now()
	attrs, secrets, _, err := keys.Generate([]byte(password), pwhash.EntePolicy)
	if err != nil {
		t.Fatal(err)
	}
	s.secrets = secrets // destroyed when the whole suite ends
	if err := s.c.SetAttributes(ctx, attrs); err != nil {
		t.Fatal(err)
	}
	t.Logf("account %d; keys.Generate (Argon2id %d MiB × %d) took %v", v.ID, attrs.MemLimit>>20, attrs.OpsLimit, time.Since(start).Round(time.Millisecond))
}

const password = "correct horse battery staple"

// login: a second OTT login returns the stored key attributes and the
// session token sealed to the account's public key.
func (s *suite) login(t *testing.T) {
	ctx := t.Context()
	s.c.SetToken("")
	if err := s.c.SendOTT(ctx, s.email, "login"); err != nil {
		t.Fatal(err)
	}
	v, err := s.c.VerifyEmail(ctx, s.email, s.ott)
	if err != nil {
		t.Fatal(err)
	}
	if v.EncryptedToken == "" || len(v.KeyAttributes) == 0 {
		t.Fatal("login returned no encryptedToken or keyAttributes")
	}
	var got keys.Attributes
	if err := json.Unmarshal(v.KeyAttributes, &got); err != nil {
		t.Fatalf("server's keyAttributes: %v", err)
	}
	// The stored attributes open with the password's KEK (no second
	// Argon2id: the KEK is the one sign-up derived) to the same account.
	unlocked, err := keys.Unlock(s.secrets.KEK(), &got)
	if err != nil {
		t.Fatalf("unlocking the server's attributes: %v", err)
	}
	if !unlocked.MasterKey().Equal(s.secrets.MasterKey()) {
		t.Fatal("the server's attributes hold another master key")
	}
	tok, err := keys.OpenToken(v.EncryptedToken, unlocked)
	if err != nil {
		t.Fatalf("OpenToken: %v", err)
	}
	// Without a token a private call is refused; with it, it succeeds.
	if _, err := s.c.Collections(ctx); !museum.IsStatus(err, http.StatusUnauthorized) {
		t.Fatalf("GET /collections/v2 without a token: %v, want 401", err)
	}
	s.c.SetToken(tok.HeaderValue())
	if _, err := s.c.Collections(ctx); err != nil {
		t.Fatalf("GET /collections/v2 with the opened token: %v", err)
	}
}

// album: POST /collections with the key wrapped under the master key and
// an encrypted name, read back through GET /collections/v2.
func (s *suite) album(t *testing.T) {
	s.name = "Lisbon 2026 ✈"
	s.albumKey = secret.GenerateKey()
	s.albumID = s.createCollection(t, s.name, s.albumKey)
	cols, err := s.c.Collections(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(cols, func(c museum.Collection) bool { return c.ID == s.albumID })
	if i < 0 {
		t.Fatalf("collection %d not listed", s.albumID)
	}
	var w keys.WrappedKey
	if err := json.Unmarshal(fmt.Appendf(nil, `{"encryptedKey":%q,"keyDecryptionNonce":%q}`, cols[i].EncryptedKey, cols[i].KeyDecryptionNonce), &w); err != nil {
		t.Fatal(err)
	}
	ck, err := keys.OpenCollectionKey(&w, s.secrets.MasterKey())
	if err != nil || !ck.Equal(s.albumKey) {
		t.Fatalf("collection key from the server: %v (equal %t)", err, err == nil && ck.Equal(s.albumKey))
	}
	if name := openName(t, cols[i], ck); name != s.name {
		t.Fatalf("name %q, want %q", name, s.name)
	}
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
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func openName(t *testing.T, c museum.Collection, ck *secret.Key) string {
	t.Helper()
	box, err := b64.Decode(c.EncryptedName)
	if err != nil {
		t.Fatal(err)
	}
	var nonce secretbox.Nonce
	if err := nonce.UnmarshalText([]byte(c.NameDecryptionNonce)); err != nil {
		t.Fatal(err)
	}
	name, err := secretbox.Open(nil, box, &nonce, ck)
	if err != nil {
		t.Fatal(err)
	}
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
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(p.data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	thumb, thumbHdr, err := stream.EncryptBlob(p.thumb, fk)
	if err != nil {
		t.Fatal(err)
	}
	md, mdHdr, err := stream.EncryptBlob(p.metadata, fk)
	if err != nil {
		t.Fatal(err)
	}
	wk := keys.WrapFileKey(fk, ck)
	id, err := s.c.Upload(t.Context(), museum.NewFile{
		CollectionID:       collectionID,
		EncryptedKey:       b64.Encode(wk.EncryptedKey),
		KeyDecryptionNonce: text(wk.KeyDecryptionNonce),
		File:               museum.Object{Data: ct.Bytes(), Header: text(fileHdr)},
		Thumbnail:          museum.Object{Data: thumb, Header: text(thumbHdr)},
		Metadata:           museum.Object{Inline: b64.Encode(md), Header: text(mdHdr)},
	})
	if err != nil {
		t.Fatalf("upload %s: %v", title, err)
	}
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
	if err != nil {
		t.Fatal(err)
	}
	link, err := share.ParseAlbumURL(pu.URL + "#" + share.EncodeKey(ck))
	if err != nil {
		t.Fatalf("the server's link URL: %v", err)
	}
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
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(v.Close)
	return v
}

// sync: the Viewer's first sync decrypts the album, every file and
// thumbnail; the device token comes back on every later request to the
// API and never reaches storage.
func (s *suite) sync(t *testing.T) {
	v := s.viewer(t, s.link, share.Options{CacheDir: s.cacheDir})
	res, err := v.Sync(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != len(sizes) || res.Deleted != 0 || res.SkippedCount != 0 {
		t.Errorf("first sync: %+v", res)
	}
	s.check(t, v)
	if _, err := v.Sync(t.Context()); err != nil { // a second request to info and diff
		t.Fatal(err)
	}
	r := s.rec.snapshot()
	if r.storage == 0 {
		t.Error("no download was redirected to storage")
	}
	if r.deviceTokenToStorage != 0 || r.secretsToStorage != 0 {
		t.Errorf("storage saw the device token %d times and the access token or JWT %d times", r.deviceTokenToStorage, r.secretsToStorage)
	}
	if r.apiWithDeviceToken == 0 {
		t.Error("no API request carried the device token museum handed out")
	}
	if !strings.HasPrefix(r.lastAgent, "e2ee/") {
		t.Errorf("User-Agent %q", r.lastAgent)
	}
	t.Logf("%d API requests (%d with the device token), %d storage downloads", r.api, r.apiWithDeviceToken, r.storage)
}

// check compares the Viewer's album with what the owner encrypted: name,
// every entry's metadata, and every byte of every file and thumbnail.
func (s *suite) check(t *testing.T, v *share.Viewer) {
	t.Helper()
	a := v.Album()
	if a.ID != s.albumID || a.Name != s.name {
		t.Errorf("album %d %q, want %d %q", a.ID, a.Name, s.albumID, s.name)
	}
	if len(a.Files) != len(s.files) {
		t.Errorf("%d files, want %d", len(a.Files), len(s.files))
	}
	for _, f := range a.Files {
		p, ok := s.files[f.ID]
		if !ok {
			t.Errorf("file %d should not be in the album", f.ID)
			continue
		}
		if f.Title != p.title || f.CreationTime != p.creationTime || f.ModificationTime != p.modification || !bytes.Equal(f.Metadata, p.metadata) {
			t.Errorf("file %d: %q %d %d %s, want %q %d %d %s", f.ID, f.Title, f.CreationTime, f.ModificationTime, f.Metadata, p.title, p.creationTime, p.modification, p.metadata)
		}
		s.download(t, v, f.ID, p)
	}
}

func (s *suite) download(t *testing.T, v *share.Viewer, id int64, p plain) {
	t.Helper()
	var b bytes.Buffer
	if n, err := v.DownloadFile(t.Context(), id, &b); err != nil || n != int64(len(p.data)) || !bytes.Equal(b.Bytes(), p.data) {
		t.Errorf("file %d (%d bytes): %d bytes, equal %t, %v", id, len(p.data), n, bytes.Equal(b.Bytes(), p.data), err)
	}
	// The plaintext size comes from storage's Content-Length.
	if got, want := s.progress[id], (share.Progress{FileID: id, Done: int64(len(p.data)), Total: int64(len(p.data))}); len(p.data) > 0 && got != want {
		t.Errorf("last progress %+v, want %+v", got, want)
	}
	b.Reset()
	if _, err := v.DownloadThumbnail(t.Context(), id, &b); err != nil || !bytes.Equal(b.Bytes(), p.thumb) {
		t.Errorf("thumbnail %d: equal %t, %v", id, bytes.Equal(b.Bytes(), p.thumb), err)
	}
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
	if err := s.c.Trash(t.Context(), s.albumID, trashed); err != nil {
		t.Fatal(err)
	}
	delete(s.files, trashed)
	v := s.viewer(t, s.link, share.Options{CacheDir: s.cacheDir})
	res, err := v.Sync(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 1 || res.Deleted != 1 || res.Updated != 0 {
		t.Errorf("incremental sync: %+v, want 1 added (%d) and 1 deleted (%d)", res, added, trashed)
	}
	s.check(t, v)
}

// reopen: a restarted Viewer shows the cached album before any request,
// and its sync finds nothing new; the cache holds no link or plaintext.
func (s *suite) reopen(t *testing.T) {
	before := s.rec.snapshot().api
	v := s.viewer(t, s.link, share.Options{CacheDir: s.cacheDir})
	a := v.Album()
	if a.Name != s.name || len(a.Files) != len(s.files) || s.rec.snapshot().api != before {
		t.Fatalf("from the cache: %q with %d files, want %q with %d, without a request", a.Name, len(a.Files), s.name, len(s.files))
	}
	res, err := v.Sync(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if res.Added+res.Updated+res.Deleted != 0 {
		t.Errorf("sync after reopening: %+v, want no change", res)
	}
	s.check(t, v)
	// What museum sent, cached, holds neither the link nor any plaintext.
	entries, err := os.ReadDir(s.cacheDir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("cache directory: %d entries, %v", len(entries), err)
	}
	secrets := []string{s.link.AccessToken, share.EncodeKey(s.albumKey), s.name}
	for _, p := range s.files {
		secrets = append(secrets, p.title)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(s.cacheDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range secrets {
			if strings.Contains(e.Name(), secret) || bytes.Contains(b, []byte(secret)) {
				t.Errorf("cache file %s holds %q", e.Name(), secret)
			}
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
	if err != nil {
		t.Fatal(err)
	}
	body, err := lp.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	pu, err := s.c.UpdateShareURL(ctx, s.albumID, nil, body)
	if err != nil {
		t.Fatal(err)
	}
	if !pu.PasswordEnabled {
		t.Fatal("museum says the password is not enabled")
	}
	cached := s.viewer(t, s.link, share.Options{CacheDir: s.cacheDir})
	fresh := s.viewer(t, s.link, share.Options{})
	for _, v := range []*share.Viewer{cached, fresh} {
		if _, err := v.Sync(ctx); !errors.Is(err, share.ErrPasswordRequired) || !v.PasswordProtected() {
			t.Fatalf("sync without the password: %v (protected %t)", err, v.PasswordProtected())
		}
	}
	if err := rateLimited(ctx, t, func() error { return fresh.Unlock(ctx, []byte("open says me")) }); !errors.Is(err, share.ErrIncorrectPassword) {
		t.Fatalf("a wrong password: %v", err)
	}
	if err := rateLimited(ctx, t, func() error { return fresh.Unlock(ctx, []byte("open sesame")) }); err != nil {
		t.Fatalf("the right password: %v", err)
	}
	if _, err := fresh.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	s.check(t, fresh) // downloads carry the JWT too

	// A new password ends the sessions of the old one.
	lp2, err := share.NewLinkPassword([]byte("open barley"))
	if err != nil {
		t.Fatal(err)
	}
	if body, err = lp2.MarshalJSON(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.c.UpdateShareURL(ctx, s.albumID, nil, body); err != nil {
		t.Fatal(err)
	}
	if _, err := fresh.Sync(ctx); !errors.Is(err, share.ErrPasswordRequired) {
		t.Fatalf("sync with the old password's session: %v, want ErrPasswordRequired", err)
	}

	if _, err := s.c.UpdateShareURL(ctx, s.albumID, map[string]any{"disablePassword": true}); err != nil {
		t.Fatal(err)
	}
	if _, err := cached.Sync(ctx); err != nil || cached.PasswordProtected() {
		t.Fatalf("after the password was removed: %v (protected %t)", err, cached.PasswordProtected())
	}
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
	if pu, err := s.c.UpdateShareURL(ctx, id, map[string]any{"deviceLimit": 1}); err != nil || pu.DeviceLimit != 1 {
		t.Fatalf("deviceLimit 1: %v", err)
	}
	dir := t.TempDir()
	first := s.viewer(t, link, share.Options{CacheDir: dir, UserAgent: "e2ee-it/device-A"})
	if _, err := first.Sync(ctx); err != nil {
		t.Fatalf("first device: %v", err)
	}
	second := s.viewer(t, link, share.Options{UserAgent: "e2ee-it/device-B"})
	_, err := second.Sync(ctx)
	var he *share.HTTPError
	if !errors.Is(err, share.ErrDeviceLimit) || !errors.As(err, &he) || he.StatusCode != http.StatusForbidden || he.Code != "LINK_DEVICE_LIMIT_EXCEEDED" {
		t.Fatalf("second device: %v, want ErrDeviceLimit (403 LINK_DEVICE_LIMIT_EXCEEDED)", err)
	}
	if _, err := first.Sync(ctx); err != nil {
		t.Fatalf("first device after the second was refused: %v", err)
	}
	s.download(t, first, fid, p)
	first.Close()

	moved := s.viewer(t, link, share.Options{CacheDir: dir, UserAgent: "e2ee-it/device-A-moved"})
	if _, err := moved.Sync(ctx); err != nil {
		t.Fatalf("restarted first device with its cache, under another User-Agent: %v", err)
	}
	s.download(t, moved, fid, p)
	stranger := s.viewer(t, link, share.Options{UserAgent: "e2ee-it/device-A-moved"})
	if _, err := stranger.Sync(ctx); !errors.Is(err, share.ErrDeviceLimit) {
		t.Fatalf("the same User-Agent without the cache's device token: %v, want ErrDeviceLimit", err)
	}
}

// expiry: a validTill in the past makes the link answer 410; clearing it
// opens the link again.
func (s *suite) expiry(t *testing.T) {
	ctx := t.Context()
	// Museum refuses a validTill in the past: set one 2 s ahead and wait.
	till := time.Now().Add(2 * time.Second)
	if _, err := s.c.UpdateShareURL(ctx, s.albumID, map[string]any{"validTill": till.UnixMicro()}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Until(till) + 500*time.Millisecond)
	v := s.viewer(t, s.link, share.Options{CacheDir: s.cacheDir})
	if _, err := v.Sync(ctx); !errors.Is(err, share.ErrLinkExpired) {
		t.Fatalf("expired link: %v, want ErrLinkExpired", err)
	}
	if _, err := s.c.UpdateShareURL(ctx, s.albumID, map[string]any{"validTill": 0}); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Sync(ctx); err != nil {
		t.Fatalf("after clearing validTill: %v", err)
	}
}

// disabled: DELETE /collections/share-url makes the link answer 410.
func (s *suite) disabled(t *testing.T) {
	if err := s.c.DisableShareURL(t.Context(), s.albumID); err != nil {
		t.Fatal(err)
	}
	v := s.viewer(t, s.link, share.Options{CacheDir: s.cacheDir})
	if _, err := v.Sync(t.Context()); !errors.Is(err, share.ErrLinkExpired) {
		t.Fatalf("disabled link: %v, want ErrLinkExpired", err)
	}
	if n := len(v.Album().Files); n != len(s.files) {
		t.Errorf("the cached album lost files on a 410: %d, want %d", n, len(s.files))
	}
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
