package stream

import (
	"bytes"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"golang.org/x/crypto/chacha20"
	//lint:ignore SA1019 secretstream is built from raw Poly1305; this test-only reference needs exactly that building block
	"golang.org/x/crypto/poly1305"

	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/secret"
)

// refState is an independent, test-only secretstream written from the
// construction with x/crypto's HChaCha20, ChaCha20 and Poly1305, to
// cross-check what libsodium and this package write and read.
type refState struct {
	k     [32]byte
	nonce [12]byte // 4-byte LE counter ‖ 8-byte inonce
}

func refInit(key *[32]byte, h Header) *refState {
	s := new(refState)
	k, err := chacha20.HChaCha20(key[:], h[:16])
	if err != nil {
		panic(err)
	}
	copy(s.k[:], k)
	binary.LittleEndian.PutUint32(s.nonce[:4], 1)
	copy(s.nonce[4:], h[16:])
	return s
}

func (s *refState) xor(dst, src []byte, counter uint32) {
	c, err := chacha20.NewUnauthenticatedCipher(s.k[:], s.nonce[:])
	if err != nil {
		panic(err)
	}
	c.SetCounter(counter)
	c.XORKeyStream(dst, src)
}

// mac computes the Poly1305 tag over the encrypted tag block and the
// ciphertext, with libsodium's padding: (0x10 - 64 + mlen) & 0xf zero
// bytes after the ciphertext (not the usual 16-alignment pad).
func (s *refState) mac(block1 *[64]byte, ct []byte) [16]byte {
	var key [32]byte
	s.xor(key[:], key[:], 0)
	m := poly1305.New(&key)
	m.Write(block1[:]) // no additional data, so no AD padding either
	m.Write(ct)
	m.Write(make([]byte, (0x10-64+len(ct))&0xf))
	var lens [16]byte
	binary.LittleEndian.PutUint64(lens[8:], uint64(64+len(ct)))
	m.Write(lens[:])
	var out [16]byte
	copy(out[:], m.Sum(nil))
	return out
}

func (s *refState) advance(mac [16]byte, tag byte) {
	for i := range 8 {
		s.nonce[4+i] ^= mac[i]
	}
	ctr := binary.LittleEndian.Uint32(s.nonce[:4]) + 1
	binary.LittleEndian.PutUint32(s.nonce[:4], ctr)
	if tag&byte(TagRekey) != 0 || ctr == 0 {
		var buf [40]byte
		copy(buf[:32], s.k[:])
		copy(buf[32:], s.nonce[4:])
		s.xor(buf[:], buf[:], 0)
		copy(s.k[:], buf[:32])
		copy(s.nonce[4:], buf[32:])
		binary.LittleEndian.PutUint32(s.nonce[:4], 1)
	}
}

func (s *refState) push(m []byte, tag byte) []byte {
	var block1 [64]byte
	block1[0] = tag
	s.xor(block1[:], block1[:], 1)
	ct := make([]byte, len(m))
	s.xor(ct, m, 2)
	mac := s.mac(&block1, ct)
	out := append([]byte{block1[0]}, ct...)
	out = append(out, mac[:]...)
	s.advance(mac, tag)
	return out
}

var errRefForged = errors.New("ref: forged")

func (s *refState) pull(in []byte) ([]byte, byte, error) {
	if len(in) < Overhead {
		return nil, 0, errRefForged
	}
	var block1 [64]byte
	s.xor(block1[:], block1[:], 1)
	tag := in[0] ^ block1[0]
	block1[0] = in[0]
	ct := in[1 : len(in)-16]
	mac := s.mac(&block1, ct)
	if subtle.ConstantTimeCompare(mac[:], in[len(in)-16:]) != 1 {
		return nil, 0, errRefForged
	}
	m := make([]byte, len(ct))
	s.xor(m, ct, 2)
	s.advance(mac, tag)
	return m, tag, nil
}

// refDecryptFile decrypts the file format with chunk size cs. It returns the
// plaintext of the chunks that authenticate before the first failure, and
// whether the whole stream is valid.
func refDecryptFile(key *[32]byte, h Header, ct []byte, cs int) ([]byte, bool) {
	s := refInit(key, h)
	var out []byte
	for len(ct) > 0 {
		n := min(len(ct), cs+Overhead)
		m, tag, err := s.pull(ct[:n])
		if err != nil || Tag(tag) > TagFinal {
			return out, false
		}
		out = append(out, m...)
		ct = ct[n:]
		if Tag(tag) == TagFinal {
			return out, len(ct) == 0
		}
		if n < cs+Overhead {
			return out, false
		}
	}
	return out, false
}

func refEncryptFile(key *[32]byte, h Header, msg []byte, cs int, tagOf func(i int, last bool) byte) []byte {
	s := refInit(key, h)
	var out []byte
	for i := 0; ; i++ {
		n := min(len(msg), cs)
		last := n == len(msg)
		out = append(out, s.push(msg[:n], tagOf(i, last))...)
		msg = msg[n:]
		if last {
			return out
		}
	}
}

func standardTags(_ int, last bool) byte {
	if last {
		return byte(TagFinal)
	}
	return byte(TagMessage)
}

// The reference must agree with the Ente known answer before it can judge.
func TestReferenceKnownAnswer(t *testing.T) {
	key, h, ct := enteKAT(t)
	m, tag, err := refInit(key, h).pull(ct)
	require.NoError(t, err, "reference")
	require.Equal(t, TagFinal, Tag(tag), "reference")
	require.Equal(t, "plain_text", string(m), "reference")
}

func TestCrossCheckReferenceDecryptsStream(t *testing.T) {
	key := secret.GenerateKey()
	ka := keyBytes(key)
	for _, cs := range []int{testCS, ChunkSize} {
		for _, n := range boundarySizes(cs) {
			if cs == ChunkSize && n > 2*cs+7 {
				continue
			}
			msg := randBytes(n)
			ct, h := encryptWith(t, msg, key, cs, 0)
			got, ok := refDecryptFile(ka, h, ct, cs)
			require.True(t, ok, "cs=%d n=%d: reference rejects stream output", cs, n)
			// bytes.Equal: the reference returns nil for an empty plaintext,
			// which assert.Equal would call different from msg.
			require.True(t, bytes.Equal(got, msg), "cs=%d n=%d: reference decrypts stream output to something else", cs, n)
			// and a blob
			blob, bh, err := EncryptBlob(msg, key)
			require.NoError(t, err)
			m, tag, err := refInit(ka, bh).pull(blob)
			require.NoError(t, err, "n=%d: reference rejects blob", n)
			require.Equal(t, TagFinal, Tag(tag), "n=%d: reference rejects blob", n)
			require.Equal(t, msg, m, "n=%d: reference rejects blob", n)
		}
	}
}

func TestCrossCheckStreamDecryptsReference(t *testing.T) {
	key := secret.GenerateKey()
	ka := keyBytes(key)
	tagsets := map[string]func(int, bool) byte{
		"standard": standardTags,
		"push": func(_ int, last bool) byte {
			if last {
				return byte(TagFinal)
			}
			return byte(TagPush)
		},
		"rekey": func(i int, last bool) byte {
			if last {
				return byte(TagFinal)
			}
			return byte(i % 3) // MESSAGE, PUSH, REKEY in turn
		},
	}
	for name, tags := range tagsets {
		for _, n := range boundarySizes(testCS) {
			msg := randBytes(n)
			h := Header(randBytes(HeaderSize))
			ct := refEncryptFile(ka, h, msg, testCS, tags)
			for _, par := range []int{1, 2, 3} {
				got, err := decryptWith(ct, h, key, testCS, par)
				require.NoError(t, err, "%s n=%d par=%d", name, n, par)
				require.Equal(t, msg, got, "%s n=%d par=%d", name, n, par)
			}
		}
	}
	// Real chunk size, with a REKEY in the middle.
	msg := randBytes(3*ChunkSize + 5)
	h := Header(randBytes(HeaderSize))
	ct := refEncryptFile(ka, h, msg, ChunkSize, tagsets["rekey"])
	r, _ := NewDecryptReader(bytes.NewReader(ct), h, key)
	got, err := io.ReadAll(r)
	require.NoError(t, err, "real chunks with REKEY")
	require.Equal(t, msg, got, "real chunks with REKEY")
	// Blobs.
	for _, n := range []int{0, 1, 15, 16, 17, 1000} {
		msg := randBytes(n)
		ct := refInit(ka, h).push(msg, byte(TagFinal))
		got, err := DecryptBlob(ct, h, key)
		require.NoError(t, err, "blob n=%d", n)
		require.Equal(t, msg, got, "blob n=%d", n)
	}
}
