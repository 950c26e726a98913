// Package boxtest is the conformance suite every append-style box of the SDK
// passes (secretbox, sealed): round trip, inputs not modified, appending to
// dst with and without spare capacity, in-place sealing and opening, a
// flipped bit anywhere, and every truncation and length below the overhead.
// It is imported by tests only; byte-level known answers stay with each
// package.
package boxtest

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// Box describes the implementation under test.
type Box struct {
	// Seal appends a box of msg to dst, as the package's Seal does.
	Seal func(dst, msg []byte) []byte
	// Open appends the plaintext of box to dst, as the package's Open does.
	Open func(dst, box []byte) ([]byte, error)
	// Overhead is the package's Overhead.
	Overhead int
	// ErrOpen is the sentinel every failure to open must wrap.
	ErrOpen error
	// Prefix starts every error message ("secretbox: ").
	Prefix string
}

// Sizes covers the empty message, Salsa20's 32- and 64-byte block edges and
// a few larger messages.
var Sizes = []int{0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 1000, 4096, 65537}

// Message returns n deterministic, non-repeating-looking bytes.
func Message(n int) []byte {
	m := make([]byte, n)
	for i := range m {
		m[i] = byte(i*7 + 1)
	}
	return m
}

// Run runs the whole suite as subtests of t.
func Run(t *testing.T, b Box) {
	t.Run("RoundTrip", b.roundTrip)
	t.Run("Append", b.append)
	t.Run("InPlace", b.inPlace)
	t.Run("FlipEveryBit", b.flipEveryBit)
	t.Run("ShortAndTruncated", b.shortAndTruncated)
}

func (b Box) roundTrip(t *testing.T) {
	for _, size := range Sizes {
		msg := Message(size)
		box := b.Seal(nil, msg)
		if len(box) != size+b.Overhead {
			t.Fatalf("%d bytes: box of %d bytes, want %d", size, len(box), size+b.Overhead)
		}
		if !bytes.Equal(msg, Message(size)) {
			t.Fatalf("%d bytes: Seal modified its input", size)
		}
		boxCopy := bytes.Clone(box)
		got, err := b.Open(nil, box)
		if err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("%d bytes: round trip: %v", size, err)
		}
		if !bytes.Equal(box, boxCopy) {
			t.Fatalf("%d bytes: Open modified its input", size)
		}
	}
}

func (b Box) append(t *testing.T) {
	msg := Message(100)
	prefix := []byte("prefix")
	for _, extra := range []int{0, b.Overhead - 1, len(msg) + b.Overhead, 1000} {
		dst := append(make([]byte, 0, len(prefix)+extra), prefix...)
		out := b.Seal(dst, msg)
		if len(out) != len(prefix)+len(msg)+b.Overhead || !bytes.Equal(out[:len(prefix)], prefix) {
			t.Fatalf("spare capacity %d: Seal did not append", extra)
		}
		if inPlace := cap(dst) >= len(out); inPlace != (&out[0] == &dst[0]) {
			t.Errorf("spare capacity %d: reallocated = %v, want %v", extra, inPlace, !inPlace)
		}
		opened, err := b.Open(out[:len(prefix)], out[len(prefix):])
		if err != nil || !bytes.Equal(opened[:len(prefix)], prefix) || !bytes.Equal(opened[len(prefix):], msg) {
			t.Fatalf("spare capacity %d: Open did not append: %v", extra, err)
		}
	}
}

func (b Box) inPlace(t *testing.T) {
	for _, size := range Sizes {
		msg := Message(size)
		buf := make([]byte, size, size+b.Overhead)
		copy(buf, msg)
		box := b.Seal(buf[:0], buf)
		if &box[:1][0] != &buf[:1][0] {
			t.Fatalf("%d bytes: in-place Seal reallocated", size)
		}
		if got, err := b.Open(nil, bytes.Clone(box)); err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("%d bytes: in-place Seal made a wrong box: %v", size, err)
		}
		got, err := b.Open(box[:0], box)
		if err != nil || !bytes.Equal(got, msg) {
			t.Fatalf("%d bytes: in-place Open: %v", size, err)
		}
	}
}

func (b Box) flipEveryBit(t *testing.T) {
	msg := Message(40)
	box := b.Seal(nil, msg)
	for i := range len(box) * 8 {
		bad := bytes.Clone(box)
		bad[i/8] ^= 1 << (i % 8)
		dst := make([]byte, 0, len(msg))
		got, err := b.Open(dst, bad)
		if !errors.Is(err, b.ErrOpen) || got != nil {
			t.Fatalf("bit %d flipped: Open = %x, %v; want nil, ErrOpen", i, got, err)
		}
		if bytes.Contains(dst[:cap(dst)], msg[:8]) {
			t.Fatalf("bit %d flipped: plaintext released in dst", i)
		}
	}
}

func (b Box) shortAndTruncated(t *testing.T) {
	box := b.Seal(nil, Message(20))
	for l := range len(box) {
		for name, part := range map[string][]byte{"first": box[:l], "last": box[len(box)-l:]} {
			got, err := b.Open(nil, part)
			if !errors.Is(err, b.ErrOpen) || got != nil {
				t.Fatalf("%s %d bytes of a box: Open = %x, %v; want ErrOpen", name, l, got, err)
			}
			if !strings.HasPrefix(err.Error(), b.Prefix) {
				t.Errorf("error %q does not start with %q", err, b.Prefix)
			}
		}
	}
	if _, err := b.Open(nil, nil); !errors.Is(err, b.ErrOpen) {
		t.Fatalf("nil box: %v", err)
	}
}
