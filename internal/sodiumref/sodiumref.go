// Package sodiumref holds benchmark-only C: reference programs written
// directly against libsodium, which the benchmarks run in the same process
// as the SDK to measure it against the best plain C can do (the bare
// secretbox and pwhash calls, the single-thread secretstream loops, and the
// pull on two pthreads). Nothing in the SDK imports it; only tests and
// benchmarks do (TestCgoBoundary checks), so internal/sodium holds only what
// the SDK uses. It owes nothing to the SDK's own C: every program here is
// written again from libsodium's API.
package sodiumref

/*
#cgo pkg-config: libsodium
#cgo LDFLAGS: -lpthread
#include <pthread.h>
#include <string.h>
#include <sodium.h>

#cgo noescape crypto_secretbox_easy
#cgo nocallback crypto_secretbox_easy
#cgo noescape crypto_secretbox_open_easy
#cgo nocallback crypto_secretbox_open_easy

typedef crypto_secretstream_xchacha20poly1305_state ref_ss;

// ref_push_loop is the plainest C program over libsodium: it encrypts
// in[0:inlen] as chunks of `chunk` bytes (MESSAGE, the last FINAL) into one
// reused output buffer of chunk+ABYTES bytes, with a header init_push draws.
static void ref_push_loop(unsigned char *out, const unsigned char *in, size_t inlen,
                          size_t chunk, unsigned char *header, const unsigned char *key) {
	ref_ss st;
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

// ref_pull_loop decrypts in[0:inlen], chunks of chunk+ABYTES bytes, into one
// reused output buffer of `chunk` bytes on one thread. Returns 0 if every
// chunk authenticates and the last one is FINAL.
static int ref_pull_loop(unsigned char *out, const unsigned char *in, size_t inlen,
                         size_t chunk, const unsigned char *header, const unsigned char *key) {
	ref_ss st;
	size_t off = 0U, n, cchunk = chunk + crypto_secretstream_xchacha20poly1305_ABYTES;
	unsigned char tag = 0;
	int rc = 0;

	crypto_secretstream_xchacha20poly1305_init_pull(&st, header, key);
	while (off < inlen) {
		n = inlen - off < cchunk ? inlen - off : cchunk;
		if (crypto_secretstream_xchacha20poly1305_pull(&st, out, NULL, &tag, in + off, n, NULL, 0) != 0) {
			rc = -1;
			break;
		}
		off += n;
	}
	sodium_memzero(&st, sizeof st);
	return rc == 0 && tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL ? 0 : -1;
}

// The state a successful pull of in[0:inlen] with *st leaves behind, and the
// tag the message claims, without authenticating anything: libsodium's pull
// ends with inonce ^= mac[0:8]; counter++; rekey on a REKEY tag or a
// wrapped counter, and the tag is the message's first byte XORed with the
// first byte of ChaCha20 block 1. (The SDK's SecretstreamState.Successor,
// written again here so that the reference owes nothing to the SDK.)
static unsigned char ref_successor(ref_ss *st, const unsigned char *in, size_t inlen) {
	unsigned char tag = in[0];
	const unsigned char *mac = in + inlen - crypto_onetimeauth_poly1305_BYTES;
	size_t i;

	crypto_stream_chacha20_ietf_xor_ic(&tag, &tag, 1U, st->nonce, 1U, st->k);
	for (i = 0U; i < 8U; i++) {
		st->nonce[4U + i] ^= mac[i];
	}
	sodium_increment(st->nonce, 4U);
	if ((tag & crypto_secretstream_xchacha20poly1305_TAG_REKEY) != 0 ||
	    sodium_is_zero(st->nonce, 4U)) {
		crypto_secretstream_xchacha20poly1305_rekey(st);
	}
	return tag;
}

typedef struct {
	const unsigned char *in;
	size_t inlen, cchunk;
	unsigned char *out;        // this thread's reused chunk buffer
	const unsigned char *header, *key;
	int index, nthreads;       // this thread pulls chunks i with i % nthreads == index
	int failed;
	int sawlast;               // this thread pulled the last chunk
	unsigned char lasttag;
} ref_job;

// ref_pull_some walks every chunk, building each chunk's state from the
// previous chunk's MAC, and pulls its own share of them.
static void *ref_pull_some(void *arg) {
	ref_job *j = arg;
	ref_ss st, work;
	size_t off = 0U, n, i = 0U;
	unsigned char tag;

	crypto_secretstream_xchacha20poly1305_init_pull(&st, j->header, j->key);
	while (off < j->inlen) {
		n = j->inlen - off < j->cchunk ? j->inlen - off : j->cchunk;
		if (n < crypto_secretstream_xchacha20poly1305_ABYTES) {
			j->failed = 1;
			break;
		}
		if ((int) (i % (size_t) j->nthreads) == j->index) {
			work = st;
			if (crypto_secretstream_xchacha20poly1305_pull(&work, j->out, NULL, &tag, j->in + off, n, NULL, 0) != 0) {
				j->failed = 1;
				break;
			}
			st = work;
			if (off + n == j->inlen) {
				j->sawlast = 1;
				j->lasttag = tag;
			}
		} else {
			ref_successor(&st, j->in + off, n);
		}
		off += n;
		i++;
	}
	sodium_memzero(&st, sizeof st);
	sodium_memzero(&work, sizeof work);
	return NULL;
}

// ref_pull_threads pulls in[0:inlen], chunks of chunk+ABYTES bytes, on two
// pthreads, each into its own reused buffer of chunk bytes. Returns 0 if
// every chunk authenticates and the last is FINAL.
static int ref_pull_threads(const unsigned char *in, size_t inlen, size_t chunk,
                            const unsigned char *header, const unsigned char *key,
                            unsigned char *out0, unsigned char *out1) {
	ref_job jobs[2];
	pthread_t th[2];
	int t, started[2] = {0, 0}, ok = 1, final = 0;

	for (t = 0; t < 2; t++) {
		memset(&jobs[t], 0, sizeof jobs[t]);
		jobs[t].in = in;
		jobs[t].inlen = inlen;
		jobs[t].cchunk = chunk + crypto_secretstream_xchacha20poly1305_ABYTES;
		jobs[t].out = t == 0 ? out0 : out1;
		jobs[t].header = header;
		jobs[t].key = key;
		jobs[t].index = t;
		jobs[t].nthreads = 2;
	}
	for (t = 0; t < 2; t++) {
		started[t] = pthread_create(&th[t], NULL, ref_pull_some, &jobs[t]) == 0;
		if (!started[t]) {
			ref_pull_some(&jobs[t]);
		}
	}
	for (t = 0; t < 2; t++) {
		if (started[t]) {
			pthread_join(th[t], NULL);
		}
		ok = ok && !jobs[t].failed;
		if (jobs[t].sawlast) {
			final = jobs[t].lasttag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
		}
	}
	return ok && final ? 0 : -1;
}
*/
import "C"

import (
	"errors"
	"sync"
	"unsafe"
)

// initFailed reports whether libsodium could not initialise; every call
// then fails rather than run on an uninitialised library. It runs at the
// first call, not at package init: jamesruan/sodium's init (internal/sodium)
// insists on being the first to call sodium_init.
var initFailed = sync.OnceValue(func() bool { return C.sodium_init() < 0 })

// Sizes of crypto_secretstream_xchacha20poly1305.
const (
	KeyBytes    = 32
	HeaderBytes = 24
	ABytes      = 17
)

var (
	// ErrSize reports a buffer of the wrong length.
	ErrSize = errors.New("sodiumref: wrong buffer size")
	// ErrForged reports a stream that does not authenticate, or does not
	// end with FINAL.
	ErrForged = errors.New("sodiumref: stream does not authenticate")

	// ErrPwhash reports that crypto_pwhash refused (out of memory, or
	// limits outside libsodium's range).
	ErrPwhash = errors.New("sodiumref: crypto_pwhash failed")

	errInit = errors.New("sodiumref: sodium_init failed")
)

// PullTwoThreads is the parallel decryption reference: libsodium's pull on
// two pthreads over the chunks of in (chunk+ABytes bytes each, the last
// shorter or equal), thread t pulling chunks t, t+2, t+4, … and building
// the states of the others' chunks from their MACs, as the SDK's
// DecryptReader does. Each thread decrypts into its own reused buffer,
// out0 and out1, of chunk bytes.
func PullTwoThreads(in []byte, chunk int, header *[HeaderBytes]byte, key *[KeyBytes]byte, out0, out1 []byte) error {
	if initFailed() {
		return errInit
	}
	if chunk <= 0 || len(out0) != chunk || len(out1) != chunk || len(in) < ABytes {
		return ErrSize
	}
	if C.ref_pull_threads((*C.uchar)(unsafe.Pointer(&in[0])), C.size_t(len(in)), C.size_t(chunk),
		(*C.uchar)(unsafe.Pointer(&header[0])), (*C.uchar)(unsafe.Pointer(&key[0])),
		(*C.uchar)(unsafe.Pointer(&out0[0])), (*C.uchar)(unsafe.Pointer(&out1[0]))) != 0 {
		return ErrForged
	}
	return nil
}

// PushLoop is the single-thread encryption reference: libsodium's
// init_push (which draws the header it writes into header) and one push per
// chunk of in (MESSAGE, the last FINAL), into out, one reused buffer of
// chunk+ABytes bytes that holds the last message afterwards.
func PushLoop(out, in []byte, chunk int, header *[HeaderBytes]byte, key *[KeyBytes]byte) error {
	if initFailed() {
		return errInit
	}
	if chunk <= 0 || len(out) != chunk+ABytes {
		return ErrSize
	}
	C.ref_push_loop(ptr(out), ptr(in), C.size_t(len(in)), C.size_t(chunk),
		(*C.uchar)(&header[0]), (*C.uchar)(&key[0]))
	return nil
}

// PullLoop is the single-thread decryption reference: libsodium's pull of
// every chunk+ABytes-byte message of in into out, one reused buffer of
// chunk bytes. It returns ErrForged unless every message authenticates and
// the last is FINAL.
func PullLoop(out, in []byte, chunk int, header *[HeaderBytes]byte, key *[KeyBytes]byte) error {
	if initFailed() {
		return errInit
	}
	if chunk <= 0 || len(out) != chunk {
		return ErrSize
	}
	if C.ref_pull_loop(ptr(out), ptr(in), C.size_t(len(in)), C.size_t(chunk),
		(*C.uchar)(&header[0]), (*C.uchar)(&key[0])) != 0 {
		return ErrForged
	}
	return nil
}

// Secretbox sizes.
const (
	SecretboxKeyBytes   = 32
	SecretboxNonceBytes = 24
	SecretboxMACBytes   = 16
)

// SecretboxEasy is the bare crypto_secretbox_easy call, for benchmarks that
// measure the SDK's overhead over it. It checks sizes only.
func SecretboxEasy(out, m, nonce, key []byte) error {
	if initFailed() {
		return errInit
	}
	if len(out) != len(m)+SecretboxMACBytes || len(nonce) != SecretboxNonceBytes || len(key) != SecretboxKeyBytes {
		return ErrSize
	}
	C.crypto_secretbox_easy(ptr(out), ptr(m), C.ulonglong(len(m)), ptr(nonce), ptr(key))
	return nil
}

// SecretboxOpenEasy is the bare crypto_secretbox_open_easy call. It
// returns ErrForged if the box does not verify.
func SecretboxOpenEasy(out, box, nonce, key []byte) error {
	if initFailed() {
		return errInit
	}
	if len(box) < SecretboxMACBytes || len(out) != len(box)-SecretboxMACBytes ||
		len(nonce) != SecretboxNonceBytes || len(key) != SecretboxKeyBytes {
		return ErrSize
	}
	if C.crypto_secretbox_open_easy(ptr(out), ptr(box), C.ulonglong(len(box)), ptr(nonce), ptr(key)) != 0 {
		return ErrForged
	}
	return nil
}

// Pwhash is the bare crypto_pwhash call (Argon2id v1.3), for benchmarks
// that measure the SDK's derivation against it. It returns ErrPwhash when
// libsodium refuses (out of memory, bad limits).
func Pwhash(out, password, salt []byte, opsLimit, memLimit uint64) error {
	if initFailed() {
		return errInit
	}
	if len(out) == 0 || len(salt) != C.crypto_pwhash_SALTBYTES {
		return ErrSize
	}
	if C.crypto_pwhash(ptr(out), C.ulonglong(len(out)), (*C.char)(unsafe.Pointer(ptr(password))), C.ulonglong(len(password)),
		ptr(salt), C.ulonglong(opsLimit), C.size_t(memLimit), C.crypto_pwhash_ALG_ARGON2ID13) != 0 {
		return ErrPwhash
	}
	return nil
}

// ptr is &b[0], or nil for an empty slice (libsodium accepts NULL with
// length 0).
func ptr(b []byte) *C.uchar {
	if len(b) == 0 {
		return nil
	}
	return (*C.uchar)(unsafe.Pointer(&b[0]))
}
