package share_test

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/e2eekit/e2ee/share"
)

// TestDeviceToken: the Viewer keeps the device token the server hands
// out, sends it on later API requests (never to storage), keeps it in the
// cache so that a restarted Viewer is the same device, and reports a link
// over its limit as ErrDeviceLimit.
func TestDeviceToken(t *testing.T) {
	f := newFixture(t, 3)
	f.srv.DeviceLimit = 1
	f.srv.StorageURL = strings.Replace(f.ts.URL, "127.0.0.1", "localhost", 1) // another host
	dir := t.TempDir()
	v := f.viewer(t, share.Options{CacheDir: dir})
	for range 2 {
		if _, err := v.Sync(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	id := v.Album().Files[0].ID
	var b bytes.Buffer
	if _, err := v.DownloadFile(t.Context(), id, &b); err != nil || !bytes.Equal(b.Bytes(), f.data[id]) {
		t.Fatalf("download: %v", err)
	}
	log := f.srv.Log()
	// One device; every info and diff after the first carried its token.
	if log.Devices != 1 || log.RequestsWithDevice != 3 || log.StorageSawToken {
		t.Errorf("devices %d, requests with the token %d, storage saw a token %v", log.Devices, log.RequestsWithDevice, log.StorageSawToken)
	}
	v.Close()

	// A restarted Viewer with the same cache is the same device.
	v2 := f.viewer(t, share.Options{CacheDir: dir})
	if _, err := v2.Sync(t.Context()); err != nil {
		t.Fatalf("restarted viewer: %v", err)
	}
	// Another one, without the cache, is a second device: over the limit.
	v3 := f.viewer(t, share.Options{})
	_, err := v3.Sync(t.Context())
	var he *share.HTTPError
	if !errors.Is(err, share.ErrDeviceLimit) || !errors.Is(err, share.ErrHTTP) || !errors.As(err, &he) ||
		he.StatusCode != http.StatusForbidden || he.Code != "LINK_DEVICE_LIMIT_EXCEEDED" {
		t.Errorf("second device: %v", err)
	}
	if f.srv.Log().Devices != 1 {
		t.Errorf("%d devices admitted", f.srv.Log().Devices)
	}
}

func TestRateLimitedAndUserAgent(t *testing.T) {
	f := newFixture(t, 1)
	var agents []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agents = append(agents, r.Header.Get("User-Agent"))
		if r.URL.Path == "/public-collection/diff" {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		f.srv.ServeHTTP(w, r)
	}))
	defer ts.Close()
	_, err := f.viewer(t, share.Options{APIBase: ts.URL}).Sync(t.Context())
	var he *share.HTTPError
	if !errors.Is(err, share.ErrRateLimited) || !errors.As(err, &he) || he.RetryAfter != 7*time.Second {
		t.Errorf("429: %v", err)
	}
	_, _ = f.viewer(t, share.Options{APIBase: ts.URL, UserAgent: "photo-frame/2"}).Sync(t.Context())
	if len(agents) != 4 || !strings.HasPrefix(agents[0], "e2ee/") || agents[3] != "photo-frame/2" {
		t.Errorf("User-Agents sent: %q", agents)
	}
}
