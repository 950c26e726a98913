// Package gallerytest checks a web gallery as a person sees it: it opens a
// page in headless Chromium, takes a screenshot and looks for the solid
// colours of the thumbnails it made. Tests only.
package gallerytest

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Color is thumbnail i's colour, distinct for the first hundred or so.
func Color(i int) color.RGBA {
	return color.RGBA{R: uint8(40 + (i*53)%200), G: uint8(40 + (i*97)%200), B: uint8(40 + (i*31)%200), A: 255}
}

// PNG is a 16×16 PNG of Color(i).
func PNG(i int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for y := range 16 {
		for x := range 16 {
			img.Set(x, y, Color(i))
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// Browser returns the path of a Chromium, or "" (the caller skips with a
// notice: tests install nothing).
func Browser() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Screenshot opens url in headless Chromium, saves the picture under the
// test's temporary directory (its path is logged; E2EE_KEEP_SCREENSHOT
// names a copy to keep) and returns it.
func Screenshot(t *testing.T, browser, url string) image.Image {
	t.Helper()
	shot := filepath.Join(t.TempDir(), "gallery.png")
	args := []string{"--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + t.TempDir(),
		"--window-size=1400,1000", "--virtual-time-budget=10000", "--screenshot=" + shot, url}
	if os.Geteuid() == 0 {
		args = append([]string{"--no-sandbox"}, args...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, browser, args...).CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	t.Logf("screenshot: %s", shot)
	b, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	if keep := os.Getenv("E2EE_KEEP_SCREENSHOT"); keep != "" {
		os.WriteFile(keep, b, 0o644)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// Shows reports whether a 10×10 patch of colour c appears in img (within
// 3 levels per channel): a thumbnail of that colour was decoded and drawn.
func Shows(img image.Image, c color.RGBA) bool {
	near := func(x, y int) bool {
		r, g, b, _ := img.At(x, y).RGBA()
		d := func(a uint32, w uint8) bool { return int(a>>8)-int(w) <= 3 && int(w)-int(a>>8) <= 3 }
		return d(r, c.R) && d(g, c.G) && d(b, c.B)
	}
	bd := img.Bounds()
	for y := bd.Min.Y; y+10 < bd.Max.Y; y += 5 {
		for x := bd.Min.X; x+10 < bd.Max.X; x += 5 {
			if near(x, y) && near(x+9, y) && near(x, y+9) && near(x+9, y+9) {
				return true
			}
		}
	}
	return false
}
