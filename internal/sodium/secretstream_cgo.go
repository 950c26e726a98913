//go:build cgo && !purego

package sodium

/*
#include <string.h>
#include <sodium.h>

#cgo noescape e2ee_ss_init
#cgo nocallback e2ee_ss_init
#cgo noescape e2ee_ss_init_push_libsodium
#cgo nocallback e2ee_ss_init_push_libsodium
#cgo noescape e2ee_ss_push
#cgo nocallback e2ee_ss_push
#cgo noescape e2ee_ss_pull
#cgo nocallback e2ee_ss_pull
#cgo noescape e2ee_ss_rekey
#cgo nocallback e2ee_ss_rekey
#cgo noescape e2ee_ss_successor
#cgo nocallback e2ee_ss_successor
#cgo noescape e2ee_ss_push_pieces
#cgo nocallback e2ee_ss_push_pieces
#cgo noescape e2ee_ss_pull_pieces
#cgo nocallback e2ee_ss_pull_pieces

typedef crypto_secretstream_xchacha20poly1305_state e2ee_ss;

// init_pull on a header yields exactly the state init_push leaves after it
// drew that header at random (HChaCha20 subkey, counter 1, inonce, zero pad),
// so one function serves both directions and the header can come from Go.
static void e2ee_ss_init(e2ee_ss *st, const unsigned char *header, const unsigned char *key) {
	crypto_secretstream_xchacha20poly1305_init_pull(st, header, key);
}

// libsodium's own init_push, which draws the header with randombytes_buf.
// Only the tests use it, to prove the claim above.
static void e2ee_ss_init_push_libsodium(e2ee_ss *st, unsigned char *header, const unsigned char *key) {
	crypto_secretstream_xchacha20poly1305_init_push(st, header, key);
}

static void e2ee_ss_push(e2ee_ss *st, unsigned char *out, const unsigned char *m,
                         unsigned long long mlen, unsigned char tag) {
	crypto_secretstream_xchacha20poly1305_push(st, out, NULL, m, mlen, NULL, 0, tag);
}

static int e2ee_ss_pull(e2ee_ss *st, unsigned char *out, unsigned char *tag,
                        const unsigned char *in, unsigned long long inlen) {
	return crypto_secretstream_xchacha20poly1305_pull(st, out, NULL, tag, in, inlen, NULL, 0);
}

static void e2ee_ss_rekey(e2ee_ss *st) {
	crypto_secretstream_xchacha20poly1305_rekey(st);
}

// e2ee_ss_advance is the end of every push and pull: inonce ^= mac[0:8];
// counter++; rekey if the tag has the REKEY bit or the counter wrapped.
static void e2ee_ss_advance(e2ee_ss *st, const unsigned char *mac, unsigned char tag) {
	size_t i;

	for (i = 0U; i < 8U; i++) {
		st->nonce[4U + i] ^= mac[i];
	}
	sodium_increment(st->nonce, 4U);
	if ((tag & crypto_secretstream_xchacha20poly1305_TAG_REKEY) != 0 ||
	    sodium_is_zero(st->nonce, 4U)) {
		crypto_secretstream_xchacha20poly1305_rekey(st);
	}
}

// e2ee_ss_successor computes, without authenticating anything, the state
// that a successful pull of the message in[0:inlen] with *st leaves behind,
// and returns the tag the message claims: the first byte of the message
// XORed with the first byte of ChaCha20 block 1, as pull computes it.
static unsigned char e2ee_ss_successor(e2ee_ss *next, const e2ee_ss *st,
                                       const unsigned char *in, unsigned long long inlen) {
	unsigned char tag = in[0];

	crypto_stream_chacha20_ietf_xor_ic(&tag, &tag, 1U, st->nonce, 1U, st->k);
	memcpy(next, st, sizeof *next);
	e2ee_ss_advance(next, in + inlen - crypto_onetimeauth_poly1305_BYTES, tag);
	return tag;
}

// The same push and pull, built from libsodium's ChaCha20 and Poly1305 so
// that each E2EE_PIECE bytes of a message are encrypted and authenticated
// while they are in cache: libsodium's own push encrypts the whole message
// and then reads it all again for Poly1305, and pull reads it all for
// Poly1305 before decrypting it, which for a 4 MiB chunk is a second trip
// to memory. Same bytes, same states (TestDifferentialSecretstream checks
// them beside libsodium's own push and pull).
//
// The construction (libsodium's secretstream): keystream block 0 keys
// Poly1305; block 1 encrypts the 64-byte tag block (tag, 63 zeros) of which
// only the first byte is sent; blocks 2… encrypt the message; Poly1305 runs
// over the encrypted tag block, the ciphertext, mlen & 15 bytes of zero
// padding (libsodium's quirk: (0x10 - 64 + mlen) & 0xf), and the lengths
// 0 and 64+mlen as little-endian 64-bit words. Then inonce ^= mac[0:8],
// counter++, and a rekey on the REKEY bit or a wrapped counter.
#define E2EE_PIECE (64U * 1024U) // a multiple of the 64-byte ChaCha20 block

static const unsigned char e2ee_zero16[16];

static void e2ee_ss_mac_tail(crypto_onetimeauth_poly1305_state *ps, unsigned long long mlen, unsigned char *mac) {
	unsigned char slen[8];
	unsigned long long total = 64U + mlen;
	int i;

	crypto_onetimeauth_poly1305_update(ps, e2ee_zero16, (0x10U - 64U + mlen) & 0xfU);
	memset(slen, 0, sizeof slen); // the additional data's length: none
	crypto_onetimeauth_poly1305_update(ps, slen, sizeof slen);
	for (i = 0; i < 8; i++) {
		slen[i] = (unsigned char) (total >> (8 * i));
	}
	crypto_onetimeauth_poly1305_update(ps, slen, sizeof slen);
	crypto_onetimeauth_poly1305_final(ps, mac);
	sodium_memzero(ps, sizeof *ps);
}


// e2ee_ss_tag_block starts Poly1305 and returns in block the encrypted tag
// block, whose first byte is the tag XOR keystream byte 64.
static void e2ee_ss_tag_block(const e2ee_ss *st, crypto_onetimeauth_poly1305_state *ps,
                              unsigned char block[64], unsigned char tag) {
	crypto_stream_chacha20_ietf(block, 64U, st->nonce, st->k);
	crypto_onetimeauth_poly1305_init(ps, block);
	memset(block, 0, 64U);
	block[0] = tag;
	crypto_stream_chacha20_ietf_xor_ic(block, block, 64U, st->nonce, 1U, st->k);
}

// out: tag byte, ciphertext, MAC (mlen + 17 bytes); m may be out + 1.
static void e2ee_ss_push_pieces(e2ee_ss *st, unsigned char *out, const unsigned char *m,
                                unsigned long long mlen, unsigned char tag) {
	crypto_onetimeauth_poly1305_state ps;
	unsigned char block[64];
	unsigned char *c = out + 1;
	unsigned long long off, n;

	e2ee_ss_tag_block(st, &ps, block, tag);
	crypto_onetimeauth_poly1305_update(&ps, block, sizeof block);
	out[0] = block[0];
	sodium_memzero(block, sizeof block);
	for (off = 0U; off < mlen; off += n) {
		n = mlen - off < E2EE_PIECE ? mlen - off : E2EE_PIECE;
		crypto_stream_chacha20_ietf_xor_ic(c + off, m + off, n, st->nonce, (uint32_t) (2U + off / 64U), st->k);
		crypto_onetimeauth_poly1305_update(&ps, c + off, n);
	}
	e2ee_ss_mac_tail(&ps, mlen, c + mlen);
	e2ee_ss_advance(st, c + mlen, tag);
}

// in: tag byte, ciphertext, MAC (inlen >= 17); m (inlen - 17 bytes) may be
// in + 1. Each piece is authenticated before it is decrypted over; on a
// forgery m is wiped (so, in place, is the ciphertext) and st is untouched.
static int e2ee_ss_pull_pieces(e2ee_ss *st, unsigned char *m, unsigned char *tag,
                               const unsigned char *in, unsigned long long inlen) {
	crypto_onetimeauth_poly1305_state ps;
	unsigned char block[64], mac[16];
	const unsigned char *c = in + 1;
	unsigned long long mlen = inlen - 17U, off, n;
	unsigned char t;

	e2ee_ss_tag_block(st, &ps, block, 0U);
	t = block[0] ^ in[0]; // block[0] is keystream byte 64 (the tag was 0)
	block[0] = in[0];
	crypto_onetimeauth_poly1305_update(&ps, block, sizeof block);
	sodium_memzero(block, sizeof block);
	for (off = 0U; off < mlen; off += n) {
		n = mlen - off < E2EE_PIECE ? mlen - off : E2EE_PIECE;
		crypto_onetimeauth_poly1305_update(&ps, c + off, n);
		crypto_stream_chacha20_ietf_xor_ic(m + off, c + off, n, st->nonce, (uint32_t) (2U + off / 64U), st->k);
	}
	e2ee_ss_mac_tail(&ps, mlen, mac);
	if (sodium_memcmp(mac, c + mlen, sizeof mac) != 0) {
		sodium_memzero(mac, sizeof mac);
		if (mlen > 0U) {
			sodium_memzero(m, mlen);
		}
		return -1;
	}
	e2ee_ss_advance(st, mac, t);
	sodium_memzero(mac, sizeof mac);
	*tag = t;
	return 0;
}
*/
import "C"

import "unsafe"

// c views the Go-native state as libsodium's: the same 52 bytes (k[32],
// nonce[12], _pad[8]; TestSecretstreamSizes checks sizeof).
func (st *SecretstreamState) c() *C.e2ee_ss { return (*C.e2ee_ss)(unsafe.Pointer(st)) }

func (st *SecretstreamState) init(header *[SecretstreamHeaderBytes]byte, key *[SecretstreamKeyBytes]byte) {
	if pureGo {
		st.initGo(header, key)
		return
	}
	C.e2ee_ss_init(st.c(), (*C.uchar)(&header[0]), (*C.uchar)(&key[0]))
}

// initPushLibsodium is libsodium's init_push (header from randombytes_buf),
// kept for the test that proves Init equivalent to it.
func (st *SecretstreamState) initPushLibsodium(header *[SecretstreamHeaderBytes]byte, key *[SecretstreamKeyBytes]byte) {
	C.e2ee_ss_init_push_libsodium(st.c(), (*C.uchar)(&header[0]), (*C.uchar)(&key[0]))
}

func (st *SecretstreamState) push(out, m []byte, tag byte) {
	if pureGo {
		st.pushGo(out, m, tag)
		return
	}
	st.pushC(out, m, tag)
}

func (st *SecretstreamState) pushC(out, m []byte, tag byte) {
	C.e2ee_ss_push(st.c(), ptr(out), ptr(m), C.ulonglong(len(m)), C.uchar(tag))
}

func (st *SecretstreamState) pull(out, in []byte) (byte, bool) {
	if pureGo {
		return st.pullGo(out, in)
	}
	return st.pullC(out, in)
}

func pushBufCopies() bool { return pureGo }

func (st *SecretstreamState) pushBuf(buf, m []byte, tag byte) {
	if pureGo {
		st.pushBufGo(buf, m, tag)
		return
	}
	st.pushPiecesC(buf[SecretstreamHeadroom:], m, tag)
}

// pushPiecesC and pullPiecesC are pushC and pullC one cache-sized piece at
// a time (e2ee_ss_push_pieces): the same bytes and states, faster on big
// messages. On a forgery pullPiecesC wipes out.
func (st *SecretstreamState) pushPiecesC(out, m []byte, tag byte) {
	C.e2ee_ss_push_pieces(st.c(), ptr(out), ptr(m), C.ulonglong(len(m)), C.uchar(tag))
}

func (st *SecretstreamState) pullPiecesC(out, in []byte) (byte, bool) {
	var tag C.uchar
	ok := C.e2ee_ss_pull_pieces(st.c(), ptr(out), &tag, ptr(in), C.ulonglong(len(in))) == 0
	return byte(tag), ok
}

func (st *SecretstreamState) pullBuf(buf, in []byte) (byte, bool) {
	if pureGo {
		return st.pullBufGo(buf, in)
	}
	return st.pullPiecesC(buf[SecretstreamHeadroom+1:len(buf)-16], in)
}

func (st *SecretstreamState) pullC(out, in []byte) (byte, bool) {
	var tag C.uchar
	ok := C.e2ee_ss_pull(st.c(), ptr(out), &tag, ptr(in), C.ulonglong(len(in))) == 0
	return byte(tag), ok
}

func (st *SecretstreamState) rekey() {
	if pureGo {
		st.rekeyGo()
		return
	}
	C.e2ee_ss_rekey(st.c())
}

func (st *SecretstreamState) successor(next *SecretstreamState, in []byte) byte {
	if pureGo {
		return st.successorGo(next, in)
	}
	return byte(C.e2ee_ss_successor(next.c(), st.c(), ptr(in), C.ulonglong(len(in))))
}

// secretstreamRuntimeSizes returns the run-time values of the sizes above
// that RuntimeSizes does not cover, for the tests.
func secretstreamRuntimeSizes() map[string]int {
	return map[string]int{
		"crypto_secretstream_xchacha20poly1305_statebytes":       int(C.crypto_secretstream_xchacha20poly1305_statebytes()),
		"crypto_secretstream_xchacha20poly1305_messagebytes_max": int(C.crypto_secretstream_xchacha20poly1305_messagebytes_max()),
		"sizeof_state":    int(unsafe.Sizeof(C.e2ee_ss{})),
		"sizeof_go_state": int(unsafe.Sizeof(SecretstreamState{})),
	}
}
