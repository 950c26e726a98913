package sodium

import "errors"

// Secretstream sizes and tags (crypto_secretstream_xchacha20poly1305_*).
const (
	SecretstreamKeyBytes    = 32
	SecretstreamHeaderBytes = 24
	SecretstreamABytes      = 17
	SecretstreamStateBytes  = 52
	// SecretstreamMessageBytesMax is libsodium's MESSAGEBYTES_MAX on 64-bit
	// platforms; libsodium aborts the process above it, so it is checked here.
	SecretstreamMessageBytesMax = 64 * (1<<32 - 2)

	SecretstreamTagMessage = 0
	SecretstreamTagPush    = 1
	SecretstreamTagRekey   = 2
	SecretstreamTagFinal   = 3
)

// ErrOverlap reports an output buffer that overlaps its input other than in
// the one way libsodium supports (see Push and Pull).
var ErrOverlap = errors.New("sodium: buffers overlap inexactly")

// SecretstreamState is libsodium's crypto_secretstream_xchacha20poly1305_state
// held by value in Go memory, in libsodium's layout, for both backends:
// k[32], nonce[12] (4-byte little-endian counter then the 8-byte inonce),
// _pad[8]. Copying it copies the stream position, which is what parallel
// decryption relies on, and a state may move between backends. The zero
// value is not a valid state: call Init. Clear wipes it. It never prints
// its key and refuses marshalling (redact.go).
//
//e2ee:secret
type SecretstreamState struct {
	k     [32]byte
	nonce [12]byte
	pad   [8]byte
}

// Init sets st to the state for header and key. It is init_pull, and also
// what init_push produces once it has drawn header (callers draw it).
func (st *SecretstreamState) Init(header *[SecretstreamHeaderBytes]byte, key *[SecretstreamKeyBytes]byte) {
	st.init(header, key)
}

// Push encrypts m as one message with tag into out, which must be exactly
// len(m)+SecretstreamABYTES long, and advances st. out and m may overlap
// only as out[1:] == m (encryption in place behind the tag byte).
func (st *SecretstreamState) Push(out, m []byte, tag byte) error {
	if len(m) > SecretstreamMessageBytesMax || len(out) != len(m)+SecretstreamABytes {
		return ErrSize
	}
	if inexactOverlap(out[1:1+len(m)], m) || overlaps(out[:1], m) || overlaps(out[1+len(m):], m) {
		return ErrOverlap
	}
	st.push(out, m, tag)
	return nil
}

// Pull authenticates the message in and decrypts it into out, which must be
// exactly len(in)-SecretstreamABYTES long, returning its tag and advancing
// st. On failure it returns ErrForged, leaves st and out untouched (both
// backends check the MAC before they decrypt). out and in may overlap only
// as out == in[1:len(in)-16] (decryption in place).
func (st *SecretstreamState) Pull(out, in []byte) (byte, error) {
	if len(in) < SecretstreamABytes || len(in)-SecretstreamABytes > SecretstreamMessageBytesMax ||
		len(out) != len(in)-SecretstreamABytes {
		return 0, ErrSize
	}
	if inexactOverlap(out, in[1:1+len(out)]) || overlaps(out, in[:1]) || overlaps(out, in[1+len(out):]) {
		return 0, ErrOverlap
	}
	tag, ok := st.pull(out, in)
	if !ok {
		return 0, ErrForged
	}
	return tag, nil
}

// Rekey is crypto_secretstream_xchacha20poly1305_rekey.
func (st *SecretstreamState) Rekey() { st.rekey() }

// Successor sets next to the state that a successful Pull of in with st
// would leave, and returns the tag in claims, without authenticating
// anything and without touching st. If in later authenticates under st, its
// tag is the claimed one and next is exactly the state Pull leaves; if it
// does not, the caller must discard everything derived from next. This is
// what lets message i+1 be pulled before message i: its MAC, which
// determines the next nonce, sits in the ciphertext.
func (st *SecretstreamState) Successor(next *SecretstreamState, in []byte) (byte, error) {
	if len(in) < SecretstreamABytes || len(in)-SecretstreamABytes > SecretstreamMessageBytesMax {
		return 0, ErrSize
	}
	return st.successor(next, in), nil
}

// Clear wipes st.
func (st *SecretstreamState) Clear() {
	*st = SecretstreamState{}
}

// SecretstreamHeadroom is the scratch room PushBuf and PullBuf want in
// front of a message: with it, the pure-Go backend seals and opens in place
// with x/crypto's fused AEAD, which needs the 64-byte tag block and the
// message in one buffer. The libsodium backend does not use it; it seals
// and opens these messages 64 KiB at a time, so that each piece is
// encrypted and authenticated while it is in cache (the same bytes as
// Push and Pull, which call libsodium's push and pull).
const SecretstreamHeadroom = 63

// PushBuf encrypts m as one message with tag into buf[SecretstreamHeadroom:],
// advancing st; buf must be exactly len(m)+SecretstreamHeadroom+ABytes long
// and m either exactly buf[SecretstreamHeadroom+1:len(buf)-16] (sealing in
// place) or not overlapping buf. buf[:SecretstreamHeadroom] is scratch.
func (st *SecretstreamState) PushBuf(buf, m []byte, tag byte) error {
	if len(m) > SecretstreamMessageBytesMax || len(buf) != len(m)+SecretstreamHeadroom+SecretstreamABytes {
		return ErrSize
	}
	if overlaps(buf, m) && &m[0] != &buf[SecretstreamHeadroom+1] {
		return ErrOverlap
	}
	st.pushBuf(buf, m, tag)
	return nil
}

// PushBufCopies reports whether PushBuf copies a message that is not
// already in place into buf (the pure-Go backend does; libsodium reads it
// where it is). A caller that can fill buf itself, on a goroutine other
// than the one sealing, should then do so.
func PushBufCopies() bool { return pushBufCopies() }

// PullBuf authenticates the message in and decrypts it into
// buf[SecretstreamHeadroom+1:len(buf)-16], returning its tag and advancing
// st; buf must be exactly len(in)+SecretstreamHeadroom long, and in either
// exactly buf[SecretstreamHeadroom:] (opening in place) or not overlapping
// buf. On failure it returns ErrForged and leaves st untouched; buf's
// contents are then unspecified (the ciphertext may be wiped).
func (st *SecretstreamState) PullBuf(buf, in []byte) (byte, error) {
	if len(in) < SecretstreamABytes || len(in)-SecretstreamABytes > SecretstreamMessageBytesMax ||
		len(buf) != len(in)+SecretstreamHeadroom {
		return 0, ErrSize
	}
	if overlaps(buf, in) && &in[0] != &buf[SecretstreamHeadroom] {
		return 0, ErrOverlap
	}
	tag, ok := st.pullBuf(buf, in)
	if !ok {
		return 0, ErrForged
	}
	return tag, nil
}
