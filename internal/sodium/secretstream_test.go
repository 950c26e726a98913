package sodium

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"unsafe"

	"github.com/e2eekit/e2ee/internal/redacttest"
)

func stateBytes(st *SecretstreamState) *[SecretstreamStateBytes]byte {
	return (*[SecretstreamStateBytes]byte)(unsafe.Pointer(st))
}

func testKeyHeader(t testing.TB) (*[32]byte, *[24]byte) {
	t.Helper()
	var k [32]byte
	var h [24]byte
	rand.Read(k[:])
	rand.Read(h[:])
	return &k, &h
}

func TestSecretstreamRoundTrip(t *testing.T) {
	forEachBackend(t, func(t *testing.T) {
		k, h := testKeyHeader(t)
		var enc, dec SecretstreamState
		enc.Init(h, k)
		dec.Init(h, k)
		for i, tag := range []byte{0, 1, 2, 0, 3, 0, 7, 255} {
			m := make([]byte, i*37)
			rand.Read(m)
			orig := bytes.Clone(m)
			c := make([]byte, len(m)+SecretstreamABytes)
			if err := enc.Push(c, m, tag); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(m, orig) {
				t.Fatal("Push modified its input")
			}
			out := make([]byte, len(m))
			var next SecretstreamState
			claimed, err := dec.Successor(&next, c)
			if err != nil {
				t.Fatal(err)
			}
			got, err := dec.Pull(out, c)
			if err != nil || got != tag || claimed != tag || !bytes.Equal(out, m) {
				t.Fatalf("message %d: tag %d/%d err %v", i, got, claimed, err)
			}
			if *stateBytes(&next) != *stateBytes(&dec) || *stateBytes(&enc) != *stateBytes(&dec) {
				t.Fatalf("message %d: states diverge", i)
			}
		}
	})
}

func TestSecretstreamInPlace(t *testing.T) {
	forEachBackend(t, func(t *testing.T) {
		k, h := testKeyHeader(t)
		var enc, dec SecretstreamState
		enc.Init(h, k)
		dec.Init(h, k)
		m := make([]byte, 1000)
		rand.Read(m)
		buf := make([]byte, len(m)+SecretstreamABytes)
		copy(buf[1:], m)
		if err := enc.Push(buf, buf[1:1+len(m)], SecretstreamTagFinal); err != nil {
			t.Fatal(err)
		}
		var ref SecretstreamState
		ref.Init(h, k)
		c2 := make([]byte, len(buf))
		ref.Push(c2, m, SecretstreamTagFinal)
		if !bytes.Equal(buf, c2) {
			t.Fatal("in-place push differs")
		}
		tag, err := dec.Pull(buf[1:1+len(m)], buf)
		if err != nil || tag != SecretstreamTagFinal || !bytes.Equal(buf[1:1+len(m)], m) {
			t.Fatalf("in-place pull: %v %d", err, tag)
		}
	})
}

func TestSecretstreamOverlapRejected(t *testing.T) {
	forEachBackend(t, func(t *testing.T) {
		k, h := testKeyHeader(t)
		var st SecretstreamState
		st.Init(h, k)
		buf := make([]byte, 100)
		if err := st.Push(buf[:50+SecretstreamABytes], buf[:50], 0); !errors.Is(err, ErrOverlap) {
			t.Errorf("push out==m: %v", err)
		}
		if err := st.Push(buf[:50+SecretstreamABytes], buf[2:52], 0); !errors.Is(err, ErrOverlap) {
			t.Errorf("push shifted: %v", err)
		}
		if _, err := st.Pull(buf[:50], buf[:50+SecretstreamABytes]); !errors.Is(err, ErrOverlap) {
			t.Errorf("pull out==in: %v", err)
		}
	})
}

func TestSecretstreamSizesRejected(t *testing.T) {
	forEachBackend(t, func(t *testing.T) {
		k, h := testKeyHeader(t)
		var st SecretstreamState
		st.Init(h, k)
		before := *stateBytes(&st)
		for n := range SecretstreamABytes {
			if _, err := st.Pull(nil, make([]byte, n)); !errors.Is(err, ErrSize) {
				t.Errorf("pull of %d bytes: %v", n, err)
			}
			var next SecretstreamState
			if _, err := st.Successor(&next, make([]byte, n)); !errors.Is(err, ErrSize) {
				t.Errorf("successor of %d bytes: %v", n, err)
			}
		}
		if _, err := st.Pull(make([]byte, 4), make([]byte, 20)); !errors.Is(err, ErrSize) {
			t.Error("pull with short out accepted")
		}
		if err := st.Push(make([]byte, 20), make([]byte, 4), 0); !errors.Is(err, ErrSize) {
			t.Error("push with long out accepted")
		}
		if *stateBytes(&st) != before {
			t.Error("rejected calls changed the state")
		}
	})
}

func TestSecretstreamForgedLeavesStateAndOut(t *testing.T) {
	forEachBackend(t, func(t *testing.T) {
		k, h := testKeyHeader(t)
		var enc, dec SecretstreamState
		enc.Init(h, k)
		dec.Init(h, k)
		c := make([]byte, 64+SecretstreamABytes)
		enc.Push(c, make([]byte, 64), 0)
		before := *stateBytes(&dec)
		for i := range c {
			c[i] ^= 1
			out := bytes.Repeat([]byte{0xAA}, 64)
			if _, err := dec.Pull(out, c); !errors.Is(err, ErrForged) {
				t.Fatalf("flip at %d: %v", i, err)
			}
			if !bytes.Equal(out, bytes.Repeat([]byte{0xAA}, 64)) || *stateBytes(&dec) != before {
				t.Fatalf("flip at %d: output or state touched", i)
			}
			c[i] ^= 1
		}
	})
}

// Successor must also follow libsodium through a counter wrap and an
// explicit Rekey.
func TestSecretstreamSuccessorCounterWrap(t *testing.T) {
	forEachBackend(t, func(t *testing.T) {
		k, h := testKeyHeader(t)
		var enc, dec SecretstreamState
		enc.Init(h, k)
		binary.LittleEndian.PutUint32(stateBytes(&enc)[32:36], 0xffffffff)
		dec = enc
		for i := range 3 {
			c := make([]byte, 10+SecretstreamABytes)
			enc.Push(c, make([]byte, 10), SecretstreamTagMessage)
			var next SecretstreamState
			dec.Successor(&next, c)
			if _, err := dec.Pull(make([]byte, 10), c); err != nil {
				t.Fatal(err)
			}
			if *stateBytes(&next) != *stateBytes(&dec) {
				t.Fatalf("step %d: successor differs from pull", i)
			}
			if i == 0 && binary.LittleEndian.Uint32(stateBytes(&dec)[32:36]) != 1 {
				t.Fatal("counter wrap did not rekey")
			}
		}
		enc.Rekey()
		dec.Rekey()
		c := make([]byte, SecretstreamABytes)
		enc.Push(c, nil, SecretstreamTagFinal)
		if tag, err := dec.Pull(nil, c); err != nil || tag != SecretstreamTagFinal {
			t.Fatalf("after explicit rekey: %v", err)
		}
	})
}

func TestSecretstreamClear(t *testing.T) {
	forEachBackend(t, func(t *testing.T) {
		k, h := testKeyHeader(t)
		var st SecretstreamState
		st.Init(h, k)
		st.Clear()
		if *stateBytes(&st) != [SecretstreamStateBytes]byte{} {
			t.Fatal("Clear left bytes")
		}
	})
}

func TestSecretstreamNoAllocs(t *testing.T) {
	if PuregoTag {
		t.Skip("-tags purego: x/crypto's generic overlap checks allocate")
	}
	forEachBackend(t, func(t *testing.T) {
		k, h := testKeyHeader(t)
		var enc, dec SecretstreamState
		enc.Init(h, k)
		dec.Init(h, k)
		m := make([]byte, 256)
		c := make([]byte, len(m)+SecretstreamABytes)
		out := make([]byte, len(m))
		if a := testing.AllocsPerRun(100, func() {
			enc.Push(c, m, 0)
			var next SecretstreamState
			dec.Successor(&next, c)
			dec.Pull(out, c)
		}); a != 0 {
			t.Fatalf("%v allocations per push+pull", a)
		}
	})
}

// TestPaddingQuirk pins libsodium's Poly1305 padding: after the ciphertext
// it pads mlen&15 zero bytes where RFC 8439 (x/crypto's fused AEAD) pads
// -(64+mlen)&15. The two agree exactly when mlen is a multiple of 8, the
// only lengths the pure-Go backend hands to the fused AEAD: below fusedMin
// pushGo takes the unfused path, which follows libsodium.
func TestPaddingQuirk(t *testing.T) {
	k, h := testKeyHeader(t)
	for mlen := range 48 {
		var a, b SecretstreamState
		a.initGo(h, k)
		b = a
		m := make([]byte, mlen)
		rand.Read(m)
		unfused, fused := make([]byte, mlen+SecretstreamABytes), make([]byte, mlen+SecretstreamABytes)
		a.pushGo(unfused, m, SecretstreamTagMessage)
		b.pushFused(fused, m, SecretstreamTagMessage)
		if !bytes.Equal(unfused[:1+mlen], fused[:1+mlen]) {
			t.Fatalf("mlen %d: ciphertexts differ", mlen)
		}
		if same := bytes.Equal(unfused, fused); same != (mlen%8 == 0) {
			t.Fatalf("mlen %d: MACs equal = %v, want %v", mlen, same, mlen%8 == 0)
		}
	}
}

// PushBuf and PullBuf, in place and from separate buffers, give the bytes
// and states Push and Pull give, on both paths of the pure-Go backend
// (lengths that are multiples of 8 and others), and reject what Push and
// Pull reject.
func TestSecretstreamBuf(t *testing.T) {
	forEachBackend(t, func(t *testing.T) {
		const h = SecretstreamHeadroom
		k, hd := testKeyHeader(t)
		var ref, enc, dec SecretstreamState
		ref.Init(hd, k)
		enc, dec = ref, ref
		for i, n := range []int{0, 1, 7, 8, 15, 16, 63, 64, 100, 4096, 4097, 8200} {
			m := make([]byte, n)
			rand.Read(m)
			tag := byte(i % 4)
			want := make([]byte, n+SecretstreamABytes)
			if err := ref.Push(want, m, tag); err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, h+n+SecretstreamABytes)
			if i%2 == 0 {
				copy(buf[h+1:], m)
				if err := enc.PushBuf(buf, buf[h+1:h+1+n], tag); err != nil {
					t.Fatal(err)
				}
			} else if err := enc.PushBuf(buf, m, tag); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf[h:], want) || *stateBytes(&enc) != *stateBytes(&ref) {
				t.Fatalf("len %d: PushBuf differs from Push", n)
			}
			before := *stateBytes(&dec)
			bad := bytes.Clone(want)
			bad[len(bad)/2] ^= 1
			if _, err := dec.PullBuf(make([]byte, len(buf)), bad); !errors.Is(err, ErrForged) || *stateBytes(&dec) != before {
				t.Fatalf("len %d: tampered PullBuf: %v", n, err)
			}
			out := make([]byte, len(buf))
			var got byte
			var err error
			if i%2 == 0 {
				copy(out[h:], want)
				got, err = dec.PullBuf(out, out[h:])
			} else {
				got, err = dec.PullBuf(out, want)
			}
			if err != nil || got != tag || !bytes.Equal(out[h+1:h+1+n], m) || *stateBytes(&dec) != *stateBytes(&ref) {
				t.Fatalf("len %d: PullBuf: tag %d, %v", n, got, err)
			}
		}
		if PushBufCopies() != (Backend() == PureGoName) {
			t.Errorf("PushBufCopies = %v under %s", PushBufCopies(), Backend())
		}
		buf := make([]byte, h+50+SecretstreamABytes)
		if err := enc.PushBuf(buf, buf[h:h+50], 0); !errors.Is(err, ErrOverlap) {
			t.Errorf("PushBuf shifted: %v", err)
		}
		if _, err := dec.PullBuf(buf, buf[:50+SecretstreamABytes]); !errors.Is(err, ErrOverlap) {
			t.Errorf("PullBuf shifted: %v", err)
		}
		if err := enc.PushBuf(buf[1:], buf[h+1:h+51], 0); !errors.Is(err, ErrSize) {
			t.Errorf("PushBuf short buf: %v", err)
		}
		if _, err := dec.PullBuf(buf, buf[h+1:]); !errors.Is(err, ErrSize) {
			t.Errorf("PullBuf short in: %v", err)
		}
	})
}

// A state never shows its key: not under any fmt verb (by value, by
// pointer, or as an exported field), in slog, or in JSON, text or binary
// encodings (marshalling refuses). As for any Go value, reflection into an
// unexported field of a struct holding it by value still reaches the bytes:
// the hygiene test elsewhere walks the types that hold states.
func TestSecretstreamStateRedacted(t *testing.T) {
	k, h := testKeyHeader(t)
	var st SecretstreamState
	st.Init(h, k)
	type holder struct{ S SecretstreamState }
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("m", "v", st, "p", &st)
	outs := []string{logged.String()}
	for _, verb := range redacttest.Verbs {
		outs = append(outs, fmt.Sprintf(verb, st), fmt.Sprintf(verb, &st), fmt.Sprintf(verb, holder{st}))
	}
	for _, out := range outs {
		if enc := redacttest.Leak(out, st.k[:]); enc != "" {
			t.Errorf("%q shows the key (%s)", out, enc)
		}
	}
	if _, err := json.Marshal(st); !errors.Is(err, errNotMarshalable) {
		t.Errorf("json.Marshal: %v", err)
	}
	if _, err := st.MarshalText(); !errors.Is(err, errNotMarshalable) {
		t.Errorf("MarshalText: %v", err)
	}
	if _, err := st.MarshalBinary(); !errors.Is(err, errNotMarshalable) {
		t.Errorf("MarshalBinary: %v", err)
	}
}
