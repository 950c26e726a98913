package stream

import (
	"bytes"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/secret"
)

// heldOpen serves a ciphertext and then, instead of io.EOF, blocks until
// release is closed: a pipe or connection the writer keeps open after the
// file.
type heldOpen struct {
	r       *bytes.Reader
	release chan struct{}
}

func (h *heldOpen) Read(p []byte) (int, error) {
	if h.r.Len() > 0 {
		return h.r.Read(p)
	}
	<-h.release
	return 0, io.EOF
}

// stallTask occupies a pool worker until release is closed.
type stallTask struct{ release chan struct{} }

func (s stallTask) run() { <-s.release }

// A file whose last chunk is FINAL is released in full while the source
// stays open: the probe for trailing data waits until every chunk is out.
// The pool's workers are all kept busy, so that no chunk is opened before
// the reader reaches the FINAL chunk (as on a loaded machine): the reader
// opens them itself rather than block on the source first.
func TestDecryptReleasesAllBeforeProbingAHeldOpenSource(t *testing.T) {
	const cs = 1024
	key := secret.GenerateKey()
	msg := bytes.Repeat([]byte("abcdefgh"), 3*cs/8) // three full chunks, the last FINAL
	ct, h := encryptWithPar(t, msg, key, cs, 0, 1)

	stall := make(chan struct{})
	for range runtime.GOMAXPROCS(0) {
		workers.submit(stallTask{stall})
	}
	src := &heldOpen{r: bytes.NewReader(ct), release: make(chan struct{})}
	r, err := newDecryptReader(src, h, key, cs, 4)
	require.NoError(t, err)

	got := make(chan []byte, 1)
	go func() {
		buf := make([]byte, len(msg))
		n, _ := io.ReadFull(r, buf)
		got <- buf[:n]
	}()
	select {
	case b := <-got:
		assert.Equal(t, msg, b, "plaintext released while the source is held open")
	case <-time.After(10 * time.Second):
		assert.Fail(t, "the reader blocked on the held-open source with authenticated plaintext in hand")
	}
	close(src.release)
	close(stall)
	if !t.Failed() {
		n, err := r.Read(make([]byte, 1))
		assert.Equal(t, 0, n)
		assert.ErrorIs(t, err, io.EOF)
	}
}
