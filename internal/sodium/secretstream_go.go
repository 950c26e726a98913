package sodium

import (
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
	"sync"

	"golang.org/x/crypto/chacha20"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/poly1305" //lint:ignore SA1019 a building block of secretbox and secretstream, used as libsodium uses it
)

// The pure-Go secretstream. One push is RFC 8439 ChaCha20-Poly1305 under
// the state's key with the 12-byte nonce counter ‖ inonce (st.nonce as it
// is), over the plaintext block(64: tag, 63 zeros) ‖ m: Poly1305's key is
// keystream block 0, the tag block is encrypted at counter 1 and m from
// counter 2; only C[0] ‖ C[64:] ‖ MAC is sent, since C[1:64] is keystream
// that pull can rebuild. Then inonce ^= MAC[0:8], counter++, and a rekey
// when the counter wraps to 0 or the tag has the REKEY bit.
//
// PushBuf and PullBuf give the fused path room in front of the message, so
// that it runs in place; Push and Pull copy long messages through a pooled
// scratch buffer to take it.
//
// libsodium pads the ciphertext for Poly1305 with mlen&15 zeros where RFC
// 8439 pads -(64+mlen)&15: the two agree exactly when mlen is a multiple of
// 8. For those lengths x/crypto's fused, assembly AEAD computes the same
// bytes (the fast path); every other length takes the unfused path below
// (chacha20 + poly1305 with libsodium's padding). TestPaddingQuirk pins it.

// fusedMin is the shortest message Push and Pull send through the scratch
// buffer to the fused path (a chosen, untuned threshold: short messages,
// blobs and headers, are rare and cheap either way). PushBuf and PullBuf,
// which need no copy, take the fused path at every multiple of 8.
const fusedMin = 4 << 10

var pad0 [16]byte

func (st *SecretstreamState) initGo(header *[SecretstreamHeaderBytes]byte, key *[SecretstreamKeyBytes]byte) {
	sub, _ := chacha20.HChaCha20(key[:], header[:16]) // sizes are fixed: cannot fail
	copy(st.k[:], sub)
	clear(sub)
	st.nonce = [12]byte{1} // counter 1, little-endian
	copy(st.nonce[4:], header[16:])
	st.pad = [8]byte{}
}

// advance is the tail of push and pull: fold the MAC into the inonce, count,
// and rekey on REKEY or when the counter wraps.
func (st *SecretstreamState) advance(mac []byte, tag byte) {
	for i := range 8 {
		st.nonce[4+i] ^= mac[i]
	}
	c := binary.LittleEndian.Uint32(st.nonce[:4]) + 1
	binary.LittleEndian.PutUint32(st.nonce[:4], c)
	if tag&SecretstreamTagRekey != 0 || c == 0 {
		st.rekeyGo()
	}
}

// rekeyGo: k ‖ inonce ^= ChaCha20(k, nonce) from counter 0, counter = 1.
func (st *SecretstreamState) rekeyGo() {
	var buf [40]byte
	copy(buf[:32], st.k[:])
	copy(buf[32:], st.nonce[4:])
	s, _ := chacha20.NewUnauthenticatedCipher(st.k[:], st.nonce[:])
	s.XORKeyStream(buf[:], buf[:])
	*s = chacha20.Cipher{}
	copy(st.k[:], buf[:32])
	copy(st.nonce[4:], buf[32:])
	binary.LittleEndian.PutUint32(st.nonce[:4], 1)
	clear(buf[:])
}

// macTail feeds libsodium's padding and the lengths (no additional data).
func macTail(mac *poly1305.MAC, mlen int) {
	mac.Write(pad0[:mlen&15])
	var lens [16]byte
	binary.LittleEndian.PutUint64(lens[8:], 64+uint64(mlen))
	mac.Write(lens[:])
}

func (st *SecretstreamState) pushGo(out, m []byte, tag byte) {
	if len(m) >= fusedMin && len(m)%8 == 0 {
		st.pushFused(out, m, tag)
		return
	}
	st.pushUnfused(out, m, tag)
}

// pushUnfused is chacha20 + poly1305 with libsodium's padding.
func (st *SecretstreamState) pushUnfused(out, m []byte, tag byte) {
	var block [64]byte
	s, _ := chacha20.NewUnauthenticatedCipher(st.k[:], st.nonce[:])
	s.XORKeyStream(block[:], block[:]) // block 0: the Poly1305 key
	mac := poly1305.New((*[32]byte)(block[:32]))
	clear(block[:])
	block[0] = tag
	s.XORKeyStream(block[:], block[:]) // counter 1: the tag block
	mac.Write(block[:])
	out[0] = block[0]
	c := out[1 : 1+len(m)]
	s.XORKeyStream(c, m) // counter 2 on
	mac.Write(c)
	macTail(mac, len(m))
	mac.Sum(out[1+len(m) : 1+len(m)])
	*s, *mac = chacha20.Cipher{}, poly1305.MAC{}
	clear(block[:])
	st.advance(out[1+len(m):], tag)
}

func (st *SecretstreamState) pullGo(out, in []byte) (byte, bool) {
	if mlen := len(in) - SecretstreamABytes; mlen >= fusedMin && mlen%8 == 0 {
		return st.pullFused(out, in)
	}
	return st.pullUnfused(out, in)
}

// pullUnfused verifies with poly1305 first, then decrypts with chacha20.
func (st *SecretstreamState) pullUnfused(out, in []byte) (byte, bool) {
	mlen := len(in) - SecretstreamABytes
	var block [64]byte
	s, _ := chacha20.NewUnauthenticatedCipher(st.k[:], st.nonce[:])
	s.XORKeyStream(block[:], block[:])
	mac := poly1305.New((*[32]byte)(block[:32]))
	clear(block[:])
	block[0] = in[0]
	s.XORKeyStream(block[:], block[:]) // block[0] = tag, block[1:] = C[1:64]
	tag := block[0]
	block[0] = in[0]
	mac.Write(block[:])
	c := in[1 : 1+mlen]
	mac.Write(c)
	macTail(mac, mlen)
	stored := in[1+mlen:]
	ok := mac.Verify(stored)
	if ok {
		s.XORKeyStream(out, c) // after verifying: out == c is allowed
		st.advance(stored, tag)
	}
	*s, *mac = chacha20.Cipher{}, poly1305.MAC{}
	clear(block[:])
	return tag, ok
}

func (st *SecretstreamState) successorGo(next *SecretstreamState, in []byte) byte {
	var b [1]byte
	b[0] = in[0]
	s, _ := chacha20.NewUnauthenticatedCipher(st.k[:], st.nonce[:])
	s.SetCounter(1)
	s.XORKeyStream(b[:], b[:])
	*s = chacha20.Cipher{}
	*next = *st
	next.advance(in[len(in)-16:], b[0])
	return b[0]
}

// aeadEntry is x/crypto's AEAD for one key, with a nonce buffer, on the
// heap. The AEAD is only reachable through an interface (its New is not
// inlined), so a fresh one and the nonce handed to it would cost two
// allocations per message; a stream's messages share a key until a rekey,
// so an entry is reused while its key matches and the steady state
// allocates nothing. Like any x/crypto AEAD, an entry keeps its key until
// it is reused or collected (best effort, as for every key on the Go heap).
type aeadEntry struct {
	key   [32]byte
	nonce [12]byte
	aead  cipher.AEAD
}

var aeadPool sync.Pool

func getAEAD(st *SecretstreamState) *aeadEntry {
	a, _ := aeadPool.Get().(*aeadEntry)
	if a == nil {
		a = new(aeadEntry)
	}
	if a.aead == nil || subtle.ConstantTimeCompare(a.key[:], st.k[:]) != 1 {
		aead, err := chacha20poly1305.New(st.k[:])
		if err != nil { // GODEBUG=fips140=only refuses ChaCha20-Poly1305: take the unfused path
			return nil
		}
		a.aead, a.key = aead, st.k
	}
	a.nonce = st.nonce
	return a
}

// scratch buffers for the fused path: the AEAD needs block ‖ message in
// one buffer, so the message is copied behind a 64-byte block.
var scratchPool sync.Pool

func getScratch(n int) *[]byte {
	if p, _ := scratchPool.Get().(*[]byte); p != nil && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	b := make([]byte, n)
	return &b
}

// putScratch returns a buffer without clearing it: it held a message and
// keystream block 1, never key material, and clearing 4 MiB per chunk
// would cost a tenth of the AEAD.
func putScratch(p *[]byte) { scratchPool.Put(p) }

// pushFused seals block ‖ m with x/crypto's AEAD in a scratch buffer and
// sends C[0] ‖ C[64:] ‖ MAC.
func (st *SecretstreamState) pushFused(out, m []byte, tag byte) {
	a := getAEAD(st)
	if a == nil {
		st.pushUnfused(out, m, tag)
		return
	}
	p := getScratch(64 + len(m) + 16)
	buf := *p
	clear(buf[:64])
	buf[0] = tag
	copy(buf[64:], m)
	a.aead.Seal(buf[:0], a.nonce[:], buf[:64+len(m)], nil)
	aeadPool.Put(a)
	out[0] = buf[0]
	copy(out[1:], buf[64:])
	putScratch(p)
	st.advance(out[1+len(m):], tag)
}

// pullFused rebuilds C[1:64] from keystream block 1 in front of a copy of
// the message and opens it with x/crypto's AEAD.
func (st *SecretstreamState) pullFused(out, in []byte) (byte, bool) {
	a := getAEAD(st)
	if a == nil {
		return st.pullUnfused(out, in)
	}
	mlen := len(in) - SecretstreamABytes
	p := getScratch(64 + mlen + 16)
	buf := *p
	clear(buf[:64])
	s, _ := chacha20.NewUnauthenticatedCipher(st.k[:], st.nonce[:])
	s.SetCounter(1)
	s.XORKeyStream(buf[:64], buf[:64])
	*s = chacha20.Cipher{}
	buf[0] = in[0]
	copy(buf[64:], in[1:])
	pt, err := a.aead.Open(buf[:0], a.nonce[:], buf, nil)
	aeadPool.Put(a)
	if err != nil {
		putScratch(p)
		return 0, false
	}
	tag := pt[0]
	copy(out, pt[64:])
	putScratch(p)
	st.advance(in[1+mlen:], tag)
	return tag, true
}

// pushBufGo: with m at buf[64:len(buf)-16] behind the tag block, one fused
// seal in place gives C[0:64] ‖ C[64:] ‖ MAC, and C[0] moves next to C[64:].
func (st *SecretstreamState) pushBufGo(buf, m []byte, tag byte) {
	const h = SecretstreamHeadroom
	var a *aeadEntry
	if len(m)%8 == 0 {
		a = getAEAD(st)
	}
	if a == nil {
		st.pushUnfused(buf[h:], m, tag)
		return
	}
	copy(buf[h+1:], m) // a no-op in place
	clear(buf[:h+1])
	buf[0] = tag
	a.aead.Seal(buf[:0], a.nonce[:], buf[:len(buf)-16], nil)
	aeadPool.Put(a)
	buf[h] = buf[0]
	st.advance(buf[len(buf)-16:], tag)
}

// pullBufGo: C[0] ‖ keystream block 1 [1:64] in front of C[64:] ‖ MAC is the
// RFC 8439 ciphertext, opened in place.
func (st *SecretstreamState) pullBufGo(buf, in []byte) (byte, bool) {
	const h = SecretstreamHeadroom
	var a *aeadEntry
	if (len(in)-SecretstreamABytes)%8 == 0 {
		a = getAEAD(st)
	}
	if a == nil {
		return st.pullUnfused(buf[h+1:len(buf)-16], in)
	}
	copy(buf[h:], in) // a no-op in place
	var mac [16]byte
	copy(mac[:], buf[len(buf)-16:]) // the next state needs it; a failed Open wipes buf
	var block [64]byte
	s, _ := chacha20.NewUnauthenticatedCipher(st.k[:], st.nonce[:])
	s.SetCounter(1)
	s.XORKeyStream(block[:], block[:])
	*s = chacha20.Cipher{}
	c0 := buf[h]
	copy(buf[1:h+1], block[1:])
	buf[0] = c0
	clear(block[:])
	pt, err := a.aead.Open(buf[:0], a.nonce[:], buf, nil)
	aeadPool.Put(a)
	if err != nil {
		return 0, false
	}
	st.advance(mac[:], pt[0])
	return pt[0], true
}
