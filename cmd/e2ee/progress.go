package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// A progress bar is drawn on standard error only when it is a terminal, the
// input's size is known and above progressMin, and -q is not given: pipes
// and logs stay clean. Twenty lines by hand instead of a dependency.
const (
	progressMin      = 8 << 20
	progressInterval = 150 * time.Millisecond
	progressWidth    = 30
)

type progress struct {
	w           io.Writer
	total, done int64
	now         func() time.Time
	start, last time.Time
	drawn       bool
}

// newProgress returns a bar for an input of total bytes (-1 if unknown), or
// nil when none should be drawn. A nil *progress does nothing.
func newProgress(e *env, quiet bool, total int64) *progress {
	f, ok := e.stderr.(*os.File)
	if quiet || total <= progressMin || !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	now := time.Now()
	return &progress{w: e.stderr, total: total, now: time.Now, start: now, last: now}
}

// reader counts the bytes read through r.
func (p *progress) reader(r io.Reader) io.Reader {
	if p == nil {
		return r
	}
	return &countingReader{r: r, p: p}
}

type countingReader struct {
	r io.Reader
	p *progress
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.p.add(n)
	return n, err
}

func (p *progress) add(n int) {
	p.done += int64(n)
	if t := p.now(); t.Sub(p.last) >= progressInterval {
		p.last = t
		p.draw(t)
	}
}

func (p *progress) draw(t time.Time) {
	fmt.Fprint(p.w, "\r"+renderProgress(p.done, p.total, t.Sub(p.start)))
	p.drawn = true
}

// finish draws the bar one last time, full if ok, and ends its line.
func (p *progress) finish(ok bool) {
	if p == nil {
		return
	}
	if ok {
		p.draw(p.now())
	}
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}

// renderProgress is one frame: "[=====>    ]  37%  12.0/32.0 MiB  45.1 MiB/s".
func renderProgress(done, total int64, elapsed time.Duration) string {
	done = min(max(done, 0), total)
	frac := float64(done) / float64(total)
	filled := int(frac * progressWidth)
	bar := strings.Repeat("=", filled)
	if filled < progressWidth {
		bar += ">" + strings.Repeat(" ", progressWidth-filled-1)
	}
	s := fmt.Sprintf("[%s] %3d%%  %.1f/%.1f MiB", bar, int(frac*100), mib(done), mib(total))
	if elapsed > 0 {
		s += fmt.Sprintf("  %.1f MiB/s", mib(done)/elapsed.Seconds())
	}
	return s
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }
