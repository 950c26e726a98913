// Package sodiumref holds benchmark-only C: reference programs written
// directly against libsodium, which the benchmarks run in the same process
// as the SDK to measure it against the best plain C can do. Nothing in the
// SDK imports it; only tests and benchmarks do (TestCgoBoundary checks), so
// internal/sodium holds only what the SDK uses.
package sodiumref

/*
#cgo pkg-config: libsodium
#cgo LDFLAGS: -lpthread
#include <pthread.h>
#include <string.h>
#include <sodium.h>

typedef crypto_secretstream_xchacha20poly1305_state ref_ss;

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
