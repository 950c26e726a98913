package keys

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/stream"
)

// ExportVersion is the only Ente Auth export version there is.
const ExportVersion = 1

// Export is Ente Auth's encrypted export file:
//
//	{"version": 1,
//	 "kdfParams": {"memLimit": <bytes>, "opsLimit": <passes>, "salt": "<16 bytes>"},
//	 "encryptedData": "<secretstream message>",
//	 "encryptionNonce": "<secretstream header>"}
//
// The key is Argon2id(password, salt, opsLimit, memLimit); encryptionNonce
// is really the secretstream header; the data is one message (tag FINAL,
// or MESSAGE before November 2025) of UTF-8 text, one otpauth URI per
// line, each line ending in "\n".
type Export struct {
	Version         int             `json:"version"`
	KDFParams       ExportKDFParams `json:"kdfParams"`
	EncryptedData   Ciphertext      `json:"encryptedData"`
	EncryptionNonce stream.Header   `json:"encryptionNonce"`
}

// ExportKDFParams are an export's Argon2id parameters. They come with the
// file and are untrusted: DecryptExport checks them against its limits.
type ExportKDFParams struct {
	MemLimit uint64      `json:"memLimit"`
	OpsLimit uint64      `json:"opsLimit"`
	Salt     pwhash.Salt `json:"salt"`
}

// UnmarshalJSON checks the version first (anything but 1 wraps
// ErrUnsupportedVersion, a missing version counting as 0: a later version
// may have other fields), then decodes every field strictly; errors wrap
// ErrInvalidExport and name the field. A member name given twice at any
// depth ({"version":2,"version":1,…}) is refused, not read
// last-name-wins. ParseExport also wraps invalid JSON, which json.Unmarshal
// refuses before UnmarshalJSON runs.
func (x *Export) UnmarshalJSON(data []byte) error {
	if x == nil {
		return fmt.Errorf("%w: UnmarshalJSON on a nil *Export", ErrInvalidExport)
	}
	var v Export
	var kdf json.RawMessage
	if err := decodeObject(data, ErrInvalidExport, field{name: "version", dst: &v.Version, optional: true}); err != nil {
		return err
	}
	if v.Version != ExportVersion {
		return fmt.Errorf("%w: version %d, want %d", ErrUnsupportedVersion, v.Version, ExportVersion)
	}
	if err := decodeObject(data, ErrInvalidExport,
		field{name: "kdfParams", dst: &kdf},
		field{name: "encryptedData", dst: &v.EncryptedData},
		field{name: "encryptionNonce", dst: &v.EncryptionNonce},
	); err != nil {
		return err
	}
	if err := decodeIn(kdf, ErrInvalidExport, "kdfParams", []field{
		{name: "memLimit", dst: &v.KDFParams.MemLimit},
		{name: "opsLimit", dst: &v.KDFParams.OpsLimit},
		{name: "salt", dst: &v.KDFParams.Salt},
	}); err != nil {
		return err
	}
	*x = v
	return nil
}

// ParseExport decodes an Ente Auth export file as UnmarshalJSON does,
// without deriving or decrypting anything. Every error wraps
// ErrInvalidExport or ErrUnsupportedVersion, invalid JSON (such as a
// leading byte-order mark) included.
func ParseExport(file []byte) (*Export, error) {
	x := new(Export)
	if err := x.UnmarshalJSON(file); err != nil {
		return nil, err
	}
	return x, nil
}

// EncryptExport writes an Ente Auth export of uris under password, deriving
// the key with pwhash.DeriveSensitiveKey under policy (Ente Auth uses its
// sensitive derivation; pwhash.EntePolicy matches today's app). The data is
// tagged FINAL. A URI that is empty or holds a line break wraps
// ErrInvalidURI.
func EncryptExport(uris []string, password []byte, policy pwhash.Policy) ([]byte, error) {
	return encryptExport(uris, func(salt *pwhash.Salt) (*secret.Key, pwhash.Params, error) {
		return pwhash.DeriveSensitiveKey(password, salt, policy)
	})
}

// EncryptExportParams is EncryptExport at exactly params, with no back-off:
// for an export that must carry given {memLimit, opsLimit}, such as
// another client's or a test's. The params are the caller's, so they are
// not capped, only checked against Argon2id's minimums
// (pwhash.ErrInvalidParams); a device that cannot allocate MemLimit gets
// an error rather than a cheaper export.
func EncryptExportParams(uris []string, password []byte, params pwhash.Params) ([]byte, error) {
	return encryptExport(uris, func(salt *pwhash.Salt) (*secret.Key, pwhash.Params, error) {
		// No cap beyond what Argon2id itself can do: DeriveKey still
		// refuses params below its minimums or beyond 32-bit passes.
		uncapped := pwhash.Limits{MaxMemLimit: params.MemLimit, MaxWork: ^uint64(0)}
		k, err := pwhash.DeriveKey(password, salt, params, uncapped)
		return k, params, err
	})
}

// encryptExport writes the export of uris under the key derive gives for
// a fresh salt, with the params it reports.
func encryptExport(uris []string, derive func(*pwhash.Salt) (*secret.Key, pwhash.Params, error)) ([]byte, error) {
	n := 0
	for i, u := range uris {
		if err := checkURI(u); err != nil {
			return nil, fmt.Errorf("keys: export: URI %d: %w", i+1, err)
		}
		n += len(u) + 1
	}
	// One allocation, cleared when done (a strings.Builder could not be).
	msg := make([]byte, 0, n)
	defer clear(msg[:cap(msg)])
	for _, u := range uris {
		msg = append(append(msg, u...), '\n')
	}
	salt := pwhash.RandomSalt()
	k, used, err := derive(salt)
	if err != nil {
		return nil, fmt.Errorf("keys: export: %w", err)
	}
	defer k.Destroy()
	ct, h, err := stream.EncryptBlob(msg, k)
	if err != nil {
		return nil, fmt.Errorf("keys: export: %w", err)
	}
	return json.Marshal(Export{
		Version:         ExportVersion,
		KDFParams:       ExportKDFParams{MemLimit: used.MemLimit, OpsLimit: used.OpsLimit, Salt: *salt},
		EncryptedData:   ct,
		EncryptionNonce: h,
	})
}

// DecryptExport reads an Ente Auth export and returns its otpauth URIs in
// order, each trimmed of surrounding space, blank lines dropped (as Ente
// Auth reads them; DecryptExportPlaintext gives the exact text). The
// file's Argon2id parameters are checked against limits before any
// derivation (too costly wraps pwhash.ErrTooExpensive);
// pwhash.DefaultLimits admits every file Ente Auth writes. A password that
// does not decrypt the data wraps ErrIncorrectPassword (and stream.ErrOpen:
// a wrong password and a modified file look the same).
func DecryptExport(file, password []byte, limits pwhash.Limits) ([]string, error) {
	msg, err := DecryptExportPlaintext(file, password, limits)
	if err != nil {
		return nil, err
	}
	defer clear(msg)
	if !utf8.Valid(msg) {
		return nil, fmt.Errorf("%w: data is not UTF-8 text", ErrInvalidExport)
	}
	// Ente Auth ends every line with "\n" and skips lines it cannot parse;
	// blank lines (and "\r" from an edited file) are dropped here.
	var uris []string
	for line := range strings.SplitSeq(string(msg), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			uris = append(uris, line)
		}
	}
	return uris, nil
}

// DecryptExportPlaintext is DecryptExport returning the decrypted text
// exactly as it was encrypted: every byte, line breaks and blank lines
// included, not checked to be UTF-8 (for a client that keeps other lines,
// or a byte-for-byte comparison). It holds every token's secret: the
// caller should clear it when done.
func DecryptExportPlaintext(file, password []byte, limits pwhash.Limits) ([]byte, error) {
	x, err := ParseExport(file)
	if err != nil {
		return nil, err
	}
	p := pwhash.Params{OpsLimit: x.KDFParams.OpsLimit, MemLimit: x.KDFParams.MemLimit}
	k, err := pwhash.DeriveKey(password, &x.KDFParams.Salt, p, limits)
	if err != nil {
		return nil, fmt.Errorf("keys: export: %w", err)
	}
	defer k.Destroy()
	return x.open(k)
}

// open decrypts the data with the derived key.
func (x *Export) open(k *secret.Key) ([]byte, error) {
	msg, err := stream.DecryptBlobLegacy(x.EncryptedData, x.EncryptionNonce, k)
	if errors.Is(err, stream.ErrOpen) {
		return nil, fmt.Errorf("%w: %w", ErrIncorrectPassword, err)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidExport, err)
	}
	return msg, nil
}
