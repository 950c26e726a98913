//go:build linux

package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/gallerytest"
)

// serving starts "e2ee album serve" and returns the gallery's URL.
func serving(t *testing.T, f *albumFixture) *url.URL {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, f.args(t.TempDir(), "serve")...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cancel(); cmd.Wait() })
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if s := strings.TrimSpace(sc.Text()); strings.HasPrefix(s, "http://") {
				lines <- s
			}
		}
		close(lines)
	}()
	select {
	case s, ok := <-lines:
		if !ok { // not require.True(t, ok, …, stderr.String()): stderr is still being written
			require.FailNow(t, "album serve printed no URL", "stderr:\n%s", stderr.String())
		}
		u, err := url.Parse(s)
		require.NoError(t, err)
		return u
	case <-time.After(30 * time.Second):
		require.FailNow(t, "album serve printed no URL in 30 s", "stderr:\n%s", stderr.String())
	}
	return nil
}

func get(t *testing.T, u, host string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	require.NoError(t, err)
	if host != "" {
		req.Host = host
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, b
}

func TestAlbumServe(t *testing.T) {
	f := newAlbumFixture(t, 20)
	u := serving(t, f)
	require.True(t, strings.HasPrefix(u.Host, "127.0.0.1:"), "gallery URL %s: want loopback", u)
	require.GreaterOrEqual(t, len(u.Path), 20, "gallery URL %s: want a secret path", u)
	// Refused: another Host (DNS rebinding), a wrong or missing secret.
	for name, c := range map[string]struct{ url, host string }{
		"rebinding Host": {u.String(), "evil.example:" + u.Port()},
		"localhost Host": {u.String(), "localhost:" + u.Port()},
		"no secret":      {"http://" + u.Host + "/", ""},
		"wrong secret":   {"http://" + u.Host + "/AAAAAAAAAAAAAAAAAAAAAAAAAA/", ""},
	} {
		resp, _ := get(t, c.url, c.host)
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, name)
	}
	resp, page := get(t, u.String(), "")
	require.Equal(t, 200, resp.StatusCode, "gallery page:\n%s", page)
	require.Contains(t, string(page), "Trip ✈ 2026", "gallery page")
	require.Equal(t, 20, bytes.Count(page, []byte("<img ")), "gallery page:\n%s", page)
	// The token is a secret: not given to testify's NotContains.
	assert.False(t, bytes.Contains(page, []byte(f.srv.Token)), "the page carries the access token")
	assert.NotContains(t, resp.Header.Get("Content-Security-Policy"), "script-src", "the page allows scripts")
	// A full file opens with the right bytes.
	for key, id := range f.ids {
		resp, b := get(t, u.String()+fmt.Sprintf("file/%d", id), "")
		assert.Equal(t, 200, resp.StatusCode, "file %d", id)
		assert.Equal(t, f.data[key], b, "file %d", id)
		break
	}
	// Download all: the same album as a zip.
	resp, z := get(t, u.String()+"all.zip", "")
	require.Equal(t, 200, resp.StatusCode, "all.zip")
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	require.NoError(t, err, "all.zip")
	require.Len(t, zr.File, 20, "all.zip")

	browserShot(t, u)
}

// browserShot opens the gallery in headless Chromium and checks that
// every thumbnail decoded: each is a solid colour of its own, so each
// colour must show in the screenshot.
func browserShot(t *testing.T, u *url.URL) {
	browser := gallerytest.Browser()
	if browser == "" {
		t.Log("NOTICE: headless browser test SKIPPED: no chromium (apt-get install -y chromium)")
		return
	}
	img := gallerytest.Screenshot(t, browser, u.String())
	for i := range 20 {
		assert.True(t, gallerytest.Shows(img, gallerytest.Color(i)), "thumbnail %d (colour %v) does not show in the screenshot", i, gallerytest.Color(i))
	}
}
