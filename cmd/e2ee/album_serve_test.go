//go:build unix

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

	"github.com/e2eekit/e2ee/internal/gallerytest"
)

// serving starts "e2ee album serve" and returns the gallery's URL.
func serving(t *testing.T, f *albumFixture) *url.URL {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, f.args(t.TempDir(), "serve")...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
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
		if !ok {
			t.Fatalf("album serve printed no URL; stderr:\n%s", stderr.String())
		}
		u, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return u
	case <-time.After(30 * time.Second):
		t.Fatalf("album serve printed no URL in 30 s; stderr:\n%s", stderr.String())
	}
	return nil
}

func get(t *testing.T, u, host string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func TestAlbumServe(t *testing.T) {
	f := newAlbumFixture(t, 20)
	u := serving(t, f)
	if !strings.HasPrefix(u.Host, "127.0.0.1:") || len(u.Path) < 20 {
		t.Fatalf("gallery URL %s: want loopback and a secret path", u)
	}
	// Refused: another Host (DNS rebinding), a wrong or missing secret.
	for name, c := range map[string]struct{ url, host string }{
		"rebinding Host": {u.String(), "evil.example:" + u.Port()},
		"localhost Host": {u.String(), "localhost:" + u.Port()},
		"no secret":      {"http://" + u.Host + "/", ""},
		"wrong secret":   {"http://" + u.Host + "/AAAAAAAAAAAAAAAAAAAAAAAAAA/", ""},
	} {
		if resp, _ := get(t, c.url, c.host); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", name, resp.StatusCode)
		}
	}
	resp, page := get(t, u.String(), "")
	if resp.StatusCode != 200 || !bytes.Contains(page, []byte("Trip ✈ 2026")) || bytes.Count(page, []byte("<img ")) != 20 {
		t.Fatalf("gallery page: %d\n%s", resp.StatusCode, page)
	}
	if bytes.Contains(page, []byte(f.srv.Token)) || strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src") {
		t.Error("the page carries the access token or allows scripts")
	}
	// A full file opens with the right bytes.
	for key, id := range f.ids {
		resp, b := get(t, u.String()+fmt.Sprintf("file/%d", id), "")
		if resp.StatusCode != 200 || !bytes.Equal(b, f.data[key]) {
			t.Errorf("file %d: status %d, %d bytes", id, resp.StatusCode, len(b))
		}
		break
	}
	// Download all: the same album as a zip.
	resp, z := get(t, u.String()+"all.zip", "")
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if resp.StatusCode != 200 || err != nil || len(zr.File) != 20 {
		t.Fatalf("all.zip: status %d, %v", resp.StatusCode, err)
	}

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
		if !gallerytest.Shows(img, gallerytest.Color(i)) {
			t.Errorf("thumbnail %d (colour %v) does not show in the screenshot", i, gallerytest.Color(i))
		}
	}
}
