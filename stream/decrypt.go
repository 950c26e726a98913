package stream

// DecryptReader: parallel decryption of the file format.
//
// # How it works
//
// The state that pulls chunk i+1 is the state that pulled chunk i advanced
// by chunk i's MAC and tag (SecretstreamState.Successor), so the reader
// predicts each chunk's state as soon as it has read the previous chunk and
// hands the chunk to the process-wide worker pool (pool.go). Chunks are
// released to the caller strictly in order, each only after it
// authenticates.
//
// # Ownership rules
//
//   - The owner is the goroutine calling Read, WriteTo or Close. Only it
//     touches the DecryptReader, src, the predicted state core.next and the
//     ring; the ring's slots are decryptChunks, each holding one budget
//     token (ring.go, budget.go).
//   - A chunk in flight belongs to whoever wins its claim. dispatch sets
//     claim to chunkQueued and submits the chunk to the pool; claim() moves
//     it to chunkClaimed for exactly one caller: a pool worker, which then
//     opens it and sends one signal on done, or the owner, which opens it
//     itself (it needs the chunk next and no worker has started it) or
//     skips it (at shutdown) and sends nothing. A pool entry that loses
//     the claim does nothing, so a stale entry for a chunk the owner opened
//     is harmless.
//   - inFlight, an owner-only field, is set by dispatch and cleared when the
//     owner wins the claim or receives the signal. Invariant: inFlight means
//     either claim is chunkQueued and the pool still holds an entry that will
//     try it, or a worker won the claim and will send exactly one signal. So
//     waiting on done is only done after losing the claim, and never blocks
//     forever.
//   - A chunk's plaintext, buf[hr+1:hr+n-16], reaches r.out only once the chunk is
//     out of flight and err is nil; it stays in use until the next advance.
//     A free slot is never in flight.
//   - Everything a cleanup must undo lives in decryptCore, which holds no
//     pointer to the DecryptReader, so that runtime.AddCleanup can return
//     the tokens of a reader dropped without Close. Exported methods keep
//     the reader alive until they return (runtime.KeepAlive) so the cleanup
//     never runs under them.

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync/atomic"

	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/e2eekit/e2ee/secret"
)

// maxParallelism bounds the chunks one reader pulls at once, and with it
// its ring: parallelism+1 chunk buffers.
const maxParallelism = 16

// The values of decryptChunk.claim.
const (
	chunkIdle    int32 = iota // never dispatched
	chunkQueued               // in the pool, not yet started
	chunkClaimed              // taken by a worker or the owner
)

// decryptChunk is one slot of a DecryptReader's ring: a chunk's ciphertext
// (read into buf, or a piece of the caller's memory) and, once open
// succeeds, its plaintext at buf[hr+1:hr+n-16], decrypted in place or out of the
// caller's memory.
type decryptChunk struct {
	buf        []byte                   // plaintext ends up at buf[hr+1:hr+n-16]
	in         []byte                   // the ciphertext: buf[hr:hr+n], or a piece of the caller's memory
	n          int                      // ciphertext bytes
	st         sodium.SecretstreamState // state to pull this chunk with (predicted)
	claimedTag byte                     // the tag the chunk claims (unauthenticated)
	last       bool                     // the source ended inside this chunk
	index      int64                    // chunk number, for error messages
	err        error                    // set by open

	claim    atomic.Int32  // chunkIdle, chunkQueued or chunkClaimed
	done     chan struct{} // capacity 1: one signal per chunk a worker opened
	inFlight bool          // owner only: dispatched, and not yet taken back
}

func newDecryptChunk() *decryptChunk { return &decryptChunk{done: make(chan struct{}, 1)} }

// run is the pool's entry point.
func (c *decryptChunk) run() {
	if c.tryClaim() {
		c.open()
		c.done <- struct{}{}
	}
}

func (c *decryptChunk) tryClaim() bool { return c.claim.CompareAndSwap(chunkQueued, chunkClaimed) }

// open authenticates and decrypts the chunk in place. It touches nothing but
// the chunk.
func (c *decryptChunk) open() {
	c.err = nil
	gate.enter()
	tag, err := c.st.PullBuf(c.buf[:hr+c.n], c.in)
	gate.leave()
	c.st.Clear()
	switch {
	case err != nil && c.last:
		// Most real truncations cut a chunk short, and then it is this
		// one that fails; a modification would fail the same way.
		c.err = fmt.Errorf("%w in the last chunk (%d): the file is truncated or was modified", ErrOpen, c.index)
	case err != nil:
		c.err = fmt.Errorf("%w (chunk %d)", ErrOpen, c.index)
	case tag != c.claimedTag:
		// Impossible for an authentic chunk; refuse rather than trust a
		// state predicted from a different tag.
		c.err = fmt.Errorf("%w (chunk %d: tag mismatch)", ErrOpen, c.index)
	case !Tag(tag).valid():
		c.err = fmt.Errorf("%w: tag value %d (chunk %d)", ErrUnexpectedTag, tag, c.index)
	}
}

// takeBack makes the owner the chunk's only user again: it wins the claim
// (then the chunk is opened here if open is set, else left unopened) or
// waits for the worker that won it.
func (c *decryptChunk) takeBack(open bool) {
	if !c.inFlight {
		return
	}
	if c.tryClaim() {
		if open {
			c.open()
		}
	} else {
		<-c.done
	}
	c.inFlight = false
}

// settle takes the chunk back without opening it, wipes its state and
// gives up its buffer, which it returns.
func (c *decryptChunk) settle() []byte {
	c.takeBack(false)
	c.st.Clear()
	buf := c.buf
	c.buf, c.in = nil, nil
	return buf
}

func (c *decryptChunk) buffer() []byte { return c.buf }

// decryptCore is what a DecryptReader's cleanup must reach: the ring of
// chunks (with their tokens) and the predicted state.
type decryptCore struct {
	ring  ring[decryptChunk]
	next  *sodium.SecretstreamState // state for the next chunk read from the source
	depth int                       // the most slots the ring may grow to
}

// stop takes back every chunk in flight, without opening it, wipes the
// states, and returns the buffers and tokens. It is idempotent, and it is
// the runtime cleanup of a dropped reader.
func (c *decryptCore) stop() {
	c.ring.dropAll((*decryptChunk).settle)
	c.next.Clear()
}

// abandoned is the runtime cleanup of a reader dropped before its end.
func (c *decryptCore) abandoned() {
	abandonedStreams.Add(1)
	c.stop()
}

// DecryptReader decrypts the file format from a source, releasing plaintext
// only from chunks that have authenticated, in order. On files of more than
// one chunk it pulls up to GOMAXPROCS chunks at once on the package's
// shared workers (and on the calling goroutine a chunk it needs next that
// no worker has started, when the workers are busy with other streams).
// Its chunk buffers count against the memory budget (see SetMemoryBudget).
// It is not safe for concurrent use.
//
// Only the goroutine calling Read or WriteTo reads src; workers touch only
// the reader's own buffers.
type DecryptReader struct {
	redact[DecryptReader]
	src          io.Reader
	mem          []byte // the rest of the ciphertext, for NewDecryptReaderBytes
	fromMemory   bool
	encChunkSize int // chunk size + Overhead
	parallelism  int // chunks pulled at once; <= 1 means inline, one at a time
	core         *decryptCore
	lastTag      byte  // tag claimed by the last chunk read
	chunksRead   int64 // chunks read from src
	sawFull      bool  // a full chunk has been read: allocate whole buffers

	releasing bool // r.out points into the oldest chunk in the ring
	pending

	srcDone bool
	tail    error // what follows the last chunk read: io.EOF or an error
	err     error // sticky

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
// The first Read waits for a chunk buffer if the memory budget is spent
// (see SetMemoryBudget). Call Close when done early, to return its buffers
// at once (a reader dropped without Close returns them when it is garbage
// collected).
func NewDecryptReader(src io.Reader, h Header, key *secret.Key) (*DecryptReader, error) {
	if src == nil {
		return nil, errNilIO
	}
	return newDecryptReader(src, h, key, ChunkSize, runtime.GOMAXPROCS(0))
}

// NewDecryptReaderBytes is NewDecryptReader for a ciphertext already in
// memory, such as a memory-mapped file or a download held in a buffer. It
// never writes to ct, and ct must not change while the reader is in use.
// With more than one core, and no other stream in progress, it copies
// each chunk into one of its buffers while the workers open earlier chunks
// in place, which measured faster than opening chunks straight out of ct
// (see "Parallel decryption" in the package doc); otherwise it opens them
// straight out of ct. Everything else, from the error guarantees to
// WriteTo and the memory budget, is as for NewDecryptReader.
func NewDecryptReaderBytes(ct []byte, h Header, key *secret.Key) (*DecryptReader, error) {
	return newDecryptReaderBytes(ct, h, key, ChunkSize, runtime.GOMAXPROCS(0))
}

func newDecryptReaderBytes(ct []byte, h Header, key *secret.Key, chunkSize, parallelism int) (*DecryptReader, error) {
	r, err := newDecryptReader(nil, h, key, chunkSize, parallelism)
	if err != nil {
		return nil, err
	}
	r.mem, r.fromMemory = ct, true
	return r, nil
}

// newDecryptReader takes the chunk size and parallelism as parameters so
// that tests can use small chunks and force either path.
func newDecryptReader(src io.Reader, h Header, key *secret.Key, chunkSize, parallelism int) (*DecryptReader, error) {
	k, err := keyArray(key)
	if err != nil {
		return nil, err
	}
	parallelism = min(parallelism, maxParallelism)
	depth := 1
	if parallelism > 1 {
		// parallelism chunks being pulled and one being released; the
		// next chunk is read into the slot a release frees. (More depth
		// measured no faster, and costs a chunk buffer per slot.)
		depth = parallelism + 1
	}
	r := &DecryptReader{src: src, encChunkSize: chunkSize + Overhead, parallelism: parallelism,
		core: &decryptCore{next: new(sodium.SecretstreamState), depth: depth}}
	r.core.next.Init((*[HeaderSize]byte)(&h), k)
	r.cleanup = runtime.AddCleanup(r, (*decryptCore).abandoned, r.core)
	return r, nil
}

// Read implements io.Reader.
func (r *DecryptReader) Read(p []byte) (int, error) {
	if r == nil || r.encChunkSize == 0 {
		return 0, errZero
	}
	return r.readOut(p, r)
}

// WriteTo implements io.WriterTo: it writes each authenticated chunk to w
// straight from the reader's buffer, without a copy. io.Copy uses it.
func (r *DecryptReader) WriteTo(w io.Writer) (int64, error) {
	if r == nil || r.encChunkSize == 0 {
		return 0, errZero
	}
	if w == nil {
		return 0, errNilIO
	}
	return r.writeOut(w, r)
}

// Close waits for the chunks being pulled, wipes the reader's state and
// returns its buffers to the memory budget. It does not close src. Reads
// after Close fail with ErrClosed (or the error or io.EOF the reader had
// already reached).
func (r *DecryptReader) Close() error {
	if r == nil || r.encChunkSize == 0 {
		return errZero
	}
	defer runtime.KeepAlive(r)
	if r.err == nil {
		r.err = ErrClosed
	}
	r.shutdown()
	return nil
}

// advance releases the next authenticated chunk into r.out (which may be
// empty for an empty final chunk), or returns the sticky error.
func (r *DecryptReader) advance() error {
	if r.err != nil {
		return r.err
	}
	ring := &r.core.ring
	if r.releasing {
		r.releasing = false
		ring.markFree()
		ring.giveBackSpare((*decryptChunk).buffer)
	}
	// Keep the pipeline full, but release a chunk that is ready rather
	// than wait on a slow source.
	for !r.srcDone && !(!ring.empty() && r.ready(ring.oldest())) && r.reserveSlot() {
		r.readNext()
	}
	if ring.empty() {
		return r.fail(r.tail)
	}
	s := ring.oldest()
	// If no worker has started the oldest chunk (the workers are busy with
	// other streams), open it here rather than wait behind them; else wait
	// for its worker. (Opening later chunks here as well, while waiting,
	// measured slower: three goroutines then share two cores.)
	s.takeBack(true)
	if s.err != nil {
		return r.fail(s.err)
	}
	r.releasing = true
	r.out = s.buf[hr+1 : hr+s.n-16]
	return nil
}

// ready reports without blocking whether s is out of flight.
func (r *DecryptReader) ready(s *decryptChunk) bool {
	if !s.inFlight {
		return true
	}
	select {
	case <-s.done:
		s.inFlight = false
		return true
	default:
		return false
	}
}

// reserveSlot makes sure the ring has a free slot for the next chunk,
// growing it if the budget allows (ring.grow). It reports whether there is
// a free slot, or, after a FINAL chunk, whether the probe byte that looks
// for trailing data may be read: only once every chunk has been released,
// since that read may block (a source held open after the file) and there
// is nothing to gain from it while chunks are still being opened.
func (r *DecryptReader) reserveSlot() bool {
	ring := &r.core.ring
	if r.chunksRead > 0 && Tag(r.lastTag) == TagFinal {
		return ring.empty()
	}
	return !ring.full() || ring.grow(r.core.depth, newDecryptChunk)
}

// readNext reads the next chunk from src into the next free slot and
// dispatches it, or records in r.tail how the stream ends. It decides the
// end from the tag the previous chunk claims: that claim is only trusted if
// the chunk authenticates, and if it does not, its own error comes out
// first.
func (r *DecryptReader) readNext() {
	if r.chunksRead > 0 && Tag(r.lastTag) == TagFinal {
		// Whatever follows a FINAL chunk is trailing data: one byte tells.
		n, err := r.readSrc(r.probe[:])
		r.srcDone = true
		switch {
		case n > 0:
			r.tail = fmt.Errorf("%w (after chunk %d)", ErrTrailingData, r.chunksRead-1)
		case err == io.EOF:
			r.tail = io.EOF
		default:
			r.tail = err
		}
		return
	}
	s := r.core.ring.nextFree()
	var n int
	var err error
	if r.fromMemory {
		n = min(len(r.mem), r.encChunkSize)
		s.in, r.mem = r.mem[:n], r.mem[n:]
		if n < r.encChunkSize {
			err = io.EOF
		}
		if len(s.buf) < hr+n {
			s.buf = getChunkBuf(hr + max(n, min(r.encChunkSize, smallBuf)))
		}
		if r.parallelism > 1 && streamsHolding.Load() <= 1 {
			// Copy the chunk in here, while workers open earlier ones, so
			// that a worker opens it in place, from memory this core has
			// just brought into cache: see "Parallel decryption" in
			// doc.go. Not while other streams share the workers: the chunk
			// would leave the cache before its turn, and the copy would
			// only add memory traffic (64 readers at once measured 10–15 %
			// faster without it). Inline, it is opened straight out of
			// memory.
			copyInPieces(s.buf[hr:hr+n], s.in)
			s.in = s.buf[hr : hr+n]
		}
	} else {
		n, err = fill(&s.buf, hr, r.src, hr+r.encChunkSize, hr+r.encChunkSize, r.sawFull)
		s.in = s.buf[hr : hr+n]
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
		r.tail = fmt.Errorf("%w: source ended after %d chunk(s)", ErrTruncated, r.chunksRead)
		return
	case n < Overhead:
		r.srcDone = true
		r.tail = fmt.Errorf("%w: partial chunk of %d bytes", ErrTruncated, n)
		return
	}
	s.n, s.index, s.st, s.last = n, r.chunksRead, *r.core.next, n < r.encChunkSize
	s.claimedTag, _ = s.st.Successor(r.core.next, s.in) // n >= Overhead: cannot fail
	r.lastTag = s.claimedTag
	r.chunksRead++
	r.core.ring.markUsed()
	if s.last { // src ended inside this chunk
		r.srcDone = true
		r.tail = io.EOF
		if Tag(s.claimedTag) != TagFinal {
			r.tail = fmt.Errorf("%w: last chunk (%d) is not FINAL", ErrTruncated, s.index)
		}
	} else {
		r.sawFull = true
	}
	r.dispatch(s)
}

// readSrc reads one probe byte from src or memory.
func (r *DecryptReader) readSrc(p []byte) (int, error) {
	if r.fromMemory {
		if len(r.mem) == 0 {
			return 0, io.EOF
		}
		n := copy(p, r.mem)
		r.mem = r.mem[n:]
		return n, nil
	}
	return fill(&p, 0, r.src, len(p), len(p), false)
}

// dispatch opens s inline when there is no parallelism, or when s is the
// only chunk of the stream in the ring and the last one (a small file, a
// last chunk with nothing to overlap); otherwise it hands s to the pool.
func (r *DecryptReader) dispatch(s *decryptChunk) {
	if r.parallelism <= 1 || (s.last && r.core.ring.inUse == 1) {
		s.open()
		return
	}
	s.inFlight = true
	s.claim.Store(chunkQueued)
	workers.submit(s)
}

func (r *DecryptReader) fail(err error) error {
	r.err = err
	r.shutdown()
	return err
}

// shutdown ends the stream: no goroutine touches the reader's buffers
// afterwards, the states are wiped and the tokens are back in the budget.
func (r *DecryptReader) shutdown() {
	r.cleanup.Stop()
	r.core.stop()
	r.releasing = false
	r.out, r.mem = nil, nil
}
