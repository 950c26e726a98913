package sodium

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"unsafe"

	"github.com/e2eekit/e2ee/internal/redacttest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
			require.NoError(t, enc.Push(c, m, tag))
			require.Equal(t, orig, m, "Push modified its input")
			out := make([]byte, len(m))
			var next SecretstreamState
			claimed, err := dec.Successor(&next, c)
			require.NoError(t, err)
			got, err := dec.Pull(out, c)
			require.NoError(t, err, "message %d", i)
			require.Equal(t, tag, got, "message %d: tag", i)
			require.Equal(t, tag, claimed, "message %d: claimed tag", i)
			require.Equal(t, m, out, "message %d", i)
			// State bytes hold the key: compared, never printed.
			require.True(t, *stateBytes(&next) == *stateBytes(&dec) && *stateBytes(&enc) == *stateBytes(&dec), "message %d: states diverge", i)
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
		require.NoError(t, enc.Push(buf, buf[1:1+len(m)], SecretstreamTagFinal))
		var ref SecretstreamState
		ref.Init(h, k)
		c2 := make([]byte, len(buf))
		ref.Push(c2, m, SecretstreamTagFinal)
		require.Equal(t, c2, buf, "in-place push differs")
		tag, err := dec.Pull(buf[1:1+len(m)], buf)
		require.NoError(t, err, "in-place pull")
		require.Equal(t, byte(SecretstreamTagFinal), tag, "in-place pull")
		require.Equal(t, m, buf[1:1+len(m)], "in-place pull")
	})
}

func TestSecretstreamOverlapRejected(t *testing.T) {
	forEachBackend(t, func(t *testing.T) {
		k, h := testKeyHeader(t)
		var st SecretstreamState
		st.Init(h, k)
		buf := make([]byte, 100)
		assert.ErrorIs(t, st.Push(buf[:50+SecretstreamABytes], buf[:50], 0), ErrOverlap, "push out==m")
		assert.ErrorIs(t, st.Push(buf[:50+SecretstreamABytes], buf[2:52], 0), ErrOverlap, "push shifted")
		_, err := st.Pull(buf[:50], buf[:50+SecretstreamABytes])
		assert.ErrorIs(t, err, ErrOverlap, "pull out==in")
	})
}

func TestSecretstreamSizesRejected(t *testing.T) {
	forEachBackend(t, func(t *testing.T) {
		k, h := testKeyHeader(t)
		var st SecretstreamState
		st.Init(h, k)
		before := *stateBytes(&st)
		for n := range SecretstreamABytes {
			_, err := st.Pull(nil, make([]byte, n))
			assert.ErrorIs(t, err, ErrSize, "pull of %d bytes", n)
			var next SecretstreamState
			_, err = st.Successor(&next, make([]byte, n))
			assert.ErrorIs(t, err, ErrSize, "successor of %d bytes", n)
		}
		_, err := st.Pull(make([]byte, 4), make([]byte, 20))
		assert.ErrorIs(t, err, ErrSize, "pull with short out accepted")
		assert.ErrorIs(t, st.Push(make([]byte, 20), make([]byte, 4), 0), ErrSize, "push with long out accepted")
		assert.True(t, *stateBytes(&st) == before, "rejected calls changed the state")
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
			_, err := dec.Pull(out, c)
			require.ErrorIs(t, err, ErrForged, "flip at %d", i)
			require.Equal(t, bytes.Repeat([]byte{0xAA}, 64), out, "flip at %d: output touched", i)
			require.True(t, *stateBytes(&dec) == before, "flip at %d: state touched", i)
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
			_, err := dec.Pull(make([]byte, 10), c)
			require.NoError(t, err)
			require.True(t, *stateBytes(&next) == *stateBytes(&dec), "step %d: successor differs from pull", i)
			if i == 0 {
				// Bytes 32:36 are the counter, not the key.
				require.Equal(t, uint32(1), binary.LittleEndian.Uint32(stateBytes(&dec)[32:36]), "counter wrap did not rekey")
			}
		}
		enc.Rekey()
		dec.Rekey()
		c := make([]byte, SecretstreamABytes)
		enc.Push(c, nil, SecretstreamTagFinal)
		tag, err := dec.Pull(nil, c)
		require.NoError(t, err, "after explicit rekey")
		require.Equal(t, byte(SecretstreamTagFinal), tag, "after explicit rekey")
	})
}

func TestSecretstreamClear(t *testing.T) {
	forEachBackend(t, func(t *testing.T) {
		k, h := testKeyHeader(t)
		var st SecretstreamState
		st.Init(h, k)
		st.Clear()
		require.True(t, *stateBytes(&st) == [SecretstreamStateBytes]byte{}, "Clear left bytes")
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
		a := testing.AllocsPerRun(100, func() {
			enc.Push(c, m, 0)
			var next SecretstreamState
			dec.Successor(&next, c)
			dec.Pull(out, c)
		})
		require.Zero(t, a, "allocations per push+pull")
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
		require.Equal(t, unfused[:1+mlen], fused[:1+mlen], "mlen %d: ciphertexts differ", mlen)
		require.Equal(t, mlen%8 == 0, bytes.Equal(unfused, fused), "mlen %d: MACs equal", mlen)
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
			require.NoError(t, ref.Push(want, m, tag))
			buf := make([]byte, h+n+SecretstreamABytes)
			if i%2 == 0 {
				copy(buf[h+1:], m)
				require.NoError(t, enc.PushBuf(buf, buf[h+1:h+1+n], tag))
			} else {
				require.NoError(t, enc.PushBuf(buf, m, tag))
			}
			require.Equal(t, want, buf[h:], "len %d: PushBuf differs from Push", n)
			require.True(t, *stateBytes(&enc) == *stateBytes(&ref), "len %d: PushBuf state differs from Push's", n)
			before := *stateBytes(&dec)
			bad := bytes.Clone(want)
			bad[len(bad)/2] ^= 1
			_, err := dec.PullBuf(make([]byte, len(buf)), bad)
			require.ErrorIs(t, err, ErrForged, "len %d: tampered PullBuf", n)
			require.True(t, *stateBytes(&dec) == before, "len %d: tampered PullBuf changed the state", n)
			out := make([]byte, len(buf))
			var got byte
			if i%2 == 0 {
				copy(out[h:], want)
				got, err = dec.PullBuf(out, out[h:])
			} else {
				got, err = dec.PullBuf(out, want)
			}
			require.NoError(t, err, "len %d: PullBuf", n)
			require.Equal(t, tag, got, "len %d: PullBuf tag", n)
			require.Equal(t, m, out[h+1:h+1+n], "len %d: PullBuf", n)
			require.True(t, *stateBytes(&dec) == *stateBytes(&ref), "len %d: PullBuf state differs from Pull's", n)
		}
		assert.Equal(t, Backend() == PureGoName, PushBufCopies(), "PushBufCopies under %s", Backend())
		buf := make([]byte, h+50+SecretstreamABytes)
		assert.ErrorIs(t, enc.PushBuf(buf, buf[h:h+50], 0), ErrOverlap, "PushBuf shifted")
		_, err := dec.PullBuf(buf, buf[:50+SecretstreamABytes])
		assert.ErrorIs(t, err, ErrOverlap, "PullBuf shifted")
		assert.ErrorIs(t, enc.PushBuf(buf[1:], buf[h+1:h+51], 0), ErrSize, "PushBuf short buf")
		_, err = dec.PullBuf(buf, buf[h+1:])
		assert.ErrorIs(t, err, ErrSize, "PullBuf short in")
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
		assert.Empty(t, redacttest.Leak(out, st.k[:]), "%q shows the key", out)
	}
	_, err := json.Marshal(st)
	assert.ErrorIs(t, err, errNotMarshalable, "json.Marshal")
	_, err = st.MarshalText()
	assert.ErrorIs(t, err, errNotMarshalable, "MarshalText")
	_, err = st.MarshalBinary()
	assert.ErrorIs(t, err, errNotMarshalable, "MarshalBinary")
}
