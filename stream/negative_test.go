package stream

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/e2eekit/e2ee/secret"
)

// negFixture is a stream of 4 full chunks and a short FINAL one, chunk size
// testCS.
type negFixture struct {
	key *secret.Key
	h   Header
	msg []byte
	ct  []byte
}

const negChunks = 5

func newNegFixture(t *testing.T) *negFixture {
	key := secret.GenerateKey()
	msg := randBytes((negChunks-1)*testCS + 123)
	ct, h := encryptWith(t, msg, key, testCS, 0)
	return &negFixture{key: key, h: h, msg: msg, ct: ct}
}

// chunk returns the bounds of encrypted chunk i.
func (f *negFixture) chunk(i int) (int, int) {
	return i * (testCS + Overhead), min((i+1)*(testCS+Overhead), len(f.ct))
}

// expectFailure decrypts ct with every parallelism and asserts that it
// fails with want, that exactly the plaintext of the first okChunks chunks
// was released before the error, and that the error is sticky with no
// further output.
func expectFailure(t *testing.T, ct []byte, h Header, key *secret.Key, msg []byte, okChunks int, want error) {
	t.Helper()
	wantOut := msg[:min(len(msg), okChunks*testCS)]
	for _, par := range []int{1, 2, 4, -1, -2} { // negative: from memory
		var r *DecryptReader
		var err error
		if par > 0 {
			r, err = newDecryptReader(bytes.NewReader(ct), h, key, testCS, par)
		} else {
			r, err = newDecryptReaderBytes(ct, h, key, testCS, -par)
		}
		require.NoError(t, err)
		var out []byte
		buf := make([]byte, 333)
		for {
			n, err := r.Read(buf)
			out = append(out, buf[:n]...)
			if err != nil {
				require.ErrorIs(t, err, want, "par=%d", par)
				break
			}
		}
		// bytes.Equal: out stays nil when nothing is released, and wantOut is
		// then an empty slice of msg, which assert.Equal would call different.
		require.True(t, bytes.Equal(out, wantOut), "par=%d: released %d bytes, want exactly the %d bytes of the %d chunks before the failure",
			par, len(out), len(wantOut), okChunks)
		for range 2 {
			n, err := r.Read(buf)
			require.Zero(t, n, "par=%d: error not sticky", par)
			require.ErrorIs(t, err, want, "par=%d: error not sticky", par)
		}
		n, err := r.WriteTo(io.Discard)
		require.Zero(t, n, "par=%d: WriteTo after error", par)
		require.ErrorIs(t, err, want, "par=%d: WriteTo after error", par)
		r.Close()
	}
}

func TestDecryptLastChunkRemoved(t *testing.T) {
	f := newNegFixture(t)
	a, _ := f.chunk(negChunks - 1)
	expectFailure(t, f.ct[:a], f.h, f.key, f.msg, negChunks-1, ErrTruncated)
}

func TestDecryptCutMidChunk(t *testing.T) {
	f := newNegFixture(t)
	for _, cut := range []int{1, Overhead - 1, Overhead, Overhead + 1, testCS} {
		a, _ := f.chunk(2)
		// Chunk 2 becomes short and fails to authenticate.
		expectFailure(t, f.ct[:a+cut], f.h, f.key, f.msg, 2, firstOf(cut < Overhead, ErrTruncated, ErrOpen))
	}
	// Cut inside the last chunk.
	expectFailure(t, f.ct[:len(f.ct)-1], f.h, f.key, f.msg, negChunks-1, ErrOpen)
}

func firstOf(c bool, a, b error) error {
	if c {
		return a
	}
	return b
}

func TestDecryptCutAtChunkBoundary(t *testing.T) {
	f := newNegFixture(t)
	for i := 1; i < negChunks; i++ {
		a, _ := f.chunk(i)
		expectFailure(t, f.ct[:a], f.h, f.key, f.msg, i, ErrTruncated)
	}
}

func TestDecryptEmptySource(t *testing.T) {
	f := newNegFixture(t)
	expectFailure(t, nil, f.h, f.key, f.msg, 0, ErrTruncated)
}

// fullFinalFixture is a stream of 4 full chunks, the last one FINAL.
func fullFinalFixture(t *testing.T) *negFixture {
	key := secret.GenerateKey()
	msg := randBytes(4 * testCS)
	ct, h := encryptWith(t, msg, key, testCS, 0)
	return &negFixture{key: key, h: h, msg: msg, ct: ct}
}

func TestDecryptTrailingByte(t *testing.T) {
	f := fullFinalFixture(t)
	expectFailure(t, append(bytes.Clone(f.ct), 0), f.h, f.key, f.msg, 4, ErrTrailingData)
}

// The format has no length fields: bytes after a short FINAL chunk are
// indistinguishable from part of it, so that chunk fails to authenticate.
func TestDecryptTrailingByteAfterShortFinal(t *testing.T) {
	f := newNegFixture(t)
	expectFailure(t, append(bytes.Clone(f.ct), 0), f.h, f.key, f.msg, negChunks-1, ErrOpen)
}

func TestDecryptTrailingFullChunk(t *testing.T) {
	f := fullFinalFixture(t)
	expectFailure(t, append(bytes.Clone(f.ct), randBytes(testCS+Overhead)...), f.h, f.key, f.msg, 4, ErrTrailingData)
	// A copy of a valid chunk after FINAL, too.
	a, b := f.chunk(0)
	expectFailure(t, append(bytes.Clone(f.ct), f.ct[a:b]...), f.h, f.key, f.msg, 4, ErrTrailingData)
	// After a short FINAL chunk, the first trailing bytes merge into it.
	g := newNegFixture(t)
	expectFailure(t, append(bytes.Clone(g.ct), randBytes(testCS+Overhead)...), g.h, g.key, g.msg, negChunks-1, ErrOpen)
}

// pushAll encrypts msgs with the given tags through libsodium directly, so
// that tests can write streams this package refuses to write.
func pushAll(key *secret.Key, h Header, msgs [][]byte, tags []byte) []byte {
	var st sodium.SecretstreamState
	st.Init((*[HeaderSize]byte)(&h), keyBytes(key))
	var out []byte
	for i, m := range msgs {
		c := make([]byte, len(m)+Overhead)
		if err := st.Push(c, m, tags[i]); err != nil {
			panic(err)
		}
		out = append(out, c...)
	}
	return out
}

func splitChunks(msg []byte, cs int) [][]byte {
	var out [][]byte
	for len(msg) > cs {
		out = append(out, msg[:cs])
		msg = msg[cs:]
	}
	return append(out, msg)
}

func TestDecryptTwoFinalChunks(t *testing.T) {
	key := secret.GenerateKey()
	h := Header(randBytes(HeaderSize))
	msg := randBytes(4 * testCS)
	chunks := splitChunks(msg, testCS)
	chunks = append(chunks, randBytes(50))
	ct := pushAll(key, h, chunks, []byte{0, 0, 0, 3, 3})
	expectFailure(t, ct, h, key, msg, 4, ErrTrailingData)
}

func TestDecryptFinalOnMiddleChunk(t *testing.T) {
	key := secret.GenerateKey()
	h := Header(randBytes(HeaderSize))
	msg := randBytes(3 * testCS)
	ct := pushAll(key, h, splitChunks(msg, testCS), []byte{0, 3, 3})
	expectFailure(t, ct, h, key, msg, 2, ErrTrailingData)
}

func TestDecryptChunksSwapped(t *testing.T) {
	f := newNegFixture(t)
	for i := 0; i+1 < negChunks-1; i++ {
		ct := bytes.Clone(f.ct)
		a, b := f.chunk(i)
		_, c := f.chunk(i + 1)
		copy(ct[a:], f.ct[b:c])
		copy(ct[a+(c-b):], f.ct[a:b])
		expectFailure(t, ct, f.h, f.key, f.msg, i, ErrOpen)
	}
}

func TestDecryptChunkDuplicated(t *testing.T) {
	f := newNegFixture(t)
	a, b := f.chunk(1)
	ct := append(append(bytes.Clone(f.ct[:b]), f.ct[a:b]...), f.ct[b:]...)
	expectFailure(t, ct, f.h, f.key, f.msg, 2, ErrOpen)
}

func TestDecryptByteFlippedInEachChunk(t *testing.T) {
	f := newNegFixture(t)
	for i := range negChunks {
		a, b := f.chunk(i)
		// tag byte, first ciphertext byte, middle, MAC
		for _, off := range []int{a, a + 1, (a + b) / 2, b - 16, b - 1} {
			ct := bytes.Clone(f.ct)
			ct[off] ^= 0x40
			expectFailure(t, ct, f.h, f.key, f.msg, i, ErrOpen)
		}
	}
}

func TestDecryptWrongHeader(t *testing.T) {
	f := newNegFixture(t)
	h := f.h
	h[23] ^= 1
	expectFailure(t, f.ct, h, f.key, f.msg, 0, ErrOpen)
	h = f.h
	h[0] ^= 1
	expectFailure(t, f.ct, h, f.key, f.msg, 0, ErrOpen)
}

func TestDecryptWrongKey(t *testing.T) {
	f := newNegFixture(t)
	expectFailure(t, f.ct, f.h, secret.GenerateKey(), f.msg, 0, ErrOpen)
}

func TestDecryptUnknownTag(t *testing.T) {
	key := secret.GenerateKey()
	h := Header(randBytes(HeaderSize))
	msg := randBytes(3*testCS + 1)
	for _, bad := range []byte{4, 6, 0x80, 255} {
		ct := pushAll(key, h, splitChunks(msg, testCS), []byte{0, bad, 0, 3})
		expectFailure(t, ct, h, key, msg, 1, ErrUnexpectedTag)
	}
}

// REKEY and PUSH on intermediate chunks are honoured, sequentially and in
// parallel (the predicted state applies the rekey).
func TestDecryptRekeyAndPush(t *testing.T) {
	key := secret.GenerateKey()
	h := Header(randBytes(HeaderSize))
	msg := randBytes(6*testCS + 5)
	ct := pushAll(key, h, splitChunks(msg, testCS), []byte{2, 1, 2, 2, 0, 1, 3})
	for _, par := range []int{1, 2, 5} {
		got, err := decryptWith(ct, h, key, testCS, par)
		require.NoError(t, err, "par=%d", par)
		require.Equal(t, msg, got, "par=%d", par)
	}
	// A byte flipped after a REKEY chunk still fails at that chunk.
	bad := bytes.Clone(ct)
	bad[3*(testCS+Overhead)+10] ^= 1
	expectFailure(t, bad, h, key, msg, 3, ErrOpen)
}

// Full chunks followed by an empty FINAL chunk: not what this package
// writes, but a valid stream, and accepted.
func TestDecryptEmptyFinalAfterFullChunks(t *testing.T) {
	key := secret.GenerateKey()
	h := Header(randBytes(HeaderSize))
	msg := randBytes(2 * testCS)
	ct := pushAll(key, h, [][]byte{msg[:testCS], msg[testCS:], nil}, []byte{0, 0, 3})
	for _, par := range []int{1, 2} {
		got, err := decryptWith(ct, h, key, testCS, par)
		require.NoError(t, err, "par=%d", par)
		require.Equal(t, msg, got, "par=%d", par)
	}
	n, err := plaintextSize(int64(len(ct)), testCS)
	require.NoError(t, err, "plaintextSize")
	require.Equal(t, int64(len(msg)), n, "plaintextSize")
}

// A chunk claiming FINAL that does not authenticate must not end the
// stream cleanly: its own failure comes first.
func TestDecryptForgedFinalClaim(t *testing.T) {
	f := newNegFixture(t)
	ct := bytes.Clone(f.ct)
	a, _ := f.chunk(1)
	// Flip tag bits so chunk 1 claims a different tag; it must fail.
	for _, x := range []byte{1, 2, 3} {
		ct[a] = f.ct[a] ^ x
		expectFailure(t, ct[:a+testCS+Overhead], f.h, f.key, f.msg, 1, ErrOpen)
	}
}

type errReader struct {
	r   io.Reader
	n   int
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	if e.n <= 0 {
		return 0, e.err
	}
	p = p[:min(len(p), e.n)]
	n, err := e.r.Read(p)
	e.n -= n
	return n, err
}

var errSource = errors.New("source failed")

func TestDecryptSourceError(t *testing.T) {
	f := newNegFixture(t)
	for _, at := range []int{0, 5, testCS + Overhead, 2*(testCS+Overhead) + 100} {
		r, _ := newDecryptReader(&errReader{r: bytes.NewReader(f.ct), n: at, err: errSource}, f.h, f.key, testCS, 2)
		out, err := io.ReadAll(r)
		require.ErrorIs(t, err, errSource, "at=%d", at)
		want := f.msg[:at/(testCS+Overhead)*testCS]
		require.Equal(t, want, out, "at=%d: released %d bytes, want %d", at, len(out), len(want))
	}
}

func TestDecryptReadAfterClose(t *testing.T) {
	f := newNegFixture(t)
	r, _ := newDecryptReader(bytes.NewReader(f.ct), f.h, f.key, testCS, 2)
	buf := make([]byte, 10)
	_, err := r.Read(buf)
	require.NoError(t, err)
	r.Close()
	n, err := r.Read(buf)
	require.Zero(t, n, "Read after Close")
	require.ErrorIs(t, err, ErrClosed, "Read after Close")
	require.NoError(t, r.Close())
}

func TestNilKey(t *testing.T) {
	_, err := NewDecryptReader(bytes.NewReader(nil), Header{}, nil)
	assert.Error(t, err, "NewDecryptReader")
	_, _, err = NewEncryptWriter(io.Discard, nil)
	assert.Error(t, err, "NewEncryptWriter")
	_, _, err = NewEncryptReader(bytes.NewReader(nil), nil)
	assert.Error(t, err, "NewEncryptReader")
	_, _, err = EncryptBlob(nil, nil)
	assert.Error(t, err, "EncryptBlob")
	_, err = DecryptBlob(make([]byte, 20), Header{}, nil)
	assert.Error(t, err, "DecryptBlob")
	_, _, err = NewEncryptor(nil)
	assert.Error(t, err, "NewEncryptor")
	_, err = NewDecryptor(Header{}, nil)
	assert.Error(t, err, "NewDecryptor")
}

// TestDecryptCutMidChunkSaysTruncated: most real truncations cut a chunk
// short, and the message must say what probably happened.
func TestDecryptCutMidChunkSaysTruncated(t *testing.T) {
	f := newNegFixture(t)
	a, _ := f.chunk(2)
	for name, ct := range map[string][]byte{"in chunk 2": f.ct[:a+Overhead+5], "in the last chunk": f.ct[:len(f.ct)-1]} {
		for _, par := range []int{1, 4} {
			r, err := newDecryptReader(bytes.NewReader(ct), f.h, f.key, testCS, par)
			require.NoError(t, err)
			_, err = io.Copy(io.Discard, r)
			assert.ErrorIs(t, err, ErrOpen, "%s, par=%d", name, par)
			assert.ErrorContains(t, err, "in the last chunk", "%s, par=%d", name, par)
			assert.ErrorContains(t, err, "truncated or was modified", "%s, par=%d", name, par)
		}
	}
	// A flipped byte in a full middle chunk is not blamed on truncation.
	ct := bytes.Clone(f.ct)
	ct[a+10] ^= 1
	_, err := decryptWith(ct, f.h, f.key, testCS, 1)
	if assert.ErrorIs(t, err, ErrOpen, "flipped byte") {
		assert.NotContains(t, err.Error(), "truncated", "flipped byte")
	}
}

// TestDecryptSourceCutShort: a source that reports io.ErrUnexpectedEOF (an
// HTTP body shorter than its Content-Length) is evidence of truncation.
func TestDecryptSourceCutShort(t *testing.T) {
	f := newNegFixture(t)
	a, _ := f.chunk(3)
	src := io.MultiReader(bytes.NewReader(f.ct[:a+100]), &errReader{err: io.ErrUnexpectedEOF})
	r, err := newDecryptReader(src, f.h, f.key, testCS, 1)
	require.NoError(t, err)
	_, err = io.Copy(io.Discard, r)
	assert.ErrorIs(t, err, ErrTruncated, "source cut short")
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "source cut short")
}

// emptyReader returns (0, nil) forever, or until budget runs out.
type emptyReader struct{ calls int }

func (e *emptyReader) Read([]byte) (int, error) { e.calls++; return 0, nil }

// TestNoProgressSource: a source that returns (0, nil) forever is given up
// on with io.ErrNoProgress after a bounded number of reads, as bufio does.
func TestNoProgressSource(t *testing.T) {
	key := secret.GenerateKey()
	var h Header
	for _, par := range []int{1, 4} {
		src := &emptyReader{}
		r, err := newDecryptReader(src, h, key, testCS, par)
		require.NoError(t, err)
		_, err = r.Read(make([]byte, 10))
		assert.ErrorIs(t, err, io.ErrNoProgress, "DecryptReader par=%d", par)
		assert.LessOrEqual(t, src.calls, maxEmptyReads, "DecryptReader par=%d: reads", par)
	}
	src := &emptyReader{}
	er, _, err := NewEncryptReader(src, key)
	require.NoError(t, err)
	_, err = er.Read(make([]byte, 10))
	assert.ErrorIs(t, err, io.ErrNoProgress, "EncryptReader")
	assert.LessOrEqual(t, src.calls, maxEmptyReads, "EncryptReader: reads")
	src = &emptyReader{}
	w, _, err := NewEncryptWriter(io.Discard, key)
	require.NoError(t, err)
	_, err = w.ReadFrom(src)
	assert.ErrorIs(t, err, io.ErrNoProgress, "EncryptWriter.ReadFrom")
	assert.LessOrEqual(t, src.calls, maxEmptyReads, "EncryptWriter.ReadFrom: reads")
}
