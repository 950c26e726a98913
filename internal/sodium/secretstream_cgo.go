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

// e2ee_ss_successor computes, without authenticating anything, the state
// that a successful pull of the message in[0:inlen] with *st leaves behind,
// and returns the tag the message claims. It mirrors the tail of libsodium's
// pull: inonce ^= mac[0:8]; counter++; rekey if the tag has the REKEY bit or
// the counter wrapped. The tag is the first byte of the message XORed with
// the first byte of ChaCha20 block 1, as pull computes it.
static unsigned char e2ee_ss_successor(e2ee_ss *next, const e2ee_ss *st,
                                       const unsigned char *in, unsigned long long inlen) {
	unsigned char tag = in[0];
	const unsigned char *mac = in + inlen - crypto_onetimeauth_poly1305_BYTES;
	size_t i;

	crypto_stream_chacha20_ietf_xor_ic(&tag, &tag, 1U, st->nonce, 1U, st->k);
	memcpy(next, st, sizeof *next);
	for (i = 0U; i < 8U; i++) {
		next->nonce[4U + i] ^= mac[i];
	}
	sodium_increment(next->nonce, 4U);
	if ((tag & crypto_secretstream_xchacha20poly1305_TAG_REKEY) != 0 ||
	    sodium_is_zero(next->nonce, 4U)) {
		crypto_secretstream_xchacha20poly1305_rekey(next);
	}
	return tag;
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
	st.pushC(buf[SecretstreamHeadroom:], m, tag)
}

func (st *SecretstreamState) pullBuf(buf, in []byte) (byte, bool) {
	if pureGo {
		return st.pullBufGo(buf, in)
	}
	return st.pullC(buf[SecretstreamHeadroom+1:len(buf)-16], in)
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
