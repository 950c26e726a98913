package stream

import (
	"errors"
	"fmt"
	"io"
	"runtime"

	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/e2eekit/e2ee/secret"
)

// maxWorkers bounds decryption parallelism, and with it memory
// ((maxWorkers+1) chunk buffers).
const maxWorkers = 16

// dslot is one chunk on its way through a DecryptReader: ciphertext read
// into buf and pulled in place, or pulled from the caller's memory into
// buf; either way the plaintext sits at buf[1:n-16].
type dslot struct {
	buf  []byte                   // plaintext ends up at buf[1:n-16]
	in   []byte                   // the ciphertext: buf[:n], or a piece of the caller's memory
	n    int                      // ciphertext bytes
	st   sodium.SecretstreamState // state to pull this chunk with
	peek byte                     // the tag the chunk claims (unauthenticated)
	last bool                     // the source ended inside this chunk
	idx  int64                    // chunk number, for error messages
	err  error                    // set by open
	done chan struct{}            // one signal per dispatch
	busy bool                     // dispatched, signal not yet received
}

// open authenticates and decrypts the chunk in place. It runs on a worker
// goroutine or inline, and touches nothing but the slot.
func (s *dslot) open() {
	s.err = nil
	tag, err := s.st.Pull(s.buf[1:s.n-16], s.in)
	s.st.Clear()
	switch {
	case err != nil && s.last:
		// Most real truncations cut a chunk short, and then it is this
		// one that fails; a modification would fail the same way.
		s.err = fmt.Errorf("%w in the last chunk (%d): the file is truncated or was modified", ErrOpen, s.idx)
	case err != nil:
		s.err = fmt.Errorf("%w (chunk %d)", ErrOpen, s.idx)
	case tag != s.peek:
		// Impossible for an authentic chunk; refuse rather than trust a
		// state predicted from a different tag.
		s.err = fmt.Errorf("%w (chunk %d: tag mismatch)", ErrOpen, s.idx)
	case !Tag(tag).valid():
		s.err = fmt.Errorf("%w: tag value %d (chunk %d)", ErrUnexpectedTag, tag, s.idx)
	}
}

// DecryptReader decrypts the file format from a source, releasing plaintext
// only from chunks that have authenticated, in order. On files of more than
// one chunk it lets libsodium pull up to GOMAXPROCS chunks at once: on
// GOMAXPROCS-1 worker goroutines, and on the calling goroutine whenever it
// would otherwise wait. It is not safe for concurrent use.
//
// Only the goroutine calling Read or WriteTo reads src; worker goroutines
// touch only the reader's own buffers.
type DecryptReader struct {
	redact[DecryptReader]
	src   io.Reader
	mem   []byte // the rest of the ciphertext, for NewDecryptReaderBytes
	isMem bool
	ecs   int                       // encrypted chunk size
	next  *sodium.SecretstreamState // state for the next chunk read from src
	peek  byte                      // tag claimed by the last chunk read
	read  int64                     // chunks read from src
	full  bool                      // a full chunk has been read: allocate whole buffers

	ring        []*dslot
	head, count int  // ring[head] is the oldest chunk in flight; count are in use
	holding     bool // r.out points into ring[head]
	pending

	srcDone bool
	tail    error // what follows the last chunk queued: io.EOF or an error
	err     error // sticky

	par     int // worker goroutines; <= 1 means decrypt inline
	q       *queue[*dslot]
	cleanup runtime.Cleanup
	probe   [1]byte
}

// NewDecryptReader returns a reader of the plaintext of the file format read
// from src with header h and key. It reads exactly one encrypted chunk at a
// time from src, whatever the size of src's Reads. Read returns io.EOF only
// after a FINAL chunk and the clean end of src; ErrTruncated if src ends
// before a FINAL chunk; ErrTrailingData if anything follows it; ErrOpen for a
// chunk that fails to authenticate (none of its bytes, nor anything after
// it, is released; when it is the last chunk and cut short, the message
// says the file is truncated or was modified); ErrUnexpectedTag for a tag
// value outside the four defined ones; io.ErrNoProgress if src returns
// (0, nil) 100 times in a row; and src's own errors unchanged, except
// that io.ErrUnexpectedEOF also wraps ErrTruncated. Errors are sticky.
//
// Call Close when done early, to stop its workers at once (a reader dropped
// without Close stops them when it is garbage collected).
func NewDecryptReader(src io.Reader, h Header, key *secret.Key) (*DecryptReader, error) {
	if src == nil {
		return nil, errNilIO
	}
	return newDecryptReader(src, h, key, ChunkSize, runtime.GOMAXPROCS(0))
}

// NewDecryptReaderBytes is NewDecryptReader for a ciphertext already in
// memory, such as a memory-mapped file or a download held in a buffer. It
// decrypts straight out of ct, with no copy into the reader (the fastest
// path: see the package benchmarks), and never writes to ct; ct must not
// change while the reader is in use. Everything else, from the error
// guarantees to WriteTo, is as for NewDecryptReader.
func NewDecryptReaderBytes(ct []byte, h Header, key *secret.Key) (*DecryptReader, error) {
	return newDecryptReaderBytes(ct, h, key, ChunkSize, runtime.GOMAXPROCS(0))
}

func newDecryptReaderBytes(ct []byte, h Header, key *secret.Key, cs, par int) (*DecryptReader, error) {
	r, err := newDecryptReader(nil, h, key, cs, par)
	if err != nil {
		return nil, err
	}
	r.mem, r.isMem = ct, true
	return r, nil
}

// newDecryptReader takes the chunk size and parallelism as parameters so
// that tests can use small chunks and force either path.
func newDecryptReader(src io.Reader, h Header, key *secret.Key, cs, par int) (*DecryptReader, error) {
	k, err := keyArray(key)
	if err != nil {
		return nil, err
	}
	par = min(par, maxWorkers)
	depth := 1
	if par > 1 {
		// par chunks being pulled and one being released; the next chunk
		// is read into the slot a release frees. (More depth measured no
		// faster, and costs a chunk buffer per slot.)
		depth = par + 1
	}
	r := &DecryptReader{src: src, ecs: cs + Overhead, par: par, ring: make([]*dslot, depth), next: new(sodium.SecretstreamState)}
	for i := range r.ring {
		r.ring[i] = &dslot{done: make(chan struct{}, 1)}
	}
	r.next.Init((*[HeaderSize]byte)(&h), k)
	return r, nil
}

// Read implements io.Reader.
func (r *DecryptReader) Read(p []byte) (int, error) {
	if r == nil || r.ecs == 0 {
		return 0, errZero
	}
	return r.readOut(p, r)
}

// WriteTo implements io.WriterTo: it writes each authenticated chunk to w
// straight from the reader's buffer, without a copy. io.Copy uses it.
func (r *DecryptReader) WriteTo(w io.Writer) (int64, error) {
	if r == nil || r.ecs == 0 {
		return 0, errZero
	}
	if w == nil {
		return 0, errNilIO
	}
	return r.writeOut(w, r)
}

// Close stops the reader's workers, waits for the chunks they hold, and
// wipes its state. It does not close src. Reads after Close fail with
// ErrClosed (or the error or io.EOF the reader had already reached).
func (r *DecryptReader) Close() error {
	if r == nil || r.ecs == 0 {
		return errZero
	}
	if r.err == nil {
		r.err = ErrClosed
	}
	r.shutdown()
	r.out = nil
	r.ring = nil
	return nil
}

// advance releases the next authenticated chunk into r.out (which may be
// empty for an empty final chunk), or returns the sticky error.
func (r *DecryptReader) advance() error {
	if r.err != nil {
		return r.err
	}
	if r.holding {
		r.holding = false
		r.head = (r.head + 1) % len(r.ring)
		r.count--
	}
	// Keep the pipeline full, but release a chunk that is ready rather
	// than wait on a slow source.
	for r.count < len(r.ring) && !r.srcDone && !(r.count > 0 && r.ready(r.ring[r.head])) {
		r.readNext()
	}
	if r.count == 0 {
		return r.fail(r.tail)
	}
	s := r.ring[r.head]
	for s.busy {
		// Rather than wait, pull a chunk no worker has started: the caller
		// is the last of the par decrypters. This also keeps it from
		// sleeping while the workers sit in cgo calls, where the Go
		// scheduler can be slow to hand it a P again.
		select {
		case <-s.done:
			s.busy = false
		case j, ok := <-r.q.ch:
			if ok { // (the queue is only closed once the reader is done)
				j.open()
				j.done <- struct{}{}
			}
		}
	}
	if s.err != nil {
		return r.fail(s.err)
	}
	r.holding = true
	r.out = s.buf[1 : s.n-16]
	return nil
}

func (r *DecryptReader) ready(s *dslot) bool {
	if !s.busy {
		return true
	}
	select {
	case <-s.done:
		s.busy = false
		return true
	default:
		return false
	}
}

// readNext reads the next chunk from src into a free slot and dispatches
// it, or records in r.tail how the stream ends. It decides the end from the
// tag the previous chunk claims: that claim is only trusted if the chunk
// authenticates, and if it does not, its own error comes out first.
func (r *DecryptReader) readNext() {
	if r.read > 0 && Tag(r.peek) == TagFinal {
		// Whatever follows a FINAL chunk is trailing data: one byte tells.
		n, err := r.readSrc(r.probe[:])
		r.srcDone = true
		switch {
		case n > 0:
			r.tail = fmt.Errorf("%w (after chunk %d)", ErrTrailingData, r.read-1)
		case err == io.EOF:
			r.tail = io.EOF
		default:
			r.tail = err
		}
		return
	}
	s := r.ring[(r.head+r.count)%len(r.ring)]
	var n int
	var err error
	if r.isMem {
		n = min(len(r.mem), r.ecs)
		s.in, r.mem = r.mem[:n], r.mem[n:]
		if n < r.ecs {
			err = io.EOF
		}
		if len(s.buf) < n-16 {
			s.buf = getChunkBuf(max(n, min(r.ecs, smallBuf)))
		}
	} else {
		n, err = fill(&s.buf, 0, r.src, r.ecs, r.ecs, r.full)
		s.in = s.buf[:n]
	}
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		// The source knows it was cut short (an HTTP body shorter than
		// its Content-Length, say): that is evidence of truncation.
		r.srcDone, r.tail = true, fmt.Errorf("%w: %w", ErrTruncated, err)
		return
	case err != nil && err != io.EOF:
		r.srcDone, r.tail = true, err
		return
	case n == 0:
		r.srcDone = true
		r.tail = fmt.Errorf("%w: source ended after %d chunk(s)", ErrTruncated, r.read)
		return
	case n < Overhead:
		r.srcDone = true
		r.tail = fmt.Errorf("%w: partial chunk of %d bytes", ErrTruncated, n)
		return
	}
	s.n, s.idx, s.st, s.last = n, r.read, *r.next, n < r.ecs
	s.peek, _ = s.st.Successor(r.next, s.in) // n >= Overhead: cannot fail
	r.peek = s.peek
	r.read++
	r.count++
	if n < r.ecs { // src ended inside this chunk: it is the last
		r.srcDone = true
		r.tail = io.EOF
		if Tag(s.peek) != TagFinal {
			r.tail = fmt.Errorf("%w: last chunk (%d) is not FINAL", ErrTruncated, s.idx)
		}
	} else {
		r.full = true
	}
	r.dispatch(s)
}

// readSrc reads one probe byte from src or memory.
func (r *DecryptReader) readSrc(p []byte) (int, error) {
	if r.isMem {
		if len(r.mem) == 0 {
			return 0, io.EOF
		}
		n := copy(p, r.mem)
		r.mem = r.mem[n:]
		return n, nil
	}
	return fill(&p, 0, r.src, len(p), len(p), false)
}

func (r *DecryptReader) dispatch(s *dslot) {
	// Single short chunks (blobs, small files) never start goroutines.
	if r.par <= 1 || (r.q == nil && s.n < r.ecs) {
		s.open()
		return
	}
	if r.q == nil {
		r.q = newQueue[*dslot](len(r.ring))
		for range r.par - 1 {
			go decryptWorker(r.q.ch)
		}
		r.cleanup = runtime.AddCleanup(r, (*queue[*dslot]).stop, r.q)
	}
	s.busy = true
	r.q.ch <- s
}

func decryptWorker(jobs <-chan *dslot) {
	for s := range jobs {
		s.open()
		s.done <- struct{}{}
	}
}

func (r *DecryptReader) fail(err error) error {
	r.err = err
	r.shutdown()
	return err
}

// shutdown stops the workers once the chunks they hold are done, so that
// no goroutine touches the reader's buffers afterwards, and wipes the state.
func (r *DecryptReader) shutdown() {
	for _, s := range r.ring {
		if s.busy {
			<-s.done
			s.busy = false
		}
		putChunkBuf(s.buf)
		s.buf, s.in = nil, nil
	}
	r.out, r.mem = nil, nil
	if r.q != nil {
		r.cleanup.Stop()
		r.q.stop()
	}
	r.next.Clear()
}
