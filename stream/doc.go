// Package stream implements libsodium's crypto_secretstream_xchacha20poly1305
// as Ente uses it: files cut into 4 MiB chunks, one-message blobs for
// thumbnails and metadata, and message-level push/pull for callers who frame
// messages themselves. libsodium (through internal/sodium) encrypts and
// authenticates every message; this package adds framing, strict rules for
// the end of a stream, and parallel decryption.
//
// # Byte layout
//
// A stream is a 24-byte Header, stored apart from the ciphertext (Ente's
// "decryptionHeader"), and a sequence of messages:
//
//	header  = 16-byte HChaCha20 nonce ‖ 8-byte initial inonce     (24 bytes)
//	message = encrypted tag (1) ‖ ciphertext (len(m)) ‖ Poly1305 MAC (16)
//	                                                    = len(m) + Overhead
//	file    = chunk_0 ‖ chunk_1 ‖ … ‖ chunk_n      (no length fields, no padding)
//	chunk_i = message of ChunkSize (4 194 304) plaintext bytes, i < n,
//	          tagged MESSAGE            → EncryptedChunkSize (4 194 321) bytes
//	chunk_n = message of 0…ChunkSize plaintext bytes, tagged FINAL
//
// A file whose size is an exact multiple of ChunkSize ends with a full FINAL
// chunk; an empty file is one empty FINAL message (17 bytes). A blob is one
// message tagged FINAL: len(msg)+17 bytes.
//
// # Security
//
// Every message is authenticated before any of its bytes are released, and
// each message's nonce is chained to the previous message's MAC, so chunks
// cannot be reordered, dropped, duplicated or moved between files. The end of
// a stream is authenticated by the FINAL tag: DecryptReader returns io.EOF
// only after a FINAL chunk followed by the clean end of its source; a source
// that ends earlier (even exactly at a chunk boundary) gives ErrTruncated,
// and any byte after FINAL gives ErrTrailingData. (The format has no length
// fields, so bytes after a FINAL chunk shorter than EncryptedChunkSize read
// as part of that chunk, which then fails with ErrOpen: either way nothing
// from it is released and the stream is rejected.) Readers never release
// anything from a chunk that fails, nor from any chunk after it, and their
// errors are sticky; chunks that authenticate are released as they come, so a
// consumer that needs all or nothing writes to a temporary file and keeps it
// only after io.EOF (see Example_files). Shipped Ente web and CLI readers do not check either end
// condition; this package does.
//
// Headers are drawn from crypto/rand in Go (libsodium's init_push draws them
// with randombytes_buf; init_pull on the same header yields the same state,
// which internal/sodium's tests prove), so testing/cryptotest.SetGlobalRandom
// makes encryption deterministic in tests. Per-stream keys are the caller's:
// never encrypt two streams under one key and header.
//
// # Parallel decryption
//
// Encryption is sequential, but the libsodium state for chunk i+1 is the
// state for chunk i advanced by chunk i's MAC and tag: the MAC sits in the
// ciphertext and the tag is one ChaCha20 byte away. DecryptReader therefore
// predicts each chunk's state as soon as it has read the previous chunk and
// lets libsodium pull up to GOMAXPROCS chunks at once, on the package's
// shared workers, on buffers it reuses. A prediction made from a forged
// chunk is harmless: the forged chunk fails first and nothing after it is
// released. REKEY (and FINAL) tags stay parallel too, since the prediction
// applies the rekey libsodium would. Chunks are released strictly in order.
// With more than one core, the reader copies each chunk of ciphertext into
// one of its buffers (from an io.Reader, or from memory for
// NewDecryptReaderBytes) while the workers open earlier chunks in place: on
// two cores this measured faster than opening a chunk straight out of the
// caller's memory, where a worker reads one cold region and writes another
// (1.00–1.04× libsodium on two pthreads against 0.84–0.93×). With other
// streams in progress, a reader from memory skips that copy: its chunk
// would leave the cache before a worker got to it. Encryption is sequential
// by nature: both encrypters fill the next chunk (copying a Write, or
// reading a source) while a worker seals the current one in place; on one
// core EncryptWriter seals whole chunks of a large Write straight from the
// caller's buffer, as there is nothing to overlap a copy with.
//
// # Many streams at once
//
// All readers and writers share one pool of GOMAXPROCS worker goroutines
// (started on demand, gone when idle) and one memory budget of chunk
// buffers, by default four per GOMAXPROCS and at least 16 (64 MiB), set
// with SetMemoryBudget. Each stream in progress holds at least one buffer
// from its first Read or Write to its end, its first error or Close, and
// takes more (up to GOMAXPROCS+1 for a reader, three for an encrypter)
// only while no other stream waits for its first and less than half the
// budget is in use. At most GOMAXPROCS goroutines run cryptography at once,
// the workers and any reader opening the chunk it needs next itself, so
// that many streams take turns on the cores rather than crowd their
// caches. The guarantee:
//
//   - a stream that needs its first buffer while the budget is spent waits
//     in its Read, Write, ReadFrom or Close until another stream returns one;
//   - a stream that holds a buffer always goes on with it: it never waits
//     on the budget again, and the workers never wait on anything;
//   - a stream dropped without Close returns its buffers when the garbage
//     collector finds it (runtime.AddCleanup); a stream that waits long
//     while no buffer comes back forces a collection, so that abandoned
//     streams cannot starve the others.
//
// What can still wait forever is a cycle through the caller: a goroutine
// that consumes stream A is blocked on stream B, while B waits for its first
// buffer and every buffer is held by A and streams like A that cannot go on
// until B does. A merge that opens more files than the budget allows and
// reads them in lockstep does this, as does an EncryptWriter writing into an
// io.Pipe that a DecryptReader reads, under a budget of one buffer. Avoid it
// by reading one stream to its end (or closing it) before the next needs a
// buffer, or by setting a budget of at least twice as many buffers as
// streams that must be in progress at once: such streams hold one buffer
// each plus extras that stay below half the budget, so the last of them
// always finds one.
//
// # Compatibility
//
// Emitted: MESSAGE on every chunk but the last, FINAL on the last; blobs
// tagged FINAL; headers of 24 random bytes. Accepted by DecryptReader:
// MESSAGE, PUSH (written by some Dart clients) or REKEY on every chunk but
// the last, FINAL on the last, which may hold 0 to ChunkSize bytes (so a file
// of full chunks followed by an empty FINAL chunk is accepted). Tag values
// other than the four defined ones are rejected with ErrUnexpectedTag even
// though they authenticate. DecryptBlob accepts only FINAL; DecryptBlobLegacy
// also accepts MESSAGE, which Ente Auth wrote before November 2025.
// Header.MarshalText emits and accepts only padded standard base64.
//
// # Units
//
// All sizes are in bytes. ChunkSize counts plaintext per chunk,
// EncryptedChunkSize ciphertext per chunk; EncryptedSize and PlaintextSize
// convert whole-file sizes. Memory for a file is a few chunk buffers whatever
// its size: up to three for encryption, up to GOMAXPROCS+1 (at most 17) for
// decryption, allocated only as far as the data needs them, and never more
// in all streams together than the memory budget (SetMemoryBudget).
package stream
