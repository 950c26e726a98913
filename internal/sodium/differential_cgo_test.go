//go:build cgo && !purego

package sodium

import (
	"bytes"
	"encoding/binary"
	"flag"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
)

// The differential tests run libsodium and the pure-Go implementation on
// the same seeded random inputs in one binary and require identical bytes,
// identical states and identical verdicts on tampered inputs. make test runs
// the default (a few thousand cases per primitive); make test-long runs
// -diff.cases=100000 with a fresh seed. Each test logs its count and seed.
var (
	diffCases = flag.Int("diff.cases", 2000, "random cases per primitive in the differential tests (make test-long: 100000)")
	diffSeed  = flag.Uint64("diff.seed", 1, "seed of the differential tests")
)

func diffRand(t *testing.T) *rand.Rand {
	t.Helper()
	return rand.New(rand.NewPCG(*diffSeed, uint64(len(t.Name()))))
}

func fill(r *rand.Rand, b []byte) {
	for i := range b {
		b[i] = byte(r.Uint32())
	}
}

// diffLen is a message length: mostly 0..200, sometimes a few KiB around
// the fused path's threshold (multiples of 8 take it), sometimes around
// the libsodium backend's piece boundaries.
func diffLen(r *rand.Rand) int {
	switch r.IntN(20) {
	case 0, 1:
		return fusedMin - 64 + r.IntN(2*fusedMin)
	case 2: // around the libsodium backend's piece boundaries (64 KiB, 128 KiB)
		return (1+r.IntN(2))*64<<10 - 100 + r.IntN(201)
	}
	return r.IntN(201)
}

// flip returns a copy of b with one random bit flipped.
func flip(r *rand.Rand, b []byte) []byte {
	c := bytes.Clone(b)
	c[r.IntN(len(c))] ^= 1 << r.IntN(8)
	return c
}

func logCases(t *testing.T, n int) {
	t.Logf("differential %s: %d cases (seed %d)", t.Name(), n, *diffSeed)
}

func TestDifferentialSecretbox(t *testing.T) {
	r := diffRand(t)
	var key [32]byte
	var nonce [24]byte
	for i := range *diffCases {
		fill(r, key[:])
		fill(r, nonce[:])
		m := make([]byte, diffLen(r))
		fill(r, m)
		c1 := make([]byte, len(m)+16)
		c2 := make([]byte, len(m)+16)
		secretboxEasyC(c1, m, &nonce, &key)
		secretboxEasyGo(c2, m, &nonce, &key)
		require.Equal(t, c1, c2, "case %d (len %d): boxes differ", i, len(m))
		o1, o2 := make([]byte, len(m)), make([]byte, len(m))
		require.True(t, secretboxOpenEasyC(o1, c2, &nonce, &key), "case %d: libsodium does not open Go's box", i)
		require.True(t, secretboxOpenEasyGo(o2, c1, &nonce, &key), "case %d: Go does not open libsodium's box", i)
		require.Equal(t, m, o1, "case %d: a backend does not open the other's box", i)
		require.Equal(t, m, o2, "case %d: a backend does not open the other's box", i)
		bad := flip(r, c1)
		require.False(t, secretboxOpenEasyC(o1, bad, &nonce, &key), "case %d: a tampered box opened (libsodium)", i)
		require.False(t, secretboxOpenEasyGo(o2, bad, &nonce, &key), "case %d: a tampered box opened (Go)", i)
	}
	logCases(t, *diffCases)
}

// lowOrder holds encodings of points of small order (and a non-canonical
// one), for which both backends must refuse to seal or open.
var lowOrder = [][32]byte{
	{},
	{1},
	{0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00},
	{0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
}

func TestDifferentialSealedBox(t *testing.T) {
	r := diffRand(t)
	var sk, esk, pk, pk2 [32]byte
	for i := range *diffCases {
		fill(r, sk[:])
		fill(r, esk[:])
		require.NoError(t, scalarMultBaseGo(&pk, &sk))
		require.NoError(t, scalarMultBase(&pk2, &sk), "case %d", i)
		require.Equal(t, pk, pk2, "case %d: public keys differ", i)
		m := make([]byte, diffLen(r)%300)
		fill(r, m)
		b1, b2 := make([]byte, len(m)+48), make([]byte, len(m)+48)
		require.True(t, boxSealC(b1, m, &pk, &esk), "case %d (len %d): libsodium does not seal", i, len(m))
		require.True(t, boxSealGo(b2, m, &pk, &esk), "case %d (len %d): Go does not seal", i, len(m))
		require.Equal(t, b1, b2, "case %d (len %d): sealed boxes differ", i, len(m))
		o1, o2 := make([]byte, len(m)), make([]byte, len(m))
		require.True(t, boxSealOpenC(o1, b2, &pk, &sk), "case %d: libsodium does not open Go's sealed box", i)
		require.True(t, boxSealOpenGo(o2, b1, &pk, &sk), "case %d: Go does not open libsodium's sealed box", i)
		require.Equal(t, m, o1, "case %d: a backend does not open the other's sealed box", i)
		require.Equal(t, m, o2, "case %d: a backend does not open the other's sealed box", i)
		bad := flip(r, b1)
		require.False(t, boxSealOpenC(o1, bad, &pk, &sk), "case %d: a tampered sealed box opened (libsodium)", i)
		require.False(t, boxSealOpenGo(o2, bad, &pk, &sk), "case %d: a tampered sealed box opened (Go)", i)
		// Any 32 bytes as a recipient: both seal alike or both refuse
		// (every fourth case: X25519 dominates this test's time).
		if i%4 != 0 {
			continue
		}
		fill(r, pk2[:])
		low := i/4 < len(lowOrder)
		if low {
			pk2 = lowOrder[i/4]
		}
		okC, okGo := boxSealC(b1, m, &pk2, &esk), boxSealGo(b2, m, &pk2, &esk)
		require.Equal(t, okC, okGo, "case %d: recipient %x: libsodium and Go disagree", i, pk2)
		if okC {
			require.False(t, low, "case %d: recipient %x of small order: sealed", i, pk2)
			require.Equal(t, b1, b2, "case %d: recipient %x: sealed boxes differ", i, pk2)
		}
	}
	logCases(t, *diffCases)
}

func TestDifferentialKDF(t *testing.T) {
	r := diffRand(t)
	var key [32]byte
	ctx := make([]byte, 8)
	for i := range *diffCases {
		fill(r, key[:])
		fill(r, ctx)
		n := KDFBytesMin + r.IntN(KDFBytesMax-KDFBytesMin+1)
		id := r.Uint64()
		a, err1 := kdfDeriveFromKey(n, id, string(ctx), &key)
		b, err2 := kdfDeriveFromKeyGo(n, id, string(ctx), &key)
		require.NoError(t, err1, "case %d (n %d, id %d, ctx %x): libsodium", i, n, id, ctx)
		require.NoError(t, err2, "case %d (n %d, id %d, ctx %x): Go", i, n, id, ctx)
		// Subkeys are key material: compared, never printed.
		require.True(t, bytes.Equal(a, b), "case %d (n %d, id %d, ctx %x): subkeys differ", i, n, id, ctx)
	}
	logCases(t, *diffCases)
}

// Argon2id at small costs: the parameters that change the output (ops,
// memory, output length, password and salt) vary; the cost does not matter.
func TestDifferentialPwhash(t *testing.T) {
	r := diffRand(t)
	var salt [16]byte
	n := *diffCases
	for i := range n {
		fill(r, salt[:])
		pw := make([]byte, r.IntN(40))
		fill(r, pw)
		ops := uint64(1 + r.IntN(3))
		mem := uint64(PwhashMemLimitMin + 1024*r.IntN(25)) // 8..32 KiB
		out1 := make([]byte, 16+r.IntN(49))
		out2 := make([]byte, len(out1))
		require.NoError(t, pwhash(out1, pw, &salt, ops, mem))
		require.NoError(t, pwhashGo(out2, pw, &salt, ops, mem), "case %d (ops %d, mem %d, len %d)", i, ops, mem, len(out1))
		// Derived keys: compared, never printed.
		require.True(t, bytes.Equal(out1, out2), "case %d (ops %d, mem %d, len %d): keys differ", i, ops, mem, len(out1))
	}
	logCases(t, n)
}

func stateOf(st *SecretstreamState) [SecretstreamStateBytes]byte {
	return *(*[SecretstreamStateBytes]byte)(unsafe.Pointer(st))
}

// TestDifferentialSecretstream pushes random messages with every tag value
// (0..255, as libsodium accepts any byte), explicit rekeys and counters
// that wrap, alternately with each backend, and pulls each message with
// both: ciphertexts, tags, Successor and the states must agree after every
// step, and a tampered message must be rejected by both with the state
// left as it was. The libsodium backend's piecewise push and pull (the
// stream engine's PushBuf and PullBuf) run beside libsodium's own and must
// agree with it byte for byte.
func TestDifferentialSecretstream(t *testing.T) {
	r := diffRand(t)
	var key [32]byte
	var header [24]byte
	cases := 0
	for stream := 0; cases < *diffCases; stream++ {
		fill(r, key[:])
		fill(r, header[:])
		var pc, pg, dc, dg SecretstreamState // push and pull states, libsodium and Go
		var pp, dp SecretstreamState         // push and pull states, libsodium in pieces
		pc.init(&header, &key)
		pg.initGo(&header, &key)
		// States hold the key: compared with ==, never printed.
		require.True(t, stateOf(&pc) == stateOf(&pg), "stream %d: init states differ", stream)
		if stream%4 == 1 { // start 4 messages before the counter wraps
			binary.LittleEndian.PutUint32(pc.nonce[:4], 1<<32-4)
			pg = pc
		}
		dc, dg, pp, dp = pc, pg, pc, pc
		for msg := range 12 {
			tag := byte(r.IntN(256))
			if msg < 4 {
				tag = byte(msg) // the four defined tags in every stream
			}
			m := make([]byte, diffLen(r))
			fill(r, m)
			c1, c2 := make([]byte, len(m)+17), make([]byte, len(m)+17)
			pc.pushC(c1, m, tag)
			if msg%2 == 0 {
				pg.pushGo(c2, m, tag)
			} else { // the in-place path the stream package uses
				buf := make([]byte, SecretstreamHeadroom+len(c2))
				copy(buf[SecretstreamHeadroom+1:], m)
				pg.pushBufGo(buf, buf[SecretstreamHeadroom+1:len(buf)-16], tag)
				copy(c2, buf[SecretstreamHeadroom:])
			}
			require.Equal(t, c1, c2, "stream %d message %d (len %d, tag %d): push differs", stream, msg, len(m), tag)
			require.True(t, stateOf(&pc) == stateOf(&pg), "stream %d message %d (len %d, tag %d): push states differ", stream, msg, len(m), tag)
			c3 := make([]byte, len(c1))
			pp.pushPiecesC(c3, m, tag)
			require.Equal(t, c1, c3, "stream %d message %d (len %d, tag %d): push in pieces differs", stream, msg, len(m), tag)
			require.True(t, stateOf(&pc) == stateOf(&pp), "stream %d message %d (len %d, tag %d): push in pieces: states differ", stream, msg, len(m), tag)
			bad := flip(r, c1)
			before := stateOf(&dc)
			o1, o2 := make([]byte, len(m)), make([]byte, len(m))
			_, ok := dc.pullC(o1, bad)
			require.False(t, ok, "stream %d message %d: libsodium pulled a tampered message", stream, msg)
			_, ok = dg.pullBufGo(make([]byte, SecretstreamHeadroom+len(bad)), bad)
			require.False(t, ok, "stream %d message %d: Go pulled a tampered message in place", stream, msg)
			_, ok = dg.pullGo(o2, bad)
			require.False(t, ok, "stream %d message %d: Go pulled a tampered message", stream, msg)
			o3 := make([]byte, len(m))
			_, ok = dp.pullPiecesC(o3, bad)
			require.False(t, ok, "stream %d message %d: libsodium in pieces pulled a tampered message", stream, msg)
			require.True(t, bytes.Equal(o3, make([]byte, len(m))), "stream %d message %d: a rejected pull in pieces left output", stream, msg)
			require.True(t, stateOf(&dc) == before && stateOf(&dg) == before && stateOf(&dp) == before, "stream %d message %d: a rejected pull changed the state", stream, msg)
			var sc, sg SecretstreamState
			claimC, claimG := dc.successor(&sc, c1), dg.successorGo(&sg, c1)
			t3, ok3 := dp.pullPiecesC(o3, c1)
			require.True(t, ok3, "stream %d message %d: libsodium in pieces pull failed", stream, msg)
			require.Equal(t, tag, t3, "stream %d message %d: libsodium in pieces pull tag", stream, msg)
			require.Equal(t, m, o3, "stream %d message %d: libsodium in pieces pull", stream, msg)
			t1, ok1 := dc.pullC(o1, c2) // each pulls the other's ciphertext
			var t2 byte
			var ok2 bool
			if msg%2 == 0 {
				t2, ok2 = dg.pullGo(o2, c1)
			} else {
				buf := make([]byte, SecretstreamHeadroom+len(c1))
				t2, ok2 = dg.pullBufGo(buf, c1)
				copy(o2, buf[SecretstreamHeadroom+1:])
			}
			require.True(t, ok1, "stream %d message %d: libsodium pull failed", stream, msg)
			require.True(t, ok2, "stream %d message %d: Go pull failed", stream, msg)
			require.Equal(t, tag, t1, "stream %d message %d: libsodium pull tag", stream, msg)
			require.Equal(t, tag, t2, "stream %d message %d: Go pull tag", stream, msg)
			require.Equal(t, tag, claimC, "stream %d message %d: libsodium successor tag", stream, msg)
			require.Equal(t, tag, claimG, "stream %d message %d: Go successor tag", stream, msg)
			require.Equal(t, m, o1, "stream %d message %d: libsodium pull", stream, msg)
			require.Equal(t, m, o2, "stream %d message %d: Go pull", stream, msg)
			s := stateOf(&dc)
			require.True(t, s == stateOf(&dg) && s == stateOf(&sc) && s == stateOf(&sg) && s == stateOf(&pc) && s == stateOf(&dp), "stream %d message %d: states diverge after pull", stream, msg)
			if r.IntN(8) == 0 { // explicit rekey, on one side by each backend
				pc.rekey()
				pg.rekeyGo()
				pp.rekey()
				dc.rekey()
				dg.rekeyGo()
				dp.rekey()
				require.True(t, stateOf(&pc) == stateOf(&pg) && stateOf(&pc) == stateOf(&pp) &&
					stateOf(&dc) == stateOf(&dg) && stateOf(&dc) == stateOf(&dp), "stream %d message %d: rekey differs", stream, msg)
			}
			cases++
		}
		if stream%4 == 1 {
			require.LessOrEqual(t, binary.LittleEndian.Uint32(pc.nonce[:4]), uint32(100), "stream %d: the counter did not wrap", stream)
		}
	}
	logCases(t, cases)
}

// TestDifferentialSecretstreamLong covers lengths around the 4 MiB chunk
// (on both sides of every multiple of 8, so both Go paths) once per run.
func TestDifferentialSecretstreamLong(t *testing.T) {
	r := diffRand(t)
	var key [32]byte
	var header [24]byte
	fill(r, key[:])
	fill(r, header[:])
	var pc, pg, dc, dg, pp, dp SecretstreamState
	pc.initGo(&header, &key)
	pg, dc, dg, pp, dp = pc, pc, pc, pc, pc
	m := make([]byte, 4<<20+9)
	fill(r, m)
	out := make([]byte, len(m))
	buf := make([]byte, SecretstreamHeadroom+len(m)+17)
	n := 0
	for l := 4<<20 - 9; l <= 4<<20+9; l++ {
		c1, c2 := make([]byte, l+17), make([]byte, l+17)
		pc.pushC(c1, m[:l], SecretstreamTagMessage)
		pg.pushGo(c2, m[:l], SecretstreamTagMessage)
		// 4 MiB messages: bytes.Equal rather than require.Equal, whose diff
		// of them would take minutes and flood the log.
		require.True(t, bytes.Equal(c1, c2), "length %d: push differs", l)
		require.True(t, stateOf(&pc) == stateOf(&pg), "length %d: push states differ", l)
		// Each backend pulls the other's message (Go in place, as streams do).
		tag, ok := dc.pullC(out[:l], c2)
		require.True(t, ok, "length %d: libsodium does not pull Go's message", l)
		require.Equal(t, byte(SecretstreamTagMessage), tag, "length %d: libsodium does not pull Go's message", l)
		require.True(t, bytes.Equal(out[:l], m[:l]), "length %d: libsodium does not pull Go's message", l)
		b := buf[:SecretstreamHeadroom+l+17]
		copy(b[SecretstreamHeadroom:], c1)
		tag, ok = dg.pullBufGo(b, b[SecretstreamHeadroom:])
		require.True(t, ok, "length %d: Go does not pull libsodium's message", l)
		require.Equal(t, byte(SecretstreamTagMessage), tag, "length %d: Go does not pull libsodium's message", l)
		require.True(t, bytes.Equal(b[SecretstreamHeadroom+1:SecretstreamHeadroom+1+l], m[:l]), "length %d: Go does not pull libsodium's message", l)
		require.True(t, stateOf(&dc) == stateOf(&dg), "length %d: states differ after the pulls", l)
		// And the libsodium backend in pieces, as streams use it, in place.
		copy(b[SecretstreamHeadroom:], c1)
		tag, ok = dp.pullPiecesC(b[SecretstreamHeadroom+1:SecretstreamHeadroom+1+l], b[SecretstreamHeadroom:])
		require.True(t, ok, "length %d: libsodium in pieces does not pull libsodium's message", l)
		require.Equal(t, byte(SecretstreamTagMessage), tag, "length %d: libsodium in pieces", l)
		require.True(t, bytes.Equal(b[SecretstreamHeadroom+1:SecretstreamHeadroom+1+l], m[:l]), "length %d: libsodium in pieces does not pull libsodium's message", l)
		c3 := make([]byte, l+17)
		pp.pushPiecesC(c3, m[:l], SecretstreamTagMessage)
		require.True(t, bytes.Equal(c1, c3), "length %d: push in pieces differs", l)
		require.True(t, stateOf(&dc) == stateOf(&dp) && stateOf(&pc) == stateOf(&pp), "length %d: states differ after the pieces", l)
		n++
	}
	logCases(t, n)
}
