package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"html/template"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/e2eekit/e2ee/share"
)

var albumServeCmd = &command{
	name:    "serve",
	summary: "browse a public album in a local web gallery",
	help: `Syncs the album and serves it as a gallery on 127.0.0.1 (a random port unless
--addr says), decrypting thumbnails and files here as the browser asks for them:
the album key never leaves this process. The printed URL holds a random secret
in its path, and requests are refused unless they name that secret and come
with the loopback address and port as their Host, so no other local user's
process, and no web page that rebinds a DNS name to 127.0.0.1, can read the
album. Images and videos open in the browser, other files download, and
"Download all" streams the album as one zip. Stop it with Ctrl-C.`,
	examples: `
e2ee album serve --link-file link.txt
e2ee album serve --link-file link.txt --addr 127.0.0.1:8765`,
	setup: func(fs *flag.FlagSet) func(*env, []string) error {
		var src albumSource
		src.register(fs)
		addr := fs.String("addr", "127.0.0.1:0", "listen on `HOST:PORT` (a loopback address)")
		return func(e *env, _ []string) error {
			host, _, err := net.SplitHostPort(*addr)
			if err != nil || !net.ParseIP(host).IsLoopback() {
				return usagef("--addr must be a loopback address and port, such as 127.0.0.1:0")
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			v, err := src.open(ctx, e)
			if err != nil {
				return err
			}
			defer v.Close()
			ln, err := net.Listen("tcp", *addr)
			if err != nil {
				return err
			}
			g := newGallery(v, ln.Addr().String())
			fmt.Fprintf(e.stdout, "Serving %q (%d files) at\n  %s\nCtrl-C stops it.\n", v.Album().Name, len(v.Album().Files), g.url())
			srv := &http.Server{Handler: g, ReadHeaderTimeout: 10 * time.Second}
			go func() { <-ctx.Done(); srv.Close() }()
			if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		}
	},
}

// gallery serves one album under /{secret}/ to requests whose Host is the
// listening address.
type gallery struct {
	v      *share.Viewer
	host   string // "127.0.0.1:PORT", the only Host accepted
	prefix string // "/{secret}/"
}

func newGallery(v *share.Viewer, host string) *gallery {
	return &gallery{v: v, host: host, prefix: "/" + rand.Text() + "/"}
}

func (g *gallery) url() string { return "http://" + g.host + g.prefix }

var galleryPage = template.Must(template.New("gallery").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Name}}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 0; background: #111; color: #eee; }
header { display: flex; align-items: baseline; gap: 1rem; padding: 1rem; }
h1 { font-size: 1.4rem; margin: 0; }
a { color: #9cf; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 6px; padding: 0 1rem 1rem; }
figure { margin: 0; }
figure img { width: 100%; aspect-ratio: 1; object-fit: cover; display: block; background: #222; }
figcaption { font-size: .75rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; padding: 2px 0; }
</style></head><body>
<header><h1>{{.Name}}</h1><span>{{len .Files}} files</span><a href="all.zip" download>Download all</a></header>
<main class="grid">
{{range .Files}}<figure><a href="file/{{.ID}}"><img src="thumb/{{.ID}}" alt="{{.Title}}" loading="lazy"></a><figcaption>{{or .Title "(untitled)"}}</figcaption></figure>
{{end}}</main></body></html>
`))

func (g *gallery) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The Host check stops DNS rebinding: a page on another origin that
	// resolves its own name to 127.0.0.1 sends its own name as Host.
	if r.Host != g.host || !strings.HasPrefix(r.URL.Path, g.prefix) {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	rest := strings.TrimPrefix(r.URL.Path, g.prefix)
	switch {
	case rest == "":
		h.Set("Content-Type", "text/html; charset=utf-8")
		galleryPage.Execute(w, g.v.Album())
	case rest == "all.zip":
		h.Set("Content-Type", "application/zip")
		h.Set("Content-Disposition", contentDisposition("attachment", g.v.Album().Name+".zip"))
		if err := albumZipTo(r.Context(), g.v, w); err != nil {
			// Headers are gone: cut the connection so that the browser
			// reports a failed download rather than a short zip.
			panic(http.ErrAbortHandler)
		}
	case strings.HasPrefix(rest, "thumb/"), strings.HasPrefix(rest, "file/"):
		kind, idStr, _ := strings.Cut(rest, "/")
		id, err := strconv.ParseInt(idStr, 10, 64)
		file, ok := g.find(id)
		if err != nil || !ok {
			http.NotFound(w, r)
			return
		}
		g.serveFile(w, r, file, kind == "thumb")
	default:
		http.NotFound(w, r)
	}
}

func (g *gallery) find(id int64) (share.File, bool) {
	for _, f := range g.v.Album().Files {
		if f.ID == id {
			return f, true
		}
	}
	return share.File{}, false
}

// serveFile decrypts a file or thumbnail into the response. The type comes
// from the first bytes (and, for a file, its name); images and videos are
// shown inline, anything else is downloaded.
func (g *gallery) serveFile(w http.ResponseWriter, r *http.Request, f share.File, thumb bool) {
	sw := &sniffWriter{w: w, name: f.Title, thumb: thumb}
	var err error
	if thumb {
		_, err = g.v.DownloadThumbnail(r.Context(), f.ID, sw)
	} else {
		_, err = g.v.DownloadFile(r.Context(), f.ID, sw)
	}
	if err == nil {
		err = sw.flush()
	}
	if err != nil {
		if !sw.started {
			http.Error(w, "the file did not decrypt", http.StatusBadGateway)
			return
		}
		panic(http.ErrAbortHandler) // never a short file presented as whole
	}
}

// sniffWriter holds the first 512 bytes to choose the Content-Type, then
// streams.
type sniffWriter struct {
	w       http.ResponseWriter
	name    string
	thumb   bool
	head    []byte
	started bool
}

func (s *sniffWriter) Write(p []byte) (int, error) {
	if !s.started {
		s.head = append(s.head, p...)
		if len(s.head) < 512 {
			return len(p), nil
		}
		return len(p), s.flush()
	}
	return s.w.Write(p)
}

func (s *sniffWriter) flush() error {
	if s.started {
		return nil
	}
	s.started = true
	ct := http.DetectContentType(s.head)
	if byExt := mime.TypeByExtension(strings.ToLower(filepath.Ext(s.name))); !s.thumb && byExt != "" && ct == "application/octet-stream" {
		ct = byExt
	}
	s.w.Header().Set("Content-Type", ct)
	disposition := "attachment"
	if strings.HasPrefix(ct, "image/") || strings.HasPrefix(ct, "video/") {
		disposition = "inline"
	}
	if !s.thumb {
		s.w.Header().Set("Content-Disposition", contentDisposition(disposition, s.name))
	}
	_, err := s.w.Write(s.head)
	s.head = nil
	return err
}

// contentDisposition names a file for the browser (RFC 6266, with the
// UTF-8 form for any name).
func contentDisposition(kind, name string) string {
	return mime.FormatMediaType(kind, map[string]string{"filename": safeName(name, 0)})
}

var _ io.Writer = (*sniffWriter)(nil)
