package sodium

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"testing"
	"unsafe"
)

func stateBytes(st *SecretstreamState) *[SecretstreamStateBytes]byte {
	return (*[SecretstreamStateBytes]byte)(unsafe.Pointer(&st.s))
}

func testKeyHeader(t testing.TB) (*[32]byte, *[24]byte) {
	t.Helper()
	var k [32]byte
	var h [24]byte
	rand.Read(k[:])
	rand.Read(h[:])
	return &k, &h
}

func TestSecretstreamSizes(t *testing.T) {
	rt := RuntimeSizes()
	for name, want := range map[string]int{
		"crypto_secretstream_xchacha20poly1305_keybytes":    SecretstreamKeyBytes,
		"crypto_secretstream_xchacha20poly1305_headerbytes": SecretstreamHeaderBytes,
		"crypto_secretstream_xchacha20poly1305_abytes":      SecretstreamABytes,
		"crypto_secretstream_xchacha20poly1305_tag_message": SecretstreamTagMessage,
		"crypto_secretstream_xchacha20poly1305_tag_push":    SecretstreamTagPush,
		"crypto_secretstream_xchacha20poly1305_tag_rekey":   SecretstreamTagRekey,
		"crypto_secretstream_xchacha20poly1305_tag_final":   SecretstreamTagFinal,
	} {
		if got, ok := rt[name]; !ok || got != want {
			t.Errorf("%s = %d (present %v), want %d", name, got, ok, want)
		}
	}
	ss := secretstreamRuntimeSizes()
	for name, want := range map[string]int{
		"crypto_secretstream_xchacha20poly1305_statebytes":       SecretstreamStateBytes,
		"crypto_secretstream_xchacha20poly1305_messagebytes_max": SecretstreamMessageBytesMax,
		"sizeof_state": SecretstreamStateBytes,
	} {
		if ss[name] != want {
			t.Errorf("%s = %d, want %d", name, ss[name], want)
		}
	}
}

// Init on the header that libsodium's init_push drew yields exactly the
// state init_push produced: drawing the header in Go loses nothing.
func TestSecretstreamInitMatchesInitPush(t *testing.T) {
	for range 16 {
		k, _ := testKeyHeader(t)
		var h [24]byte
		var a, b SecretstreamState
		a.initPushLibsodium(&h, k)
		b.Init(&h, k)
		if *stateBytes(&a) != *stateBytes(&b) {
			t.Fatalf("init_pull state differs from init_push state")
		}
		// counter 1, inonce = header[16:24], zero pad
		sb := stateBytes(&b)
		if binary.LittleEndian.Uint32(sb[32:36]) != 1 || !bytes.Equal(sb[36:44], h[16:]) || *(*[8]byte)(sb[44:]) != [8]byte{} {
			t.Fatalf("unexpected state layout %x", sb[32:])
		}
	}
}

func TestSecretstreamRoundTrip(t *testing.T) {
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
}

func TestSecretstreamInPlace(t *testing.T) {
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
}

func TestSecretstreamOverlapRejected(t *testing.T) {
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
}

func TestSecretstreamSizesRejected(t *testing.T) {
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
}

func TestSecretstreamForgedLeavesStateAndOut(t *testing.T) {
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
}

// Successor must also follow libsodium through a counter wrap and an
// explicit Rekey.
func TestSecretstreamSuccessorCounterWrap(t *testing.T) {
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
}

func TestSecretstreamClear(t *testing.T) {
	k, h := testKeyHeader(t)
	var st SecretstreamState
	st.Init(h, k)
	st.Clear()
	if *stateBytes(&st) != [SecretstreamStateBytes]byte{} {
		t.Fatal("Clear left bytes")
	}
}

func TestReferenceStream(t *testing.T) {
	k, _ := testKeyHeader(t)
	const chunk = 1000
	for _, n := range []int{0, 1, chunk, chunk + 1, 3*chunk + 5} {
		in := make([]byte, n)
		rand.Read(in)
		var h [24]byte
		out := make([]byte, chunk+SecretstreamABytes)
		if err := ReferenceStreamEncrypt(out, in, chunk, &h, k); err != nil {
			t.Fatal(err)
		}
		// Build the same stream message by message, then decrypt it with
		// the reference.
		var st SecretstreamState
		st.Init(&h, k)
		var ct, last []byte
		off := 0
		for {
			m := in[off:min(off+chunk, n)]
			tag := byte(SecretstreamTagMessage)
			if off+len(m) == n {
				tag = SecretstreamTagFinal
			}
			last = make([]byte, len(m)+SecretstreamABytes)
			st.Push(last, m, tag)
			ct = append(ct, last...)
			off += len(m)
			if off == n {
				break
			}
		}
		// The reference's buffer holds the last message it pushed.
		if !bytes.Equal(out[:len(last)], last) {
			t.Fatalf("n=%d: reference encryption differs", n)
		}
		if err := ReferenceStreamDecrypt(make([]byte, chunk), ct, chunk, &h, k); err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		ct[len(ct)-1] ^= 1
		if err := ReferenceStreamDecrypt(make([]byte, chunk), ct, chunk, &h, k); !errors.Is(err, ErrForged) {
			t.Fatalf("n=%d: forged stream: %v", n, err)
		}
	}
}

func TestSecretstreamNoAllocs(t *testing.T) {
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
}
