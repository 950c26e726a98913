//go:build cgo && !purego

package sodium

/*
#cgo LDFLAGS: -lpthread
#include <pthread.h>
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
#cgo noescape e2ee_ref_encrypt
#cgo nocallback e2ee_ref_encrypt
#cgo noescape e2ee_ref_decrypt
#cgo nocallback e2ee_ref_decrypt

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

// The benchmark reference: the plainest C program over libsodium. It
// encrypts in[0:inlen] as chunks of `chunk` bytes (MESSAGE, the last FINAL)
// into one reused output buffer of chunk+ABYTES bytes.
static void e2ee_ref_encrypt(unsigned char *out, const unsigned char *in, size_t inlen,
                             size_t chunk, unsigned char *header, const unsigned char *key) {
	e2ee_ss st;
	size_t off = 0U, n;
	unsigned char tag;

	crypto_secretstream_xchacha20poly1305_init_push(&st, header, key);
	do {
		n = inlen - off < chunk ? inlen - off : chunk;
		tag = off + n == inlen ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
		                       : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
		crypto_secretstream_xchacha20poly1305_push(&st, out, NULL, in + off, n, NULL, 0, tag);
		off += n;
	} while (off < inlen);
	sodium_memzero(&st, sizeof st);
}

// ...and decrypts in[0:inlen], chunks of chunk+ABYTES bytes, into one reused
// output buffer of `chunk` bytes. Returns 0 if every chunk authenticates and
// the last one is FINAL.
static int e2ee_ref_decrypt(unsigned char *out, const unsigned char *in, size_t inlen,
                            size_t chunk, const unsigned char *header, const unsigned char *key) {
	e2ee_ss st;
	size_t off = 0U, n, cchunk = chunk + crypto_secretstream_xchacha20poly1305_ABYTES;
	unsigned char tag = 0;

	crypto_secretstream_xchacha20poly1305_init_pull(&st, header, key);
	while (off < inlen) {
		n = inlen - off < cchunk ? inlen - off : cchunk;
		if (crypto_secretstream_xchacha20poly1305_pull(&st, out, NULL, &tag, in + off, n, NULL, 0) != 0) {
			sodium_memzero(&st, sizeof st);
			return -1;
		}
		off += n;
	}
	sodium_memzero(&st, sizeof st);
	return tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL ? 0 : -1;
}

// The machine's reference for two cores: the same C loop on two pthreads
// at once, each decrypting the whole stream into its own buffer.
struct e2ee_ref_job {
	unsigned char *out; const unsigned char *in; size_t inlen, chunk;
	const unsigned char *header, *key; int rc;
};

static void *e2ee_ref_thread(void *p) {
	struct e2ee_ref_job *j = p;
	j->rc = e2ee_ref_decrypt(j->out, j->in, j->inlen, j->chunk, j->header, j->key);
	return NULL;
}

static int e2ee_ref_decrypt2(unsigned char *out1, unsigned char *out2, const unsigned char *in, size_t inlen,
                             size_t chunk, const unsigned char *header, const unsigned char *key) {
	struct e2ee_ref_job a = {out1, in, inlen, chunk, header, key, -1}, b = {out2, in, inlen, chunk, header, key, -1};
	pthread_t t;
	if (pthread_create(&t, NULL, e2ee_ref_thread, &b) != 0) {
		return -1;
	}
	e2ee_ref_thread(&a);
	pthread_join(t, NULL);
	return a.rc == 0 && b.rc == 0 ? 0 : -1;
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

// ReferenceStreamEncrypt is the benchmark baseline: one C call that runs
// libsodium's init_push and pushes in as chunk-byte messages (MESSAGE, the
// last FINAL) into out, a reused buffer of chunk+ABYTES bytes. It writes the
// header it drew into header.
func ReferenceStreamEncrypt(out, in []byte, chunk int, header *[SecretstreamHeaderBytes]byte, key *[SecretstreamKeyBytes]byte) error {
	if chunk <= 0 || len(out) != chunk+SecretstreamABytes {
		return ErrSize
	}
	C.e2ee_ref_encrypt(ptr(out), ptr(in), C.size_t(len(in)), C.size_t(chunk),
		(*C.uchar)(&header[0]), (*C.uchar)(&key[0]))
	return nil
}

// ReferenceStreamDecrypt is the matching baseline: one C call that pulls
// every chunk+ABYTES-byte message of in into out, a reused buffer of chunk
// bytes. It returns ErrForged unless every message authenticates and the
// last is FINAL.
func ReferenceStreamDecrypt(out, in []byte, chunk int, header *[SecretstreamHeaderBytes]byte, key *[SecretstreamKeyBytes]byte) error {
	if chunk <= 0 || len(out) != chunk {
		return ErrSize
	}
	if C.e2ee_ref_decrypt(ptr(out), ptr(in), C.size_t(len(in)), C.size_t(chunk),
		(*C.uchar)(&header[0]), (*C.uchar)(&key[0])) != 0 {
		return ErrForged
	}
	return nil
}

// ReferenceStreamDecrypt2 runs ReferenceStreamDecrypt's loop on two
// pthreads at once (into out1 and out2): libsodium's throughput on two
// cores, the machine's reference for parallel decryption.
func ReferenceStreamDecrypt2(out1, out2, in []byte, chunk int, header *[SecretstreamHeaderBytes]byte, key *[SecretstreamKeyBytes]byte) error {
	if chunk <= 0 || len(out1) != chunk || len(out2) != chunk {
		return ErrSize
	}
	if C.e2ee_ref_decrypt2(ptr(out1), ptr(out2), ptr(in), C.size_t(len(in)), C.size_t(chunk),
		(*C.uchar)(&header[0]), (*C.uchar)(&key[0])) != 0 {
		return ErrForged
	}
	return nil
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
