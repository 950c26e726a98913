package stream

import (
	"crypto/rand"
	"errors"
	"fmt"
	"slices"

	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/internal/keymat"
	"github.com/e2eekit/e2ee/internal/redaction"
	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/e2eekit/e2ee/secret"
)

// Sizes of the format, in bytes. TestConstants checks them against
// libsodium's run-time values.
const (
	KeySize            = 32                   // the stream key
	HeaderSize         = 24                   // the header, stored beside (or before) the chunks
	Overhead           = 17                   // per message: the tag byte and a 16-byte MAC
	ChunkSize          = 4 << 20              // 4 194 304 plaintext bytes per file chunk
	EncryptedChunkSize = ChunkSize + Overhead // 4 194 321
)

// Sentinel errors. Every error this package returns for bad data wraps one
// of them; check with errors.Is.
var (
	// ErrOpen: a message failed to authenticate (wrong key, wrong header,
	// modified, reordered or foreign data).
	ErrOpen = errors.New("stream: message authentication failed")
	// ErrTruncated: the data ended before a FINAL message, including exactly
	// at a chunk boundary, or a message is shorter than Overhead.
	ErrTruncated = errors.New("stream: truncated (no FINAL message)")
	// ErrTrailingData: data follows the FINAL message (including a second
	// FINAL message). Bytes after a short FINAL file chunk cannot be told
	// apart from it and make it fail with ErrOpen instead.
	ErrTrailingData = errors.New("stream: data after the FINAL message")
	// ErrUnexpectedTag: an authentic message carries a tag the context does
	// not allow: a strict blob that is not FINAL, or a tag value other than
	// the four defined ones.
	ErrUnexpectedTag = errors.New("stream: unexpected tag")
	// ErrTooLarge: a one-shot decryption exceeds the caller's size cap.
	ErrTooLarge = errors.New("stream: message exceeds the size cap")
	// ErrInvalidSize: EncryptedSize or PlaintextSize was given a size no
	// stream can have.
	ErrInvalidSize = errors.New("stream: invalid size")
	// ErrClosed: use of a writer after Close, an Encryptor after it pushed
	// FINAL, or a reader after Close; also of a nil or zero one.
	ErrClosed = errors.New("stream: use after close")
)

var (
	errNilKey  = errors.New("stream: nil key")
	errBadTag  = errors.New("stream: invalid tag for Push (want TagMessage, TagPush, TagRekey or TagFinal)")
	errOverlap = errors.New("stream: invalid buffer overlap")
)

// Header is the 24-byte stream header. It is not secret, but it must be
// stored with the ciphertext: nothing decrypts without it. It marshals as
// padded standard base64.
type Header [HeaderSize]byte

// MarshalText returns the padded standard base64 of h.
func (h Header) MarshalText() ([]byte, error) { return []byte(b64.Encode(h[:])), nil }

// UnmarshalText accepts only canonical padded standard base64 of exactly
// HeaderSize bytes.
func (h *Header) UnmarshalText(text []byte) error {
	if h == nil {
		return errors.New("stream: header: UnmarshalText on a nil *Header")
	}
	var tmp Header
	if err := b64.DecodeFixed(tmp[:], string(text)); err != nil {
		return fmt.Errorf("stream: header: %w", err)
	}
	*h = tmp
	return nil
}

// String returns the padded standard base64 of h.
func (h Header) String() string { return b64.Encode(h[:]) }

// Tag is the tag of one secretstream message.
type Tag byte

// The four tags libsodium defines. FINAL is PUSH|REKEY: it also rekeys.
const (
	TagMessage Tag = 0
	TagPush    Tag = 1
	TagRekey   Tag = 2
	TagFinal   Tag = 3
)

func (t Tag) valid() bool { return t <= TagFinal }

// String returns the tag's libsodium name.
func (t Tag) String() string {
	switch t {
	case TagMessage:
		return "MESSAGE"
	case TagPush:
		return "PUSH"
	case TagRekey:
		return "REKEY"
	case TagFinal:
		return "FINAL"
	}
	return fmt.Sprintf("Tag(%d)", byte(t))
}

func newHeader() Header {
	var h Header
	rand.Read(h[:]) // never fails since Go 1.24 (it crashes instead)
	return h
}

func keyArray(key *secret.Key) (*[KeySize]byte, error) {
	if key == nil {
		return nil, errNilKey
	}
	return keymat.Array(key), nil
}

// EncryptedSize returns the size of the file format's encryption of n
// plaintext bytes: n plus Overhead per chunk, with at least one chunk.
func EncryptedSize(n int64) (int64, error) { return encryptedSize(n, ChunkSize) }

// PlaintextSize returns the plaintext size of an encrypted file of n bytes.
// It accepts every size DecryptReader can accept, including a final empty
// chunk after full ones, and fails with ErrInvalidSize for sizes no stream
// can have (0, or a last chunk shorter than Overhead).
func PlaintextSize(n int64) (int64, error) { return plaintextSize(n, ChunkSize) }

func encryptedSize(n int64, chunkSize int) (int64, error) {
	if n < 0 {
		return 0, fmt.Errorf("%w: negative plaintext size %d", ErrInvalidSize, n)
	}
	chunks := n / int64(chunkSize)
	if n%int64(chunkSize) != 0 || n == 0 {
		chunks++
	}
	if n > (1<<63-1)-chunks*Overhead {
		return 0, fmt.Errorf("%w: plaintext size %d overflows", ErrInvalidSize, n)
	}
	return n + chunks*Overhead, nil
}

func plaintextSize(n int64, chunkSize int) (int64, error) {
	encChunkSize := int64(chunkSize) + Overhead
	full, rest := n/encChunkSize, n%encChunkSize
	if n < Overhead || (rest != 0 && rest < Overhead) {
		return 0, fmt.Errorf("%w: %d is not the size of an encrypted stream", ErrInvalidSize, n)
	}
	chunks := full
	if rest != 0 {
		chunks++
	}
	return n - chunks*Overhead, nil
}

// EncryptBlob encrypts msg as one message tagged FINAL under a fresh header,
// the format of Ente's thumbnails and metadata. The result is
// len(msg)+Overhead bytes.
func EncryptBlob(msg []byte, key *secret.Key) ([]byte, Header, error) {
	k, err := keyArray(key)
	if err != nil {
		return nil, Header{}, err
	}
	h := newHeader()
	var st sodium.SecretstreamState
	st.Init((*[HeaderSize]byte)(&h), k)
	defer st.Clear()
	out := make([]byte, len(msg)+Overhead)
	if err := st.Push(out, msg, byte(TagFinal)); err != nil {
		return nil, Header{}, fmt.Errorf("stream: message of %d bytes is too large", len(msg))
	}
	return out, h, nil
}

// BlobOption configures DecryptBlob and DecryptBlobLegacy.
type BlobOption func(blobConfig) blobConfig

type blobConfig struct{ max int }

// WithMaxSize caps the plaintext of a one-shot decryption at n bytes: larger
// ciphertexts fail with ErrTooLarge before any allocation or cryptography.
func WithMaxSize(n int) BlobOption {
	return func(c blobConfig) blobConfig { c.max = n; return c }
}

// DecryptBlob authenticates and decrypts a blob: exactly one message, tagged
// FINAL. Any other tag gives ErrUnexpectedTag and no plaintext.
func DecryptBlob(ct []byte, h Header, key *secret.Key, opts ...BlobOption) ([]byte, error) {
	if slices.ContainsFunc(opts, func(o BlobOption) bool { return o == nil }) {
		return nil, errNilOpt
	}
	return decryptBlob(ct, h, key, false, opts)
}

// DecryptBlobLegacy is DecryptBlob that also accepts a message tagged
// MESSAGE, as Ente Auth wrote before November 2025 (its FINAL was a separate
// empty message that was thrown away). Use it only for such data.
func DecryptBlobLegacy(ct []byte, h Header, key *secret.Key, opts ...BlobOption) ([]byte, error) {
	if slices.ContainsFunc(opts, func(o BlobOption) bool { return o == nil }) {
		return nil, errNilOpt
	}
	return decryptBlob(ct, h, key, true, opts)
}

func decryptBlob(ct []byte, h Header, key *secret.Key, legacy bool, opts []BlobOption) ([]byte, error) {
	cfg := blobConfig{max: -1}
	for _, o := range opts {
		cfg = o(cfg) // by value: cfg stays on the stack
	}
	k, err := keyArray(key)
	if err != nil {
		return nil, err
	}
	if len(ct) < Overhead {
		return nil, fmt.Errorf("%w: blob of %d bytes is shorter than %d", ErrTruncated, len(ct), Overhead)
	}
	if cfg.max >= 0 && len(ct)-Overhead > cfg.max {
		return nil, fmt.Errorf("%w: %d > %d bytes", ErrTooLarge, len(ct)-Overhead, cfg.max)
	}
	var st sodium.SecretstreamState
	st.Init((*[HeaderSize]byte)(&h), k)
	defer st.Clear()
	out := make([]byte, len(ct)-Overhead)
	tag, err := st.Pull(out, ct)
	if err != nil {
		return nil, ErrOpen
	}
	if Tag(tag) != TagFinal && !(legacy && Tag(tag) == TagMessage) {
		clear(out)
		return nil, fmt.Errorf("%w: blob tagged %v, want FINAL", ErrUnexpectedTag, Tag(tag))
	}
	return out, nil
}

// Encryptor pushes messages one at a time, for callers who frame messages
// themselves. It is not safe for concurrent use.
type Encryptor struct {
	redact[Encryptor]
	st   *sodium.SecretstreamState // behind a pointer: see redact
	done bool
}

// NewEncryptor starts a stream under key with a fresh header.
func NewEncryptor(key *secret.Key) (*Encryptor, Header, error) {
	k, err := keyArray(key)
	if err != nil {
		return nil, Header{}, err
	}
	e := &Encryptor{st: new(sodium.SecretstreamState)}
	h := newHeader()
	e.st.Init((*[HeaderSize]byte)(&h), k)
	return e, h, nil
}

// Push appends the encryption of msg tagged tag (len(msg)+Overhead bytes) to
// dst and returns the extended slice. To encrypt in place, put msg at
// buf[1:1+len(msg)] and pass buf[:0] as dst. After a FINAL push the
// Encryptor wipes its state and every further Push fails with ErrClosed.
func (e *Encryptor) Push(dst, msg []byte, tag Tag) ([]byte, error) {
	if e == nil || e.st == nil {
		return dst, errZero
	}
	if e.done {
		return dst, ErrClosed
	}
	if !tag.valid() {
		return dst, errBadTag
	}
	ret, out := sliceForAppend(dst, len(msg)+Overhead)
	if err := e.st.Push(out, msg, byte(tag)); err != nil {
		if errors.Is(err, sodium.ErrOverlap) {
			return dst, errOverlap
		}
		return dst, fmt.Errorf("stream: message of %d bytes is too large", len(msg))
	}
	if tag == TagFinal {
		e.done = true
		e.st.Clear()
	}
	return ret, nil
}

// Decryptor pulls messages one at a time. It is not safe for concurrent
// use. Its errors are sticky: after one failure every call fails.
type Decryptor struct {
	redact[Decryptor]
	st    *sodium.SecretstreamState
	final bool
	err   error
}

// NewDecryptor starts pulling the stream with header h under key.
func NewDecryptor(h Header, key *secret.Key) (*Decryptor, error) {
	k, err := keyArray(key)
	if err != nil {
		return nil, err
	}
	d := &Decryptor{st: new(sodium.SecretstreamState)}
	d.st.Init((*[HeaderSize]byte)(&h), k)
	return d, nil
}

// Pull authenticates one message and appends its plaintext
// (len(ct)-Overhead bytes) to dst, returning the extended slice and the
// message's tag. It fails with ErrTruncated for a message shorter than
// Overhead, ErrOpen if it does not authenticate, ErrUnexpectedTag for a tag
// other than the four defined ones, and ErrTrailingData once a FINAL message
// has been pulled. Nothing is appended on failure. To decrypt in place, pass
// ct[1:1] as dst; the plaintext then sits at ct[1:len(ct)-16].
func (d *Decryptor) Pull(dst, ct []byte) ([]byte, Tag, error) {
	if d == nil || d.st == nil {
		return dst, 0, errZero
	}
	if d.err != nil {
		return dst, 0, d.err
	}
	if d.final {
		d.fail(fmt.Errorf("%w: message pulled after FINAL", ErrTrailingData))
		return dst, 0, d.err
	}
	if len(ct) < Overhead {
		d.fail(fmt.Errorf("%w: message of %d bytes is shorter than %d", ErrTruncated, len(ct), Overhead))
		return dst, 0, d.err
	}
	ret, out := sliceForAppend(dst, len(ct)-Overhead)
	tag, err := d.st.Pull(out, ct)
	switch {
	case errors.Is(err, sodium.ErrOverlap):
		return dst, 0, errOverlap // a caller bug, not a property of the data: not sticky
	case err != nil:
		d.fail(ErrOpen)
		return dst, 0, d.err
	case !Tag(tag).valid():
		clear(out)
		d.fail(fmt.Errorf("%w: tag value %d", ErrUnexpectedTag, tag))
		return dst, 0, d.err
	}
	if Tag(tag) == TagFinal {
		d.final = true
		d.st.Clear()
	}
	return ret, Tag(tag), nil
}

// Finish reports whether the stream ended properly: nil after a FINAL
// message, ErrTruncated before one, or the sticky error. It wipes the state;
// further Pulls fail.
func (d *Decryptor) Finish() error {
	if d == nil || d.st == nil {
		return errZero
	}
	if d.err == nil && !d.final {
		d.fail(fmt.Errorf("%w: Finish before a FINAL message", ErrTruncated))
		return d.err
	}
	err := d.err
	if err == nil {
		d.err = fmt.Errorf("%w: Pull after Finish", ErrTrailingData)
	}
	d.st.Clear()
	return err
}

func (d *Decryptor) fail(err error) {
	d.err = err
	d.st.Clear()
}

// sliceForAppend extends in by n bytes, returning the whole slice and the
// new tail (as in crypto/cipher's AEAD implementations).
func sliceForAppend(in []byte, n int) (head, tail []byte) {
	if total := len(in) + n; cap(in) >= total {
		head = in[:total]
	} else {
		head = make([]byte, total)
		copy(head, in)
	}
	tail = head[len(in):]
	return
}

// redact, embedded in each type that holds a stream state, makes it print
// as "stream.T(REDACTED)" and refuse marshalling (see redaction.Of). The
// states themselves sit behind pointers, because fmt dumps the fields of a
// value held in an unexported field without calling its methods.
type redact[T any] = redaction.Of[T]
