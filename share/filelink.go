package share

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
	"github.com/e2eekit/e2ee/share/internal/wire"
)

// FileSecretLen is the length of a file link's secret fragment: 12
// characters of [0-9A-Za-z], about 71 bits.
const FileSecretLen = 12

// FileSecretLimits caps the Argon2id cost a file link's secret may demand
// (the server supplies it): as PasswordLimits, eight times what Ente's
// clients use (INTERACTIVE, 64 MiB × 2).
var FileSecretLimits = PasswordLimits

// FileLink is a parsed link to one file. Ente Photos writes
// {host}/file/?t={token}#{fragment}, Ente Locker {host}/{token}#{fragment}.
// The fragment (anything after a '-' in it is not key material) is one of:
//
//   - key bytes, base58 or legacy hex (50 characters or more), which either
//     open the file's encryptedKey (secretbox, keyDecryptionNonce) or are
//     the file key itself;
//   - a 12-character base62 secret: Argon2id of the secret with the link's
//     kdfNonce as salt and its kdfOpsLimit and kdfMemLimit gives a key that
//     opens the link's encryptedFileKey (secretbox, encryptedFileKeyNonce).
//
// A FileLink prints with the fragment redacted, like Link, and refuses
// marshalling.
type FileLink struct {
	redact[FileLink]
	// AccessToken identifies the link to the server. It is not a key.
	AccessToken string
	// Base is what comes before the token: "https://albums.ente.com/file"
	// when the token is in ?t=, "https://share.ente.io" when TokenInPath.
	Base        string
	TokenInPath bool
	// Key is the fragment's key, or nil when the fragment is a secret.
	Key    *secret.Key
	secret *fileSecret
}

// fileSecret holds a file link's 12-character secret, which stands for
// the file key.
//
//e2ee:secret
type fileSecret struct {
	redact[fileSecret]
	b *[FileSecretLen]byte
}

func newFileSecret(s string) *fileSecret {
	f := &fileSecret{b: new([FileSecretLen]byte)}
	copy(f.b[:], s)
	return f
}

func (f *fileSecret) destroy() {
	if f != nil {
		clear(f.b[:])
	}
}

// HasSecret reports whether the fragment is a 12-character secret rather
// than key bytes.
func (l *FileLink) HasSecret() bool { return l != nil && l.secret != nil }

// ParseFileURL parses a single-file link, with the tolerance of
// ParseAlbumURL. Every error wraps ErrInvalidLink and leaves the fragment
// out of its message.
func ParseFileURL(raw string) (*FileLink, error) {
	return findLink(raw, parseFileLink)
}

func parseFileLink(c string) (*FileLink, error) {
	u, frag, err := splitCandidate(c, true)
	if err != nil {
		return nil, err
	}
	l := &FileLink{}
	if l.AccessToken = u.Query().Get("t"); l.AccessToken != "" {
		l.Base = (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: strings.TrimRight(u.Path, "/")}).String()
	} else {
		l.AccessToken, _, _ = strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
		l.Base, l.TokenInPath = (&url.URL{Scheme: u.Scheme, Host: u.Host}).String(), true
	}
	if err := checkToken(l.AccessToken); err != nil {
		return nil, err
	}
	if isFileSecret(frag) {
		l.secret = newFileSecret(frag)
		return l, nil
	}
	if l.Key, err = DecodeKey(frag); err != nil {
		return nil, err
	}
	return l, nil
}

func isFileSecret(s string) bool {
	if len(s) != FileSecretLen {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

// destroy clears the link's key or secret (best effort).
func (l *FileLink) destroy() {
	l.Key.Destroy()
	l.secret.destroy()
}

// FileKey returns the file key the link stands for, given the body of
// museum's GET /file-link/info, for apps that make the request themselves
// (FileViewer does all of it). For key bytes that do not open the file's
// encryptedKey it returns them as the file key itself, as Ente's share
// page does: decrypting the metadata then tells. A secret fragment costs
// an Argon2id derivation with the server's parameters, capped by
// FileSecretLimits. Errors wrap ErrBadResponse, ErrKeyMismatch or
// pwhash's sentinels.
func (l *FileLink) FileKey(info []byte) (*secret.Key, error) {
	if l == nil || (l.Key == nil && l.secret == nil) {
		return nil, fmt.Errorf("%w: no key", ErrInvalidLink)
	}
	var r wire.FileLinkInfoResponse
	var f wire.File
	if err := json.Unmarshal(info, &r); err != nil || len(r.File) == 0 || json.Unmarshal(r.File, &f) != nil {
		return nil, fmt.Errorf("%w: file link info without a file", ErrBadResponse)
	}
	return l.fileKey(&f, r.Link)
}

// fileKey resolves the file key from the fragment: through the secret and
// the link's KDF parameters, or by opening the file's encryptedKey with
// the fragment's key, or, when that does not open, the fragment's key
// itself.
func (l *FileLink) fileKey(f *wire.File, link *wire.FileLinkSecret) (*secret.Key, error) {
	if l.Key != nil {
		if f.EncryptedKey != "" && f.KeyDecryptionNonce != "" {
			if kb, err := openBox(f.EncryptedKey, f.KeyDecryptionNonce, l.Key, secret.KeySize); err == nil {
				defer clear(kb)
				return secret.NewKey(kb)
			}
		}
		return copyKey(l.Key) // the fragment is the file key itself
	}
	if link == nil || link.EncryptedFileKey == nil || link.EncryptedFileKeyNonce == nil || link.KdfNonce == nil ||
		link.KdfMemLimit == nil || link.KdfOpsLimit == nil {
		return nil, fmt.Errorf("%w: a secret link without encryptedFileKey, its nonce and KDF parameters", ErrBadResponse)
	}
	var salt pwhash.Salt
	if err := salt.UnmarshalText([]byte(*link.KdfNonce)); err != nil {
		return nil, fmt.Errorf("%w: kdfNonce: %v", ErrBadResponse, err)
	}
	k, err := pwhash.DeriveKey(l.secret.b[:], &salt, pwhash.Params{OpsLimit: *link.KdfOpsLimit, MemLimit: *link.KdfMemLimit}, FileSecretLimits)
	if err != nil {
		return nil, fmt.Errorf("share: file link secret: %w", err)
	}
	defer k.Destroy()
	kb, err := openBox(*link.EncryptedFileKey, *link.EncryptedFileKeyNonce, k, secret.KeySize)
	if err != nil {
		return nil, fmt.Errorf("%w: the secret does not open the link's file key", ErrKeyMismatch)
	}
	defer clear(kb)
	return secret.NewKey(kb)
}

// FileURL returns {base}/?t={token}#{base58(key)} (with base such as
// "https://albums.ente.com/file", as Ente Photos links files).
func FileURL(base, accessToken string, key *secret.Key) (string, error) {
	l := FileLink{Base: base, AccessToken: accessToken, Key: key}
	return l.SecretURL()
}

// SecretURL returns the whole link, fragment included. Handle it like the
// key.
func (l FileLink) SecretURL() (string, error) {
	if l.Key == nil && l.secret == nil {
		return "", fmt.Errorf("%w: no key", ErrInvalidLink)
	}
	frag := ""
	if l.secret != nil {
		frag = string(l.secret.b[:])
	} else {
		frag = EncodeKey(l.Key)
	}
	return l.render(frag)
}

func (l FileLink) render(frag string) (string, error) {
	u, err := parseBase(l.Base)
	if err != nil {
		return "", err
	}
	if err := checkToken(l.AccessToken); err != nil {
		return "", err
	}
	if l.TokenInPath {
		u.Path = strings.TrimRight(u.Path, "/") + "/" + l.AccessToken
		return u.String() + "#" + frag, nil
	}
	return render(u, l.AccessToken, frag), nil
}

// String returns the link with the fragment replaced by "xxxxx".
func (l FileLink) String() string {
	s, err := l.render(redactedFragment)
	if err != nil {
		return "share.FileLink(invalid)#" + redactedFragment
	}
	return s
}

// GoString is String, so that %#v does not reach the fragment.
func (l FileLink) GoString() string { return l.String() }

// Format prints String under every verb and flag.
func (l FileLink) Format(f fmt.State, _ rune) { fmt.Fprint(f, l.String()) }

// LogValue keeps the fragment out of slog output.
func (l FileLink) LogValue() slog.Value { return slog.StringValue(l.String()) }

// FileLinkSecret is what a file's owner makes for a link whose fragment is
// a secret, as Ente Locker does: a random 12-character base62 secret, and
// the file key under Argon2id(secret) at INTERACTIVE (64 MiB, 2 passes).
// It marshals to the fields of museum's POST /files/share-url body
// (encryptedFileKey, encryptedFileKeyNonce, kdfNonce, kdfMemLimit,
// kdfOpsLimit); Fragment returns the secret for the link. It prints
// redacted.
type FileLinkSecret struct {
	redact[FileLinkSecret]
	secret *fileSecret
	fields fileLinkSecretJSON
}

type fileLinkSecretJSON struct {
	EncryptedFileKey      string `json:"encryptedFileKey"`
	EncryptedFileKeyNonce string `json:"encryptedFileKeyNonce"`
	KdfNonce              string `json:"kdfNonce"`
	KdfMemLimit           uint64 `json:"kdfMemLimit"`
	KdfOpsLimit           uint64 `json:"kdfOpsLimit"`
}

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// NewFileLinkSecret draws a secret and wraps fileKey under it.
func NewFileLinkSecret(fileKey *secret.Key) (*FileLinkSecret, error) {
	if fileKey == nil {
		return nil, errors.New("share: no file key")
	}
	s := &FileLinkSecret{secret: &fileSecret{b: new([FileSecretLen]byte)}}
	for i := range s.secret.b {
		s.secret.b[i] = base62[randIntN(len(base62))]
	}
	salt := pwhash.RandomSalt()
	p := pwhash.Interactive
	k, err := pwhash.DeriveKey(s.secret.b[:], salt, p, FileSecretLimits)
	if err != nil {
		return nil, fmt.Errorf("share: file link secret: %w", err)
	}
	defer k.Destroy()
	nonce := secretbox.RandomNonce()
	fk := fileKey.Bytes()
	defer clear(fk)
	box := secretbox.Seal(nil, fk, nonce, k)
	n, _ := nonce.MarshalText()
	sb, _ := salt.MarshalText()
	s.fields = fileLinkSecretJSON{EncryptedFileKey: b64.Encode(box), EncryptedFileKeyNonce: string(n),
		KdfNonce: string(sb), KdfMemLimit: p.MemLimit, KdfOpsLimit: p.OpsLimit}
	return s, nil
}

// randIntN is an unbiased uniform draw from crypto/rand.
func randIntN(n int) int {
	limit := 256 - 256%n
	var b [1]byte
	for {
		rand.Read(b[:])
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}

// Fragment returns the secret that goes after '#'. Handle it like a key.
// A nil or zero FileLinkSecret gives "".
func (s *FileLinkSecret) Fragment() string {
	if s == nil || s.secret == nil {
		return ""
	}
	return string(s.secret.b[:])
}

// MarshalJSON writes the fields the server stores; the secret is not
// among them.
func (s FileLinkSecret) MarshalJSON() ([]byte, error) {
	if s.secret == nil {
		return nil, errors.New("share: empty FileLinkSecret")
	}
	return json.Marshal(s.fields)
}
