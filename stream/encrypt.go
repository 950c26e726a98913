package stream

import (
	"fmt"
	"io"
	"runtime"

	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/e2eekit/e2ee/secret"
)

// encDepth chunk buffers let one chunk be encrypted while the next is
// filled and the previous one is written out.
const encDepth = 3

// eslot is one chunk on its way through an encrypter: plaintext at
// buf[1:1+n], sealed in place into buf[:n+Overhead]. len(buf) always leaves
// room for the MAC after the plaintext. When src is set, the plaintext is
// src instead (a caller's buffer, sealed without a copy).
type eslot struct {
	buf    []byte
	src    []byte
	n      int
	tag    Tag
	err    error
	done   chan struct{}
	busy   bool // submitted, signal not yet received
	sealed bool // signal received, ciphertext not yet consumed
}

func (s *eslot) seal(st *sodium.SecretstreamState) {
	in := s.buf[1 : 1+s.n]
	if s.src != nil {
		in = s.src
	}
	s.err = st.Push(s.buf[:s.n+Overhead], in, byte(s.tag))
}

// ct returns the sealed chunk.
func (s *eslot) ct() []byte { return s.buf[:s.n+Overhead] }

// room is how many more plaintext bytes fit in buf, capped at cs in all.
func (s *eslot) room(cs int) int { return min(cs, len(s.buf)-Overhead) - s.n }

// grow makes room for need bytes of buf plus the MAC: first a small buffer
// (small inputs stay cheap), then a whole pooled one.
func (s *eslot) grow(need, cs int, full bool) {
	var nb []byte
	if !full && need+Overhead <= smallBuf && len(s.buf) < smallBuf && cs+Overhead > smallBuf {
		nb = make([]byte, smallBuf)
	} else {
		nb = getChunkBuf(cs + Overhead)
	}
	copy(nb, s.buf[:min(len(s.buf), 1+s.n)])
	s.buf = nb
}

// put copies as much of p as fits below cs plaintext bytes, in readPiece
// pieces so that the chunk stays in cache for the seal.
func (s *eslot) put(p []byte, cs int, full bool) int {
	k := min(len(p), cs-s.n)
	if s.room(cs) < k {
		s.grow(1+s.n+k, cs, full)
	}
	for off := 0; off < k; off += readPiece {
		copy(s.buf[1+s.n+off:], p[off:min(k, off+readPiece)])
	}
	s.n += k
	return k
}

// readFrom reads src into the slot until it holds at least atLeast (at
// most cs) plaintext bytes or src fails, and returns the bytes read.
func (s *eslot) readFrom(src io.Reader, cs, atLeast int, full bool) (int, error) {
	start := s.n
	for s.n < atLeast {
		if s.room(cs) <= 0 {
			s.grow(s.n+2, cs, full)
		}
		want := min(s.room(cs), readPiece)
		m, err := readSome(src, s.buf[1+s.n:1+s.n+want])
		s.n += m
		if err != nil {
			return s.n - start, err
		}
	}
	return s.n - start, nil
}

// sealer seals chunks in order, inline or on one helper goroutine that owns
// the state once started (and wipes it when it stops).
type sealer struct {
	cs   int
	st   *sodium.SecretstreamState
	par  bool
	q    *queue[*eslot]
	ring [encDepth]*eslot
	full bool // a full chunk was seen: allocate whole buffers
}

func (z *sealer) init(key *secret.Key, cs int) (Header, error) {
	k, err := keyArray(key)
	if err != nil {
		return Header{}, err
	}
	h := newHeader()
	z.cs, z.st, z.par = cs, new(sodium.SecretstreamState), runtime.GOMAXPROCS(0) > 1
	z.st.Init((*[HeaderSize]byte)(&h), k)
	for i := range z.ring {
		z.ring[i] = &eslot{done: make(chan struct{}, 1)}
	}
	return h, nil
}

// submit seals s with tag: on the helper (started on first use, for
// streams of more than one chunk) when there is a spare core, else inline.
// It reports whether it started the helper, so that the caller can attach
// a cleanup.
func (z *sealer) submit(s *eslot, tag Tag) (started bool) {
	s.tag = tag
	if s.room(z.cs) < 0 || len(s.buf) < Overhead {
		s.grow(1+s.n, z.cs, z.full)
	}
	if s.n == z.cs {
		z.full = true
	}
	s.busy = true
	if z.q == nil && (!z.par || tag == TagFinal) {
		s.seal(z.st)
		s.done <- struct{}{}
		return false
	}
	if z.q == nil {
		z.q = newQueue[*eslot](encDepth)
		go sealWorker(z.st, z.q.ch)
		started = true
	}
	z.q.ch <- s
	return started
}

func sealWorker(st *sodium.SecretstreamState, jobs <-chan *eslot) {
	defer st.Clear()
	for s := range jobs {
		s.seal(st)
		s.done <- struct{}{}
	}
}

// collect waits until s, if submitted, is sealed.
func (z *sealer) collect(s *eslot) {
	if s.busy {
		<-s.done
		s.busy, s.sealed = false, true
	}
}

// ready reports without blocking whether s is sealed.
func (z *sealer) ready(s *eslot) bool {
	if s.busy {
		select {
		case <-s.done:
			s.busy, s.sealed = false, true
		default:
		}
	}
	return s.sealed
}

// shutdown waits for every submitted chunk and stops the helper (which
// wipes the state), or wipes it here if there is no helper.
func (z *sealer) shutdown(c *runtime.Cleanup) {
	for _, s := range z.ring {
		z.collect(s)
		s.sealed = false
		putChunkBuf(s.buf)
		s.buf, s.n = nil, 0
	}
	if z.q != nil {
		c.Stop()
		z.q.stop()
	} else if z.st != nil {
		z.st.Clear()
	}
}

// EncryptWriter encrypts the file format to a destination. It is not safe
// for concurrent use.
type EncryptWriter struct {
	redact[EncryptWriter]
	z       sealer
	dst     io.Writer
	cur     int // ring index of the chunk being filled
	err     error
	closed  bool
	cleanup runtime.Cleanup
	probe   [1]byte
}

// NewEncryptWriter returns a writer that encrypts to dst under key with a
// fresh header, which it returns: store it with the ciphertext.
//
// Write accepts any amount and reports plaintext bytes consumed; it writes
// each chunk to dst once it knows whether more data follows, tagged MESSAGE,
// and Close writes the last one tagged FINAL (an empty input gives one empty
// FINAL chunk). While one chunk is being encrypted on another core the next
// is filled. Errors from dst are sticky, and no FINAL chunk is written after
// one, so a failed upload is never a valid file. Close does not close dst;
// Write after Close fails with ErrClosed.
func NewEncryptWriter(dst io.Writer, key *secret.Key) (*EncryptWriter, Header, error) {
	if dst == nil {
		return nil, Header{}, errNilIO
	}
	return newEncryptWriter(dst, key, ChunkSize)
}

func newEncryptWriter(dst io.Writer, key *secret.Key, cs int) (*EncryptWriter, Header, error) {
	w := &EncryptWriter{dst: dst}
	h, err := w.z.init(key, cs)
	if err != nil {
		return nil, Header{}, err
	}
	return w, h, nil
}

// Write implements io.Writer.
func (w *EncryptWriter) Write(p []byte) (int, error) {
	if w == nil || w.z.cs == 0 {
		return 0, errZero
	}
	if w.err != nil {
		return 0, w.err
	}
	defer w.release()
	n := 0
	for len(p) > 0 {
		if w.z.ring[w.cur].n == w.z.cs {
			// A full chunk followed by more data is not the last one.
			if err := w.rotate(); err != nil {
				return n, err
			}
		}
		if s := w.z.ring[w.cur]; s.n == 0 && len(p) > w.z.cs {
			// A whole chunk of p with more after it: seal it straight from
			// p, which halves the memory traffic of a copy into the chunk
			// buffer first. release waits for it before Write returns, so p
			// is not retained.
			s.src, s.n = p[:w.z.cs], w.z.cs
			n += w.z.cs
			p = p[w.z.cs:]
			if err := w.rotate(); err != nil {
				return n, err
			}
			continue
		}
		k := w.z.ring[w.cur].put(p, w.z.cs, w.z.full)
		n += k
		p = p[k:]
	}
	return n, nil
}

// release waits until no chunk is still being sealed from a caller's
// buffer, so that Write never retains p.
func (w *EncryptWriter) release() {
	for _, s := range w.z.ring {
		if s.src != nil {
			w.z.collect(s)
			s.src = nil
		}
	}
}

// ReadFrom implements io.ReaderFrom, reading src straight into chunk
// buffers until EOF. It does not Close. An error from src is sticky like
// one from dst: Close then returns it and writes no FINAL chunk, so an
// interrupted copy never leaves a valid (truncated) file behind.
func (w *EncryptWriter) ReadFrom(src io.Reader) (int64, error) {
	if w == nil || w.z.cs == 0 {
		return 0, errZero
	}
	if src == nil {
		return 0, errNilIO
	}
	if w.err != nil {
		return 0, w.err
	}
	var total int64
	for {
		if w.z.ring[w.cur].n == w.z.cs {
			// One more byte decides that the full chunk is not the last.
			pb := w.probe[:]
			if n, err := fill(&pb, 0, src, 1, 1, false); n == 0 {
				if err == io.EOF {
					return total, nil
				}
				w.err = err
				return total, err
			}
			if err := w.rotate(); err != nil {
				return total, err
			}
			w.z.ring[w.cur].put(w.probe[:], w.z.cs, w.z.full)
			total++
		}
		n, err := w.z.ring[w.cur].readFrom(src, w.z.cs, w.z.cs, w.z.full)
		total += int64(n)
		if err == io.EOF {
			return total, nil
		} else if err != nil {
			w.err = err
			return total, err
		}
	}
}

// rotate submits the current chunk tagged MESSAGE and moves on to the next
// buffer, writing out the chunk it held.
func (w *EncryptWriter) rotate() error {
	if w.z.submit(w.z.ring[w.cur], TagMessage) {
		w.cleanup = runtime.AddCleanup(w, (*queue[*eslot]).stop, w.z.q)
	}
	w.cur = (w.cur + 1) % encDepth
	if err := w.drain(w.z.ring[w.cur]); err != nil {
		return err
	}
	w.z.ring[w.cur].n = 0
	return nil
}

// drain waits for s and writes it to dst; after an error it only waits.
func (w *EncryptWriter) drain(s *eslot) error {
	w.z.collect(s)
	if !s.sealed {
		return w.err
	}
	s.sealed = false
	if w.err == nil {
		if s.err != nil {
			w.err = fmt.Errorf("stream: encrypting: %w", s.err)
		} else if err := writeAll(w.dst, s.ct()); err != nil {
			w.err = err
		}
	}
	return w.err
}

// Close encrypts and writes the last chunk, tagged FINAL, and whatever is
// still buffered. It does not close dst. After an earlier error it writes
// nothing more and returns that error.
func (w *EncryptWriter) Close() error {
	if w == nil || w.z.cs == 0 {
		return errZero
	}
	if w.closed {
		if w.err == ErrClosed {
			return nil
		}
		return w.err
	}
	w.closed = true
	if w.err == nil {
		w.z.submit(w.z.ring[w.cur], TagFinal)
		for i := 1; i <= encDepth; i++ {
			w.drain(w.z.ring[(w.cur+i)%encDepth])
		}
	}
	w.z.shutdown(&w.cleanup)
	if w.err != nil {
		return w.err
	}
	w.err = ErrClosed
	return nil
}

func writeAll(w io.Writer, b []byte) error {
	n, err := w.Write(b)
	if err == nil && n != len(b) {
		err = io.ErrShortWrite
	}
	return err
}

// EncryptReader encrypts the file format from a source, for upload bodies
// and other pull-style consumers. It is not safe for concurrent use.
type EncryptReader struct {
	redact[EncryptReader]
	z           sealer
	src         io.Reader
	head, count int  // ring[head] is the oldest chunk in use; count in use
	held        bool // the newest chunk is full and not yet submitted
	holding     bool // r.out points into ring[head]
	pending
	srcDone bool
	tail    error
	err     error
	cleanup runtime.Cleanup
}

// NewEncryptReader returns a reader of the encryption of src under key with
// a fresh header, which it returns. It reads src while it encrypts the
// previous chunk on another core. The output ends with a FINAL chunk only if
// src ends with io.EOF: after any other error from src the reader returns
// that error (sticky) and never emits FINAL.
//
// It returns the concrete type, rather than io.Reader, so that callers get
// WriteTo (used by io.Copy, no extra copy) and Close.
func NewEncryptReader(src io.Reader, key *secret.Key) (*EncryptReader, Header, error) {
	if src == nil {
		return nil, Header{}, errNilIO
	}
	return newEncryptReader(src, key, ChunkSize)
}

func newEncryptReader(src io.Reader, key *secret.Key, cs int) (*EncryptReader, Header, error) {
	r := &EncryptReader{src: src}
	h, err := r.z.init(key, cs)
	if err != nil {
		return nil, Header{}, err
	}
	return r, h, nil
}

// Read implements io.Reader.
func (r *EncryptReader) Read(p []byte) (int, error) {
	if r == nil || r.z.cs == 0 {
		return 0, errZero
	}
	return r.readOut(p, r)
}

// WriteTo implements io.WriterTo, writing each sealed chunk to w without a
// copy.
func (r *EncryptReader) WriteTo(w io.Writer) (int64, error) {
	if r == nil || r.z.cs == 0 {
		return 0, errZero
	}
	if w == nil {
		return 0, errNilIO
	}
	return r.writeOut(w, r)
}

// Close stops the helper goroutine and wipes the state. It does not close
// src.
func (r *EncryptReader) Close() error {
	if r == nil || r.z.cs == 0 {
		return errZero
	}
	if r.err == nil {
		r.err = ErrClosed
	}
	r.out = nil
	r.z.shutdown(&r.cleanup)
	return nil
}

func (r *EncryptReader) slot(i int) *eslot { return r.z.ring[(r.head+i)%encDepth] }

func (r *EncryptReader) advance() error {
	if r.err != nil {
		return r.err
	}
	if r.holding {
		r.holding = false
		r.slot(0).sealed = false
		r.head = (r.head + 1) % encDepth
		r.count--
	}
	// Read ahead while the oldest chunk is being sealed, but hand out a
	// sealed chunk rather than wait on a slow source.
	for r.count < encDepth && !r.srcDone && !(r.count > 0 && r.z.ready(r.slot(0))) {
		r.readNext()
	}
	if r.count == 0 {
		return r.fail(r.tail)
	}
	s := r.slot(0)
	r.z.collect(s)
	if s.err != nil {
		return r.fail(fmt.Errorf("stream: encrypting: %w", s.err))
	}
	r.holding = true
	r.out = s.ct()
	return nil
}

// readNext reads the next chunk from src. A full chunk is held back until
// one more byte (MESSAGE) or the end of src (FINAL) decides its tag.
func (r *EncryptReader) readNext() {
	s := r.slot(r.count)
	s.n = 0
	n, err := s.readFrom(r.src, r.z.cs, 1, r.z.full)
	if r.held {
		r.held = false
		prev := r.slot(r.count - 1)
		switch {
		case n > 0:
			r.submit(prev, TagMessage)
		case err == io.EOF:
			r.submit(prev, TagFinal)
			r.srcDone, r.tail = true, io.EOF
			return
		default: // src failed: the undecided chunk is dropped, never FINAL
			r.count--
			r.srcDone, r.tail = true, err
			return
		}
	}
	if err == nil {
		_, err = s.readFrom(r.src, r.z.cs, r.z.cs, r.z.full)
	}
	switch {
	case err == nil: // full: tag decided by the next read
		r.count++
		r.held = true
	case err == io.EOF:
		r.count++
		r.submit(s, TagFinal)
		r.srcDone, r.tail = true, io.EOF
	default:
		r.srcDone, r.tail = true, err
	}
}

func (r *EncryptReader) submit(s *eslot, tag Tag) {
	if r.z.submit(s, tag) {
		r.cleanup = runtime.AddCleanup(r, (*queue[*eslot]).stop, r.z.q)
	}
}

func (r *EncryptReader) fail(err error) error {
	r.err = err
	r.z.shutdown(&r.cleanup)
	return err
}
