// Command publicalbum is a public album link end to end: it builds a small
// password-protected album with this SDK, serves it on a loopback port in
// the JSON shapes of Ente's public-collection API, opens the link as a
// viewer would, syncs twice (the second time fetching only what changed)
// and prints what it decrypted.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"

	"github.com/e2eekit/e2ee/share"
	"github.com/e2eekit/e2ee/share/sharetest"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "publicalbum:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	ctx := context.Background()

	// The owner's side: an album, and a link password stored with the server.
	album := sharetest.New("Lisbon, spring 2026")
	album.AddFile("tram-28.jpg", bytes.Repeat([]byte("jpeg"), 50_000), []byte("tram thumbnail"))
	album.AddFile("alfama.mp4", bytes.Repeat([]byte("mp4!"), 1_500_000), []byte("video thumbnail")) // 6 MB: two chunks
	bad := album.AddFile("pasteis.jpg", []byte("custard tarts"), []byte("tart thumbnail"))
	lp, err := share.NewLinkPassword([]byte("obrigado"))
	if err != nil {
		return err
	}
	body, err := json.Marshal(lp)
	if err != nil {
		return err
	}
	if err := album.SetPassword(body); err != nil {
		return err
	}
	fmt.Fprintf(w, "owner: protected the link with %v\n", lp)

	// Serve it on loopback only.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: album}
	go srv.Serve(ln)
	defer srv.Close()
	api := "http://" + ln.Addr().String()

	raw, err := share.AlbumURL(share.DefaultBase, album.Token, album.Key)
	if err != nil {
		return err
	}

	// The viewer's side: only the link, the password and a cache directory.
	link, err := share.ParseAlbumURL("<" + raw + ">")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "viewer: opened %v\n", link)
	cache, err := os.MkdirTemp("", "publicalbum-cache-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(cache)
	v, err := share.NewViewer(link, share.Options{APIBase: api, CacheDir: cache})
	if err != nil {
		return err
	}
	defer v.Close()

	if _, err := v.Sync(ctx); errors.Is(err, share.ErrPasswordRequired) {
		fmt.Fprintln(w, "viewer: the link wants a password")
	} else {
		return fmt.Errorf("sync before unlock: %v", err)
	}
	if err := v.Unlock(ctx, []byte("obrigada")); errors.Is(err, share.ErrIncorrectPassword) {
		fmt.Fprintln(w, "viewer: wrong password refused by the server")
	} else {
		return fmt.Errorf("wrong password: %v", err)
	}
	if err := v.Unlock(ctx, []byte("obrigado")); err != nil {
		return err
	}
	res, err := v.Sync(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "sync 1: %d pages, %d added\n", res.Pages, res.Added)
	if err := show(ctx, w, v); err != nil {
		return err
	}

	// The owner changes the album; someone damages one entry on the server.
	album.AddFile("sunset.jpg", []byte("orange"), []byte("sunset thumbnail"))
	album.Tamper(bad, sharetest.DamageMetadata)
	before := album.Log().EntriesServed
	res, err = v.Sync(ctx)
	if !errors.Is(err, share.ErrUndecryptable) {
		return fmt.Errorf("second sync: want a skipped entry, got %v", err)
	}
	fmt.Fprintf(w, "sync 2: %d entries fetched, %d added, %d skipped: %v\n",
		album.Log().EntriesServed-before, res.Added, len(res.Skipped), res.Skipped[0].Err)
	return show(ctx, w, v)
}

// show downloads every file and thumbnail through the decrypting stream.
func show(ctx context.Context, w io.Writer, v *share.Viewer) error {
	a := v.Album()
	fmt.Fprintf(w, "album %q, %d files\n", a.Name, len(a.Files))
	for _, f := range a.Files {
		h := sha256.New()
		n, err := v.DownloadFile(ctx, f.ID, h)
		if err != nil {
			return err
		}
		var thumb bytes.Buffer
		if _, err := v.DownloadThumbnail(ctx, f.ID, &thumb); err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-12s %8d bytes  sha256 %x…  thumbnail %q\n", f.Title, n, h.Sum(nil)[:6], thumb.String())
	}
	return nil
}
