package share_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
		_, err := v.Sync(t.Context())
		require.NoError(t, err)
	}
	id := v.Album().Files[0].ID
	var b bytes.Buffer
	_, err := v.DownloadFile(t.Context(), id, &b)
	require.NoError(t, err, "download")
	require.Equal(t, f.data[id], b.Bytes(), "download")
	log := f.srv.Log()
	// One device; every info and diff after the first carried its token.
	assert.Equal(t, 1, log.Devices, "devices")
	assert.Equal(t, 3, log.RequestsWithDevice, "requests with the token")
	assert.False(t, log.StorageSawToken, "storage saw a token")
	v.Close()

	// A restarted Viewer with the same cache is the same device.
	v2 := f.viewer(t, share.Options{CacheDir: dir})
	_, err = v2.Sync(t.Context())
	require.NoError(t, err, "restarted viewer")
	// Another one, without the cache, is a second device: over the limit.
	v3 := f.viewer(t, share.Options{})
	_, err = v3.Sync(t.Context())
	var he *share.HTTPError
	assert.ErrorIs(t, err, share.ErrDeviceLimit, "second device")
	assert.ErrorIs(t, err, share.ErrHTTP, "second device")
	if assert.ErrorAs(t, err, &he, "second device") {
		assert.Equal(t, http.StatusForbidden, he.StatusCode, "second device: %v", err)
		assert.Equal(t, "LINK_DEVICE_LIMIT_EXCEEDED", he.Code, "second device: %v", err)
	}
	assert.Equal(t, 1, f.srv.Log().Devices, "devices admitted")
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
	assert.ErrorIs(t, err, share.ErrRateLimited, "429")
	if assert.ErrorAs(t, err, &he, "429") {
		assert.Equal(t, 7*time.Second, he.RetryAfter, "429: %v", err)
	}
	_, _ = f.viewer(t, share.Options{APIBase: ts.URL, UserAgent: "photo-frame/2"}).Sync(t.Context())
	if assert.Len(t, agents, 4, "User-Agents sent") {
		assert.True(t, strings.HasPrefix(agents[0], "e2ee/"), "User-Agents sent: %q", agents)
		assert.Equal(t, "photo-frame/2", agents[3], "User-Agents sent: %q", agents)
	}
}
