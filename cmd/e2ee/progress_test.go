package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRenderProgress(t *testing.T) {
	for _, tc := range []struct {
		done, total int64
		elapsed     time.Duration
		want        string
	}{
		{0, 32 << 20, 0, "[>                             ]   0%  0.0/32.0 MiB"},
		{12 << 20, 32 << 20, 2 * time.Second, "[===========>                  ]  37%  12.0/32.0 MiB  6.0 MiB/s"},
		{32 << 20, 32 << 20, 4 * time.Second, "[==============================] 100%  32.0/32.0 MiB  8.0 MiB/s"},
		{40 << 20, 32 << 20, 0, "[==============================] 100%  32.0/32.0 MiB"}, // clamped
	} {
		got := renderProgress(tc.done, tc.total, tc.elapsed)
		assert.Equal(t, tc.want, got, "renderProgress(%d, %d, %v)", tc.done, tc.total, tc.elapsed)
	}
}

// TestProgressDrawing drives a bar with a fake clock: it redraws at most
// once per interval and ends its line.
func TestProgressDrawing(t *testing.T) {
	var out bytes.Buffer
	clock := time.Unix(0, 0)
	p := &progress{w: &out, total: 10 << 20, now: func() time.Time { return clock }, start: clock, last: clock}
	r := p.reader(strings.NewReader(strings.Repeat("x", 10<<20)))
	buf := make([]byte, 1<<20)
	for i := 0; i < 10; i++ {
		_, err := io.ReadFull(r, buf)
		require.NoError(t, err)
		clock = clock.Add(progressInterval / 2)
	}
	// Reads at 0, ½, 1, … 4½ intervals: frames after reads 3, 5, 7 and 9
	// (3, 5, 7, 9 MiB), then the final one.
	p.finish(true)
	frames := strings.Split(out.String(), "\r")[1:]
	require.Len(t, frames, 4+1, "want 4 frames and a final one: %q", out.String())
	require.Contains(t, frames[0], " 3.0/10.0 MiB")
	require.Contains(t, frames[3], " 9.0/10.0 MiB")
	last := frames[len(frames)-1]
	assert.True(t, strings.HasPrefix(last, "[====="), "final frame %q", last)
	assert.Contains(t, last, "100%", "final frame")
	assert.True(t, strings.HasSuffix(last, "\n"), "final frame %q", last)
	// Standard error that is not a terminal gets no bar; nor does -q.
	e := &env{stderr: &out}
	assert.Nil(t, newProgress(e, false, 1<<30), "progress bar enabled without a terminal")
	assert.Nil(t, newProgress(newEnv(), true, 1<<30), "progress bar enabled with -q")
	var nilBar *progress
	nilBar.finish(true) // a nil bar does nothing
}
