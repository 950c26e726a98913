package stream

import (
	"errors"
	"io"
	"runtime"
)

// Plumbing shared by the readers and writers: reading a chunk from a
// source, and handing plaintext or ciphertext out of a chunk buffer.

var errBadCount = errors.New("stream: source Read returned an invalid count")

// readPiece caps each Read and copy into a chunk buffer. Go's memmove
// switches to non-temporal stores above about 1 MiB, which would leave a
// freshly read chunk out of cache just before a worker opens it.
const readPiece = 256 << 10

// copyInPieces copies src to dst (of at least len(src) bytes) readPiece
// bytes at a time, keeping the copy in cache.
func copyInPieces(dst, src []byte) {
	for off := 0; off < len(src); off += readPiece {
		copy(dst[off:], src[off:min(len(src), off+readPiece)])
	}
}

// smallBuf is the first buffer size for a stream's first chunk.
const smallBuf = 64 << 10

// fill reads from src into (*buf)[off:] until the buffer holds atLeast
// bytes (never more than size), in as many Reads as it takes, and returns
// the bytes read. A full buffer grows as data arrives: first to smallBuf,
// then to a whole pooled buffer of size bytes (at once when full is set), so
// that small files never cost a whole chunk buffer. It returns io.EOF only
// if src did.
func fill(buf *[]byte, off int, src io.Reader, size, atLeast int, full bool) (int, error) {
	n := off
	for n < atLeast {
		if n >= len(*buf) {
			// First a small buffer, then straight to a whole pooled one:
			// small files stay cheap, big ones copy at most smallBuf.
			var nb []byte
			if !full && n < smallBuf && size > smallBuf {
				nb = make([]byte, smallBuf)
			} else {
				nb = getChunkBuf(size)
			}
			copy(nb, *buf)
			*buf = nb
		}
		want := min(len(*buf), size, n+readPiece) - n
		m, err := readSome(src, (*buf)[n:n+want])
		n += m
		if err != nil {
			return n - off, err
		}
	}
	return n - off, nil
}

// maxEmptyReads is how many (0, nil) Reads in a row a source may return
// before it is given up on with io.ErrNoProgress, as bufio does.
const maxEmptyReads = 100

// readSome reads into a non-empty p, retrying a source that returns
// (0, nil), but not forever, and refusing impossible counts.
func readSome(src io.Reader, p []byte) (int, error) {
	for range maxEmptyReads {
		m, err := src.Read(p)
		if m < 0 || m > len(p) {
			return 0, errBadCount
		}
		if m > 0 || err != nil {
			return m, err
		}
	}
	return 0, io.ErrNoProgress
}

// pending is the part of a chunk that Read or WriteTo has yet to hand out.
// DecryptReader and EncryptReader share it; each refills it with its own
// advance, which returns io.EOF at the end of the stream.
type pending struct{ out []byte }

// advancer is the reader that owns a pending: readOut and writeOut keep it
// alive until they return, so that its runtime cleanup (which returns its
// buffers) never runs while they use them.
type advancer interface{ advance() error }

func (pend *pending) readOut(p []byte, a advancer) (int, error) {
	defer runtime.KeepAlive(a)
	if len(p) == 0 {
		return 0, nil
	}
	for len(pend.out) == 0 {
		if err := a.advance(); err != nil {
			return 0, err
		}
	}
	n := copy(p, pend.out)
	pend.out = pend.out[n:]
	return n, nil
}

// writeOut writes each chunk to w straight from its buffer, without a copy.
func (pend *pending) writeOut(w io.Writer, a advancer) (int64, error) {
	defer runtime.KeepAlive(a)
	var total int64
	for {
		for len(pend.out) == 0 {
			if err := a.advance(); err == io.EOF {
				return total, nil
			} else if err != nil {
				return total, err
			}
		}
		n, err := w.Write(pend.out)
		if n < 0 || n > len(pend.out) {
			return total, errors.New("stream: destination Write returned an invalid count")
		}
		total += int64(n)
		pend.out = pend.out[n:]
		if err != nil {
			return total, err
		}
		if len(pend.out) > 0 {
			return total, io.ErrShortWrite
		}
	}
}
