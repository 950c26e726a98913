package stream

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/internal/vectorseed"
	"github.com/e2eekit/e2ee/secret"
)

// fuzzCS keeps fuzzed streams multi-chunk at small sizes.
const fuzzCS = 64

var fuzzKeyBytes = [32]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}

var fuzzHeader = Header{0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf, 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7}

// fuzzInputs maps fuzzer bytes to a key and header: the fixed pair (under
// which the seeds are valid) unless the fuzzer supplies its own.
func fuzzInputs(keyIn, hdrIn []byte) (*secret.Key, *[32]byte, Header) {
	kb := fuzzKeyBytes
	if len(keyIn) == 32 {
		copy(kb[:], keyIn)
	}
	h := fuzzHeader
	if len(hdrIn) == HeaderSize {
		copy(h[:], hdrIn)
	}
	key, _ := secret.NewKey(kb[:])
	return key, &kb, h
}

func documented(err error) bool {
	for _, e := range []error{ErrOpen, ErrTruncated, ErrTrailingData, ErrUnexpectedTag} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

func FuzzDecryptReader(f *testing.F) {
	for _, n := range []int{0, 1, fuzzCS - 1, fuzzCS, fuzzCS + 1, 2*fuzzCS + 5, 4 * fuzzCS} {
		ka := fuzzKeyBytes
		msg := bytes.Repeat([]byte{byte(n)}, n)
		f.Add(refEncryptFile(&ka, fuzzHeader, msg, fuzzCS, standardTags), []byte(nil), []byte(nil), uint8(2), uint16(7))
		f.Add(refEncryptFile(&ka, fuzzHeader, msg, fuzzCS, func(i int, last bool) byte {
			if last {
				return 3
			}
			return byte(i % 3)
		}), []byte(nil), []byte(nil), uint8(6), uint16(100))
	}
	// The independent vectors: every small file given inline (empty, one
	// byte, cut or padded ones) and every blob, under its own key and header.
	for _, r := range vectorseed.Rows(f, "file.json", "key", "header", "ciphertext") {
		if ct, ok := inlineCiphertext(f, r[2]); ok {
			f.Add(ct, mustB64(f, r[0]), mustB64(f, r[1]), uint8(1), uint16(3))
		}
	}
	for _, r := range vectorseed.Rows(f, "blob.json", "key", "header", "ct") {
		f.Add(mustB64(f, r[2]), mustB64(f, r[0]), mustB64(f, r[1]), uint8(5), uint16(1))
	}
	f.Fuzz(func(t *testing.T, ct, keyIn, hdrIn []byte, par uint8, step uint16) {
		key, ka, h := fuzzInputs(keyIn, hdrIn)
		want, valid := refDecryptFile(ka, h, ct, fuzzCS)
		var r *DecryptReader
		var err error
		if par&4 == 0 {
			r, err = newDecryptReader(bytes.NewReader(ct), h, key, fuzzCS, int(par%4))
		} else {
			r, err = newDecryptReaderBytes(ct, h, key, fuzzCS, int(par%4))
		}
		require.NoError(t, err)
		defer r.Close()
		buf := make([]byte, int(step%200)+1)
		var out []byte
		for {
			n, err := r.Read(buf)
			out = append(out, buf[:n]...)
			if err == io.EOF {
				require.True(t, valid, "accepted a stream the reference rejects")
				break
			}
			if err != nil {
				require.True(t, documented(err), "undocumented error %v", err)
				require.False(t, valid, "rejected a valid stream: %v", err)
				n2, err2 := r.Read(buf)
				require.Zero(t, n2, "output after an error")
				require.True(t, err2 == err, "new error after an error: %v", err2) // the same error value, not merely an equal one
				break
			}
		}
		// Exactly the chunks that authenticate before the first failure.
		require.Equal(t, want, out, "released %d bytes, reference authenticates %d", len(out), len(want))
	})
}

func FuzzDecryptBlob(f *testing.F) {
	kat, katH, katCT := enteKAT(f)
	f.Add(katCT, kat[:], katH[:], false)
	ka := fuzzKeyBytes
	for _, n := range []int{0, 1, 16, 100} {
		for _, tag := range []byte{0, 3} {
			f.Add(refInit(&ka, fuzzHeader).push(bytes.Repeat([]byte{'x'}, n), tag), []byte(nil), []byte(nil), tag == 0)
		}
	}
	for _, r := range vectorseed.Rows(f, "blob.json", "key", "header", "ct") {
		for _, legacy := range []bool{false, true} {
			f.Add(mustB64(f, r[2]), mustB64(f, r[0]), mustB64(f, r[1]), legacy)
		}
	}
	f.Fuzz(func(t *testing.T, ct, keyIn, hdrIn []byte, legacy bool) {
		key, ka, h := fuzzInputs(keyIn, hdrIn)
		dec := DecryptBlob
		if legacy {
			dec = DecryptBlobLegacy
		}
		m, err := dec(ct, h, key)
		refM, refTag, refErr := refInit(ka, h).pull(ct)
		ok := refErr == nil && (Tag(refTag) == TagFinal || (legacy && Tag(refTag) == TagMessage))
		if err != nil {
			require.True(t, documented(err), "undocumented error %v", err)
			require.Nil(t, m, "error %v with %d bytes of output", err, len(m))
			require.False(t, ok, "rejected a blob the reference accepts: %v", err)
			return
		}
		require.True(t, ok, "accepted a blob the reference rejects")
		require.Equal(t, refM, m, "decrypted a blob differently from the reference")
	})
}

// inlineCiphertext returns a file vector's ciphertext when every part of it
// is given inline and it is small enough to be a useful fuzzing seed; the
// multi-MiB vectors that reference .bin files are left to the conformance
// tests.
func inlineCiphertext(tb testing.TB, parts string) ([]byte, bool) {
	var c struct {
		Parts []struct {
			Data *string `json:"data"`
		} `json:"parts"`
	}
	require.NoError(tb, json.Unmarshal([]byte(parts), &c), "file.json ciphertext")
	var ct []byte
	for _, p := range c.Parts {
		if p.Data == nil {
			return nil, false
		}
		ct = append(ct, mustB64(tb, *p.Data)...)
	}
	return ct, len(ct) <= 4096
}

func mustB64(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	require.NoError(tb, err, "vector base64 %q", s)
	return b
}
