package conformance

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/e2eekit/e2ee/conformance/internal/chunks"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/stream"
)

const noGivenHeader = "stream draws every header from crypto/rand: no API encrypts under a given header (Go-written streams are checked by the live cross-check)"

// maxCiphertext bounds a file vector's assembled ciphertext (the largest
// shipped is 8 MiB + 2 chunks' overhead + a few bytes) and a .bin file.
const maxCiphertext = 64 << 20

// streamInputs are the key and header every stream test has.
type streamInputs struct {
	Key    bin `json:"key"`
	Header bin `json:"header"`
}

func (s *streamInputs) decode() (*secret.Key, stream.Header, error) {
	var h stream.Header
	if err := need(req{"key", s.Key != nil}, req{"header", s.Header != nil}); err != nil {
		return nil, h, err
	}
	if len(s.Header) != len(h) {
		return nil, h, fmt.Errorf("header is %d bytes, want %d", len(s.Header), len(h))
	}
	copy(h[:], s.Header)
	k, err := secret.NewKey(s.Key)
	return k, h, err
}

// blob.json: BlobTest.

type blobTest struct {
	testCase
	streamInputs
	Msg          bin    `json:"msg"`
	CT           bin    `json:"ct"`
	LegacyResult string `json:"legacyResult"`
	LegacyError  string `json:"legacyError"`
}

func runBlob(g *group, tests []json.RawMessage) {
	each(g, tests, func(t *blobTest) {
		key, h, err := t.decode()
		if err == nil {
			err = need(req{"msg", t.Msg != nil}, req{"ct", t.CT != nil}, req{"legacyResult", t.LegacyResult != ""})
		}
		if err != nil {
			g.malformed(t.testCase, err)
			return
		}
		defer key.Destroy()
		msg, err := stream.DecryptBlob(t.CT, h, key)
		g.verdict(&t.testCase, "stream.DecryptBlob", err, diff("msg", msg, t.Msg))
		msg, err = stream.DecryptBlobLegacy(t.CT, h, key)
		g.verdictFor(&t.testCase, "stream.DecryptBlobLegacy", t.LegacyResult, t.LegacyError, err, diff("msg", msg, t.Msg))
		if t.has("CanonicalBlob") {
			g.skip(&t.testCase, "stream.EncryptBlob", noGivenHeader)
		}
	})
}

// file.json: FileTest.

type digest struct {
	Size   *int64 `json:"size"`
	SHA256 string `json:"sha256"`
}

type part struct {
	Data   bin    `json:"data"`
	File   string `json:"file"`
	Offset *int64 `json:"offset"`
	Length *int64 `json:"length"`
}

type fileTest struct {
	testCase
	streamInputs
	Ciphertext *struct {
		digest
		Parts []part `json:"parts"`
	} `json:"ciphertext"`
	Plaintext *digest      `json:"plaintext"`
	ChunkTags []stream.Tag `json:"chunkTags"`
}

func runFile(g *group, tests []json.RawMessage) {
	each(g, tests, func(t *fileTest) {
		key, h, err := t.decode()
		var ct []byte
		if err == nil {
			valid := t.Result == "valid"
			err = need(req{"ciphertext", t.Ciphertext != nil}, req{"plaintext", !valid || t.Plaintext != nil && t.Plaintext.Size != nil},
				req{"chunkTags", !valid || t.ChunkTags != nil})
		}
		if err == nil {
			ct, err = g.r.assemble(t.Ciphertext.digest, t.Ciphertext.Parts)
		}
		if err != nil {
			g.malformed(t.testCase, err)
			return
		}
		defer key.Destroy()

		var m []string
		r, err := stream.NewDecryptReader(bytes.NewReader(ct), h, key)
		if err == nil {
			sum := sha256.New()
			var n int64
			n, err = io.Copy(sum, r)
			if t.Plaintext != nil && t.Plaintext.Size != nil {
				if n != *t.Plaintext.Size {
					m = append(m, fmt.Sprintf("plaintext: got %d bytes, want %d", n, *t.Plaintext.Size))
				} else if hex.EncodeToString(sum.Sum(nil)) != t.Plaintext.SHA256 {
					m = append(m, "plaintext: SHA-256 differs from the expected value")
				}
			}
		}
		g.verdict(&t.testCase, "stream.NewDecryptReader", err, m...)
		if t.Result != "valid" {
			return
		}

		tags, err := chunks.Tags(ct, h, key)
		var tm string
		if err == nil && !slices.Equal(tags, t.ChunkTags) {
			tm = fmt.Sprintf("chunk tags: got %v, want %v", tags, t.ChunkTags)
		}
		g.verdict(&t.testCase, "stream.Decryptor.Pull", err, tm)

		size, err := stream.PlaintextSize(int64(len(ct)))
		var sm string
		if err == nil && size != *t.Plaintext.Size {
			sm = fmt.Sprintf("plaintext size: got %d, want %d", size, *t.Plaintext.Size)
		}
		g.verdict(&t.testCase, "stream.PlaintextSize", err, sm)

		if t.has("CanonicalWriterOutput") {
			// The writer's layout is checkable without a given header: its
			// output size for this plaintext.
			esize, err := stream.EncryptedSize(*t.Plaintext.Size)
			var em string
			if err == nil && esize != int64(len(ct)) {
				em = fmt.Sprintf("writer output: %d bytes for this plaintext, the vector has %d", esize, len(ct))
			}
			g.verdict(&t.testCase, "stream.EncryptedSize", err, em)
			g.skip(&t.testCase, "stream.NewEncryptWriter", noGivenHeader)
		}
	})
}

// assemble concatenates a file vector's parts and checks the result
// against the vector's size and SHA-256.
func (r *runner) assemble(want digest, parts []part) ([]byte, error) {
	if want.Size == nil || *want.Size < 0 || *want.Size > maxCiphertext {
		return nil, fmt.Errorf("ciphertext size missing or above %d bytes", maxCiphertext)
	}
	ct := make([]byte, 0, *want.Size)
	for i, p := range parts {
		var b []byte
		switch {
		case p.Data != nil && p.File == "":
			b = p.Data
		case p.Data == nil && p.File != "" && p.Offset != nil && p.Length != nil:
			f, err := r.bin(p.File)
			if err != nil {
				return nil, err
			}
			off, n := *p.Offset, *p.Length
			if off < 0 || n < 0 || off > int64(len(f)) || n > int64(len(f))-off {
				return nil, fmt.Errorf("ciphertext part %d: range %d+%d outside %s (%d bytes)", i, off, n, p.File, len(f))
			}
			b = f[off : off+n]
		default:
			return nil, fmt.Errorf("ciphertext part %d: want data, or file, offset and length", i)
		}
		if int64(len(ct)+len(b)) > *want.Size {
			return nil, fmt.Errorf("ciphertext parts exceed the stated size %d", *want.Size)
		}
		ct = append(ct, b...)
	}
	if int64(len(ct)) != *want.Size {
		return nil, fmt.Errorf("ciphertext parts make %d bytes, want %d", len(ct), *want.Size)
	}
	if sum := sha256.Sum256(ct); hex.EncodeToString(sum[:]) != want.SHA256 {
		return nil, fmt.Errorf("assembled ciphertext does not match its sha256")
	}
	return ct, nil
}

// bin returns a .bin file of the vector directory, read once per run.
func (r *runner) bin(name string) ([]byte, error) {
	if b, ok := r.bins[name]; ok {
		return b, nil
	}
	b, err := r.readFile(name, maxCiphertext)
	if err != nil {
		return nil, err
	}
	r.bins[name] = b
	return b, nil
}
