package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// albumProgress is one line for a whole album download on a terminal:
// files done of the total, and bytes so far. A nil *albumProgress does
// nothing.
type albumProgress struct {
	w           io.Writer
	mu          sync.Mutex
	total, done int
	bytes       int64
	last        time.Time
}

func newAlbumProgress(e *env, quiet bool, total int) *albumProgress {
	f, ok := e.stderr.(*os.File)
	if quiet || total == 0 || !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &albumProgress{w: e.stderr, total: total}
}

// writer counts the bytes written through w.
func (p *albumProgress) writer(w io.Writer) io.Writer {
	if p == nil {
		return w
	}
	return writerFunc(func(b []byte) (int, error) {
		n, err := w.Write(b)
		p.mu.Lock()
		p.bytes += int64(n)
		p.drawLocked(false)
		p.mu.Unlock()
		return n, err
	})
}

func (p *albumProgress) fileDone() {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.done++
	p.drawLocked(true)
	p.mu.Unlock()
}

func (p *albumProgress) drawLocked(force bool) {
	if !force && time.Since(p.last) < progressInterval {
		return
	}
	p.last = time.Now()
	filled := progressWidth * p.done / p.total
	fmt.Fprintf(p.w, "\r[%-*s] %d/%d files, %.1f MiB ", progressWidth, strings.Repeat("=", filled), p.done, p.total, float64(p.bytes)/(1<<20))
}

func (p *albumProgress) finish() {
	if p != nil {
		fmt.Fprintln(p.w)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }
