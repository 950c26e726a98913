package stream

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"testing/cryptotest"
	"testing/iotest"
	"time"

	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/e2eekit/e2ee/secret"
)

func TestEnteKnownAnswer(t *testing.T) {
	kb, h, ct := enteKAT(t)
	key, _ := secret.NewKey(kb[:])
	m, err := DecryptBlob(ct, h, key)
	if err != nil || string(m) != "plain_text" {
		t.Fatalf("%q %v", m, err)
	}
}

func TestHeaderText(t *testing.T) {
	var h Header
	for i := range h {
		h[i] = byte(i * 11)
	}
	text, err := h.MarshalText()
	if err != nil || h.String() != string(text) || len(text) != 32 {
		t.Fatalf("%s %v", text, err)
	}
	var back Header
	if err := back.UnmarshalText(text); err != nil || back != h {
		t.Fatal("round trip", err)
	}
	js, _ := json.Marshal(struct{ H Header }{h})
	if string(js) != `{"H":"`+string(text)+`"}` {
		t.Fatalf("json %s", js)
	}
	var v struct{ H Header }
	if err := json.Unmarshal(js, &v); err != nil || v.H != h {
		t.Fatal(err)
	}
	good := string(text)
	for _, bad := range []string{
		"", good[:28], good[:31], good + "AAAA", good[:30] + "==",
		strings.ReplaceAll(strings.ReplaceAll(good, "+", "-"), "/", "_"),
		good[:10] + "\n" + good[10:], "v7wsI+BFZsRMIjDm3rTxPhmi/CaUdkdJ" + "==",
		"v7wsI+BFZsRMIjDm3rTxPhmi/CaUdkdK", // non-canonical? (valid: 24 bytes, no padding bits)
	} {
		var x Header
		err := x.UnmarshalText([]byte(bad))
		if bad == "v7wsI+BFZsRMIjDm3rTxPhmi/CaUdkdK" {
			continue // 24 bytes encode with no spare bits: this one is valid
		}
		if err == nil || x != (Header{}) || !strings.HasPrefix(err.Error(), "stream: header: ") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestTagString(t *testing.T) {
	for tag, want := range map[Tag]string{TagMessage: "MESSAGE", TagPush: "PUSH", TagRekey: "REKEY", TagFinal: "FINAL", 9: "Tag(9)"} {
		if tag.String() != want {
			t.Errorf("%d: %s", byte(tag), tag)
		}
	}
}

func TestSizes(t *testing.T) {
	cs := int64(ChunkSize)
	for _, c := range []struct{ p, e int64 }{
		{0, 17}, {1, 18}, {cs - 1, cs + 16}, {cs, cs + 17}, {cs + 1, cs + 1 + 34},
		{2*cs + 5, 2*cs + 5 + 51}, {3 * cs, 3*cs + 51},
	} {
		if e, err := EncryptedSize(c.p); err != nil || e != c.e {
			t.Errorf("EncryptedSize(%d) = %d, %v; want %d", c.p, e, err, c.e)
		}
		if p, err := PlaintextSize(c.e); err != nil || p != c.p {
			t.Errorf("PlaintextSize(%d) = %d, %v; want %d", c.e, p, err, c.p)
		}
	}
	// Full chunks then an empty FINAL one.
	if p, err := PlaintextSize(EncryptedChunkSize + Overhead); err != nil || p != cs {
		t.Errorf("full+empty: %d %v", p, err)
	}
	for _, bad := range []int64{-1, 0, 1, 16, EncryptedChunkSize + 1, EncryptedChunkSize + 16, 1<<63 - 1} {
		if _, err := PlaintextSize(bad); !errors.Is(err, ErrInvalidSize) && bad != 1<<63-1 {
			t.Errorf("PlaintextSize(%d): %v", bad, err)
		}
	}
	for _, bad := range []int64{-1, 1<<63 - 1, 1<<63 - 1000} {
		if _, err := EncryptedSize(bad); !errors.Is(err, ErrInvalidSize) {
			t.Errorf("EncryptedSize(%d): %v", bad, err)
		}
	}
	// Agreement with what the writer produces, at the test chunk size.
	key := secret.GenerateKey()
	for _, n := range boundarySizes(testCS) {
		ct, _ := encryptWith(t, make([]byte, n), key, testCS, 0)
		e, _ := encryptedSize(int64(n), testCS)
		p, err := plaintextSize(int64(len(ct)), testCS)
		if e != int64(len(ct)) || p != int64(n) || err != nil {
			t.Errorf("n=%d: %d/%d %d %v", n, e, len(ct), p, err)
		}
	}
}

func TestEmptyInputIsOneEmptyFinal(t *testing.T) {
	key := secret.GenerateKey()
	ct, h := encryptWith(t, nil, key, ChunkSize, 0)
	if len(ct) != Overhead {
		t.Fatalf("%d bytes", len(ct))
	}
	m, err := DecryptBlob(ct, h, key) // one FINAL message: also a blob
	if err != nil || len(m) != 0 {
		t.Fatal(err)
	}
}

// cryptotest.SetGlobalRandom makes the header, and so the whole encryption,
// deterministic: the header really is drawn from crypto/rand in Go.
func TestDeterministicWithGlobalRandom(t *testing.T) {
	key := secret.GenerateKey()
	msg := randBytes(3*testCS + 1)
	var outs [][]byte
	for range 2 {
		t.Run("", func(t *testing.T) {
			cryptotest.SetGlobalRandom(t, 42)
			ct, h := encryptWith(t, msg, key, testCS, 0)
			r, h2, _ := newEncryptReader(bytes.NewReader(msg), key, testCS, gomaxprocs())
			ct2, _ := io.ReadAll(r)
			if h2 == h || bytes.Equal(ct, ct2) {
				t.Error("two encryptions in one test share a header")
			}
			blob, h3, _ := EncryptBlob(msg, key)
			outs = append(outs, append(append(append(h[:], ct...), h3[:]...), blob...))
		})
	}
	if len(outs) != 2 || !bytes.Equal(outs[0], outs[1]) {
		t.Fatal("same seed, different output")
	}
}

func TestDecryptReaderIotest(t *testing.T) {
	key := secret.GenerateKey()
	for _, n := range boundarySizes(testCS) {
		msg := randBytes(n)
		ct, h := encryptWith(t, msg, key, testCS, 0)
		for _, par := range []int{1, 2} {
			r, _ := newDecryptReader(bytes.NewReader(ct), h, key, testCS, par)
			if err := iotest.TestReader(r, msg); err != nil {
				t.Fatalf("n=%d par=%d: %v", n, par, err)
			}
		}
	}
	// real chunk size
	msg := randBytes(ChunkSize + 3)
	ct, h := encryptWith(t, msg, key, ChunkSize, 0)
	r, _ := NewDecryptReader(bytes.NewReader(ct), h, key)
	if err := iotest.TestReader(r, msg); err != nil {
		t.Fatal(err)
	}
}

func TestDecryptReaderOneByteSource(t *testing.T) {
	key := secret.GenerateKey()
	for _, n := range boundarySizes(testCS) {
		msg := randBytes(n)
		ct, h := encryptWith(t, msg, key, testCS, 0)
		for _, par := range []int{1, 2} {
			for _, wrap := range []func(io.Reader) io.Reader{iotest.OneByteReader, iotest.DataErrReader, iotest.HalfReader} {
				r, _ := newDecryptReader(wrap(bytes.NewReader(ct)), h, key, testCS, par)
				got, err := io.ReadAll(r)
				if err != nil || !bytes.Equal(got, msg) {
					t.Fatalf("n=%d par=%d: %v", n, par, err)
				}
			}
		}
	}
}

func TestEncryptReaderIotest(t *testing.T) {
	key := secret.GenerateKey()
	for _, n := range boundarySizes(testCS) {
		msg := randBytes(n)
		var want, got []byte
		t.Run("", func(t *testing.T) {
			cryptotest.SetGlobalRandom(t, 7)
			want, _ = encryptWith(t, msg, key, testCS, 0)
		})
		t.Run("", func(t *testing.T) {
			cryptotest.SetGlobalRandom(t, 7)
			r, _, _ := newEncryptReader(iotest.HalfReader(bytes.NewReader(msg)), key, testCS, gomaxprocs())
			if err := iotest.TestReader(r, want); err != nil {
				t.Fatalf("n=%d: %v", n, err)
			}
			got = want
		})
		if got == nil {
			t.Fatal("subtest failed")
		}
	}
}

func TestEncryptWriterReadFrom(t *testing.T) {
	key := secret.GenerateKey()
	for _, n := range boundarySizes(testCS) {
		msg := randBytes(n)
		for _, wrap := range []func(io.Reader) io.Reader{iotest.OneByteReader, iotest.DataErrReader, iotest.HalfReader, func(r io.Reader) io.Reader { return r }} {
			var buf bytes.Buffer
			w, h, _ := newEncryptWriter(&buf, key, testCS, gomaxprocs())
			// Split the input over two ReadFrom calls.
			k, err := w.ReadFrom(wrap(bytes.NewReader(msg[:n/2])))
			if err != nil || k != int64(n/2) {
				t.Fatal(k, err)
			}
			k, err = w.ReadFrom(wrap(bytes.NewReader(msg[n/2:])))
			if err != nil || k != int64(n-n/2) {
				t.Fatal(k, err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			got, err := decryptWith(buf.Bytes(), h, key, testCS, 2)
			if err != nil || !bytes.Equal(got, msg) {
				t.Fatalf("n=%d: %v", n, err)
			}
		}
	}
}

type failWriter struct {
	ok    int // writes that succeed
	short bool
	n     int
}

var errDst = errors.New("destination failed")

func (f *failWriter) Write(p []byte) (int, error) {
	if f.ok == 0 {
		if f.short {
			return len(p) / 2, nil
		}
		return 0, errDst
	}
	f.ok--
	f.n += len(p)
	return len(p), nil
}

func TestEncryptWriterErrorsSticky(t *testing.T) {
	key := secret.GenerateKey()
	for _, short := range []bool{false, true} {
		dst := &failWriter{ok: 1, short: short}
		w, _, _ := newEncryptWriter(dst, key, testCS, gomaxprocs())
		want := firstOf(short, io.ErrShortWrite, errDst)
		var err error
		for range 10 {
			if _, err = w.Write(make([]byte, testCS)); err != nil {
				break
			}
		}
		if !errors.Is(err, want) {
			t.Fatalf("Write: %v", err)
		}
		if _, err := w.Write([]byte{1}); !errors.Is(err, want) {
			t.Fatalf("Write after error: %v", err)
		}
		if err := w.Close(); !errors.Is(err, want) {
			t.Fatalf("Close after error: %v", err)
		}
		if dst.n != testCS+Overhead {
			t.Fatalf("wrote %d bytes; want only the first chunk, and never FINAL", dst.n)
		}
	}
}

func TestEncryptWriterClosed(t *testing.T) {
	key := secret.GenerateKey()
	var buf bytes.Buffer
	w, _, _ := NewEncryptWriter(&buf, key)
	w.Write([]byte("hello"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if n, err := w.Write([]byte("x")); n != 0 || !errors.Is(err, ErrClosed) {
		t.Fatalf("Write after Close: %d %v", n, err)
	}
	if _, err := w.ReadFrom(strings.NewReader("x")); !errors.Is(err, ErrClosed) {
		t.Fatalf("ReadFrom after Close: %v", err)
	}
	if buf.Len() != 5+Overhead {
		t.Fatal(buf.Len())
	}
}

// A source that fails must never yield a FINAL chunk: what was emitted
// before decrypts to ErrTruncated.
func TestEncryptReaderSourceError(t *testing.T) {
	key := secret.GenerateKey()
	msg := randBytes(4*testCS + 50)
	for _, at := range []int{0, 10, testCS, testCS + 1, 3*testCS + 7, len(msg)} {
		r, h, _ := newEncryptReader(&errReader{r: bytes.NewReader(msg), n: at, err: errSource}, key, testCS, gomaxprocs())
		ct, err := io.ReadAll(r)
		if !errors.Is(err, errSource) {
			t.Fatalf("at=%d: %v", at, err)
		}
		if _, err := r.Read(make([]byte, 1)); !errors.Is(err, errSource) {
			t.Fatalf("at=%d: not sticky: %v", at, err)
		}
		_, err = decryptWith(ct, h, key, testCS, 2)
		if !errors.Is(err, ErrTruncated) {
			t.Fatalf("at=%d: output of failed source decrypts with %v", at, err)
		}
	}
}

func TestBlobRoundTrip(t *testing.T) {
	key := secret.GenerateKey()
	for _, n := range []int{0, 1, 16, 17, 1000, 70000} {
		msg := randBytes(n)
		orig := bytes.Clone(msg)
		ct, h, err := EncryptBlob(msg, key)
		if err != nil || len(ct) != n+Overhead {
			t.Fatal(err)
		}
		ctOrig := bytes.Clone(ct)
		for _, dec := range []func([]byte, Header, *secret.Key, ...BlobOption) ([]byte, error){DecryptBlob, DecryptBlobLegacy} {
			got, err := dec(ct, h, key)
			if err != nil || !bytes.Equal(got, msg) {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(msg, orig) || !bytes.Equal(ct, ctOrig) {
			t.Fatal("input modified")
		}
	}
}

func TestBlobWrongKeyHeaderFlips(t *testing.T) {
	key := secret.GenerateKey()
	msg := []byte("thumbnail bytes")
	ct, h, _ := EncryptBlob(msg, key)
	if _, err := DecryptBlob(ct, h, secret.GenerateKey()); !errors.Is(err, ErrOpen) {
		t.Error("wrong key:", err)
	}
	h2 := h
	h2[5] ^= 1
	if _, err := DecryptBlob(ct, h2, key); !errors.Is(err, ErrOpen) {
		t.Error("wrong header:", err)
	}
	for i := range ct {
		for _, bit := range []byte{1, 0x80} {
			bad := bytes.Clone(ct)
			bad[i] ^= bit
			if m, err := DecryptBlob(bad, h, key); !errors.Is(err, ErrOpen) || m != nil {
				t.Fatalf("flip %d/%x: %v", i, bit, err)
			}
		}
	}
	for n := range len(ct) {
		want := firstOf(n < Overhead, ErrTruncated, ErrOpen)
		if m, err := DecryptBlob(ct[:n], h, key); !errors.Is(err, want) || m != nil {
			t.Fatalf("length %d: %v", n, err)
		}
	}
	if _, err := DecryptBlob(append(bytes.Clone(ct), 0), h, key); !errors.Is(err, ErrOpen) {
		t.Fatal("extra byte")
	}
}

func TestBlobTags(t *testing.T) {
	key := secret.GenerateKey()
	msg := []byte(`"otpauth://totp/x?secret=ABC"`)
	for tag, want := range map[byte][2]error{
		0: {ErrUnexpectedTag, nil}, // strict refuses MESSAGE; legacy takes it
		1: {ErrUnexpectedTag, ErrUnexpectedTag},
		2: {ErrUnexpectedTag, ErrUnexpectedTag},
		3: {nil, nil},
		4: {ErrUnexpectedTag, ErrUnexpectedTag},
	} {
		h := Header(randBytes(HeaderSize))
		ct := pushAll(key, h, [][]byte{msg}, []byte{tag})
		for i, dec := range []func([]byte, Header, *secret.Key, ...BlobOption) ([]byte, error){DecryptBlob, DecryptBlobLegacy} {
			m, err := dec(ct, h, key)
			if !errors.Is(err, want[i]) || (err == nil) != (m != nil) || (err == nil && !bytes.Equal(m, msg)) {
				t.Errorf("tag %d, decoder %d: %v", tag, i, err)
			}
		}
	}
}

func TestBlobMaxSize(t *testing.T) {
	key := secret.GenerateKey()
	ct, h, _ := EncryptBlob(make([]byte, 100), key)
	if _, err := DecryptBlob(ct, h, key, WithMaxSize(99)); !errors.Is(err, ErrTooLarge) {
		t.Fatal(err)
	}
	if _, err := DecryptBlobLegacy(ct, h, key, WithMaxSize(99)); !errors.Is(err, ErrTooLarge) {
		t.Fatal(err)
	}
	if _, err := DecryptBlob(ct, h, key, WithMaxSize(100)); err != nil {
		t.Fatal(err)
	}
	big := make([]byte, 1<<20)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 10 {
		DecryptBlob(big, h, key, WithMaxSize(10))
	}
	runtime.ReadMemStats(&after)
	if d := after.TotalAlloc - before.TotalAlloc; d > 64<<10 {
		t.Fatalf("capped decryption allocated %d bytes", d)
	}
}

func TestPushPull(t *testing.T) {
	key := secret.GenerateKey()
	e, h, _ := NewEncryptor(key)
	d, _ := NewDecryptor(h, key)
	msgs := [][]byte{[]byte("a"), nil, randBytes(1000), []byte("rekeyed"), []byte("end")}
	tags := []Tag{TagMessage, TagPush, TagRekey, TagMessage, TagFinal}
	prefix := []byte("prefix")
	var cts [][]byte
	for i, m := range msgs {
		ct, err := e.Push(bytes.Clone(prefix), m, tags[i])
		if err != nil || !bytes.HasPrefix(ct, prefix) || len(ct) != len(prefix)+len(m)+Overhead {
			t.Fatal(err)
		}
		cts = append(cts, ct[len(prefix):])
	}
	if _, err := e.Push(nil, []byte("x"), TagMessage); !errors.Is(err, ErrClosed) {
		t.Fatal("Push after FINAL:", err)
	}
	if err := d.Finish(); !errors.Is(err, ErrTruncated) {
		t.Fatal("Finish before FINAL:", err)
	}
	d, _ = NewDecryptor(h, key)
	for i, ct := range cts {
		out, tag, err := d.Pull(bytes.Clone(prefix), ct)
		if err != nil || tag != tags[i] || !bytes.Equal(out[len(prefix):], msgs[i]) || !bytes.HasPrefix(out, prefix) {
			t.Fatalf("message %d: %v %v", i, tag, err)
		}
	}
	if _, _, err := d.Pull(nil, cts[0]); !errors.Is(err, ErrTrailingData) {
		t.Fatal("Pull after FINAL:", err)
	}
	d, _ = NewDecryptor(h, key)
	for _, ct := range cts {
		d.Pull(nil, ct)
	}
	if err := d.Finish(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := d.Pull(nil, cts[0]); err == nil {
		t.Fatal("Pull after Finish")
	}
}

func TestPushPullInPlace(t *testing.T) {
	key := secret.GenerateKey()
	e, h, _ := NewEncryptor(key)
	d, _ := NewDecryptor(h, key)
	msg := randBytes(500)
	buf := make([]byte, len(msg)+Overhead)
	copy(buf[1:], msg)
	ct, err := e.Push(buf[:0], buf[1:1+len(msg)], TagFinal)
	if err != nil || &ct[0] != &buf[0] {
		t.Fatal("in-place push", err)
	}
	pt, tag, err := d.Pull(ct[1:1], ct)
	if err != nil || tag != TagFinal || !bytes.Equal(pt, msg) || &pt[0] != &buf[1] {
		t.Fatal("in-place pull", err)
	}
	// Inexact overlaps are refused, not silently corrupted.
	e2, h2, _ := NewEncryptor(key)
	if _, err := e2.Push(buf[:0], buf[:len(msg)], TagFinal); err == nil {
		t.Fatal("overlapping push accepted")
	}
	ct2, _ := e2.Push(nil, msg, TagFinal)
	d2, _ := NewDecryptor(h2, key)
	if _, _, err := d2.Pull(ct2[:0], ct2); err == nil {
		t.Fatal("overlapping pull accepted")
	}
	if out, _, err := d2.Pull(nil, ct2); err != nil || !bytes.Equal(out, msg) {
		t.Fatal("overlap refusal was sticky:", err)
	}
}

func TestPullErrorsSticky(t *testing.T) {
	key := secret.GenerateKey()
	e, h, _ := NewEncryptor(key)
	c1, _ := e.Push(nil, []byte("one"), TagMessage)
	c2, _ := e.Push(nil, []byte("two"), TagFinal)
	for name, c := range map[string]struct {
		ct   []byte
		want error
	}{
		"short":   {make([]byte, Overhead-1), ErrTruncated},
		"forged":  {append([]byte{c1[0] ^ 1}, c1[1:]...), ErrOpen},
		"swapped": {c2, ErrOpen},
	} {
		d, _ := NewDecryptor(h, key)
		if out, _, err := d.Pull([]byte("x"), c.ct); !errors.Is(err, c.want) || string(out) != "x" {
			t.Fatalf("%s: %v", name, err)
		}
		if _, _, err := d.Pull(nil, c1); !errors.Is(err, c.want) {
			t.Fatalf("%s: error not sticky: %v", name, err)
		}
		if err := d.Finish(); !errors.Is(err, c.want) {
			t.Fatalf("%s: Finish: %v", name, err)
		}
	}
	e2, _, _ := NewEncryptor(key)
	if _, err := e2.Push(nil, nil, Tag(4)); err == nil {
		t.Fatal("Push accepted tag 4")
	}
}

func TestPullUnknownTag(t *testing.T) {
	key := secret.GenerateKey()
	h := Header(randBytes(HeaderSize))
	ct := pushAll(key, h, [][]byte{[]byte("x")}, []byte{9})
	d, _ := NewDecryptor(h, key)
	if out, _, err := d.Pull(nil, ct); !errors.Is(err, ErrUnexpectedTag) || out != nil {
		t.Fatal(err)
	}
}

// Steady state allocates nothing per chunk: decrypting or encrypting 40
// chunks costs the same allocations as 8.
func TestNoAllocationPerChunk(t *testing.T) {
	if testing.Short() {
		t.Skip()
	}
	if sodium.PuregoTag {
		t.Skip("-tags purego: x/crypto's generic overlap checks allocate (CGO_ENABLED=0 runs this test)")
	}
	key := secret.GenerateKey()
	measure := func(chunks int) (dec, enc float64) {
		msg := randBytes(chunks * testCS)
		ct, h := encryptWith(t, msg, key, testCS, 0)
		src := bytes.NewReader(ct)
		dec = testing.AllocsPerRun(20, func() {
			src.Reset(ct)
			r, _ := newDecryptReader(src, h, key, testCS, 2)
			io.Copy(io.Discard, r)
		})
		psrc := bytes.NewReader(msg)
		enc = testing.AllocsPerRun(20, func() {
			psrc.Reset(msg)
			w, _, _ := newEncryptWriter(io.Discard, key, testCS, gomaxprocs())
			io.Copy(w, psrc)
			w.Close()
		})
		return
	}
	d8, e8 := measure(8)
	d40, e40 := measure(40)
	if d40 > d8+1 || e40 > e8+1 {
		t.Fatalf("allocations grow with chunks: decrypt %v -> %v, encrypt %v -> %v", d8, d40, e8, e40)
	}
	t.Logf("allocations per stream: decrypt %v, encrypt %v", d40, e40)
}

// No goroutine outlives the streams: the shared workers exit once idle,
// whether the streams ended, were closed or were dropped.
func TestNoGoroutineLeak(t *testing.T) {
	key := secret.GenerateKey()
	msg := randBytes(10 * testCS)
	ct, h := encryptWith(t, msg, key, testCS, 0)
	base := runtime.NumGoroutine()
	for range 5 {
		r, _ := newDecryptReader(bytes.NewReader(ct), h, key, testCS, 3)
		io.Copy(io.Discard, r) // to EOF
		r2, _ := newDecryptReader(bytes.NewReader(ct), h, key, testCS, 3)
		r2.Read(make([]byte, 10))
		r2.Close()
		r3, _ := newDecryptReader(bytes.NewReader(ct), h, key, testCS, 3)
		r3.Read(make([]byte, 10)) // dropped
		w, _, _ := newEncryptWriter(io.Discard, key, testCS, gomaxprocs())
		w.Write(msg) // dropped without Close
		er, _, _ := newEncryptReader(bytes.NewReader(msg), key, testCS, gomaxprocs())
		er.Read(make([]byte, 10))
		er.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base {
		t.Fatalf("%d goroutines left over (base %d)", n, base)
	}
}

// An interrupted ReadFrom poisons the writer: Close must not turn the
// partial input into a valid file.
func TestEncryptWriterReadFromSourceError(t *testing.T) {
	key := secret.GenerateKey()
	msg := randBytes(3*testCS + 10)
	for _, at := range []int{0, 5, testCS, 2*testCS + 1} {
		var buf bytes.Buffer
		w, h, _ := newEncryptWriter(&buf, key, testCS, gomaxprocs())
		if _, err := w.ReadFrom(&errReader{r: bytes.NewReader(msg), n: at, err: errSource}); !errors.Is(err, errSource) {
			t.Fatalf("at=%d: ReadFrom: %v", at, err)
		}
		if err := w.Close(); !errors.Is(err, errSource) {
			t.Fatalf("at=%d: Close: %v", at, err)
		}
		if _, err := decryptWith(buf.Bytes(), h, key, testCS, 2); !errors.Is(err, ErrTruncated) {
			t.Fatalf("at=%d: output decrypts with %v", at, err)
		}
	}
}
