package share

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/internal/jsonstrict"
	"github.com/e2eekit/e2ee/internal/keymat"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/secret"
)

// ErrIncorrectPassword is returned when the server rejects a link
// password. The check happens on the server: a viewer cannot tell a wrong
// password on its own.
var ErrIncorrectPassword = errors.New("share: incorrect link password")

// PasswordLimits caps the Argon2id cost LinkPassHash accepts from a server:
// up to 256 MiB (MODERATE) and 1 GiB × passes of work, eight times what
// Ente's clients use (INTERACTIVE, 64 MiB × 2). A hostile server cannot
// make a viewer spend more.
var PasswordLimits = pwhash.Limits{MaxMemLimit: 256 << 20, MaxWork: 1 << 30}

const passHashRedacted = "share.PassHash(REDACTED)"

// PassHash is the Argon2id hash of a link password that the server stores
// and compares. It is a password equivalent: whoever holds it, the server
// included, can replay it to unlock the link without knowing the password.
// It prints as REDACTED and refuses marshalling; Base64 gives the wire form.
type PassHash struct {
	// A *secret.Key, not an array, so that reflection (fmt on a struct
	// holding a PassHash in an unexported field) reaches only a pointer.
	k *secret.Key
}

// Base64 returns the padded standard base64 the server expects.
// A nil or zero PassHash gives "".
func (h *PassHash) Base64() string {
	if h == nil || h.k == nil {
		return ""
	}
	return b64.Encode(keymat.Array(h.k)[:])
}

// Equal reports whether h and o are the same hash, in constant time.
func (h *PassHash) Equal(o *PassHash) bool {
	if h == nil || o == nil {
		return h == o
	}
	return h.k.Equal(o.k)
}

// String returns a redacted placeholder.
func (PassHash) String() string { return passHashRedacted }

// GoString returns a redacted placeholder for %#v.
func (PassHash) GoString() string { return passHashRedacted }

// Format prints a redacted placeholder under every verb and flag.
func (PassHash) Format(f fmt.State, _ rune) { fmt.Fprint(f, passHashRedacted) }

// LogValue keeps the hash out of slog output.
func (PassHash) LogValue() slog.Value { return slog.StringValue(passHashRedacted) }

// MarshalJSON refuses; use Base64 where the wire wants the hash.
func (PassHash) MarshalJSON() ([]byte, error) { return nil, secret.ErrNotMarshalable }

// MarshalText refuses; use Base64 where the wire wants the hash.
func (PassHash) MarshalText() ([]byte, error) { return nil, secret.ErrNotMarshalable }

// MarshalBinary refuses, so that encoding/gob cannot serialise the hash.
func (PassHash) MarshalBinary() ([]byte, error) { return nil, secret.ErrNotMarshalable }

// PasswordParams are the public KDF parameters of a password-protected
// link, as the server returns them in the album's publicURLs entry. Salt
// is named "nonce" on the wire.
type PasswordParams struct {
	Salt     pwhash.Salt `json:"nonce"`
	MemLimit uint64      `json:"memLimit"` // bytes
	OpsLimit uint64      `json:"opsLimit"`
}

// UnmarshalJSON reads the server's params strictly: a name given twice is
// refused (ErrBadResponse), not read last-wins.
func (p *PasswordParams) UnmarshalJSON(data []byte) error {
	if p == nil {
		return fmt.Errorf("%w: link password params: UnmarshalJSON on a nil *PasswordParams", ErrBadResponse)
	}
	type plain PasswordParams
	var q plain
	if err := jsonstrict.Unmarshal(data, &q); err != nil {
		return fmt.Errorf("%w: link password params: %v", ErrBadResponse, err)
	}
	*p = PasswordParams(q)
	return nil
}

// LinkPassword is what an album owner sends the server to protect a link.
type LinkPassword struct {
	Hash   *PassHash
	Params PasswordParams
}

// linkPasswordJSON is the server's shape: passHash, nonce (the salt),
// memLimit (bytes), opsLimit.
type linkPasswordJSON struct {
	PassHash string      `json:"passHash"`
	Nonce    pwhash.Salt `json:"nonce"`
	MemLimit uint64      `json:"memLimit"`
	OpsLimit uint64      `json:"opsLimit"`
}

// NewLinkPassword picks a random salt and derives the hash of password
// with Argon2id INTERACTIVE (64 MiB, 2 passes), as Ente's clients do.
func NewLinkPassword(password []byte) (*LinkPassword, error) {
	p := PasswordParams{Salt: *pwhash.RandomSalt(), MemLimit: pwhash.Interactive.MemLimit, OpsLimit: pwhash.Interactive.OpsLimit}
	h, err := LinkPassHash(password, p)
	if err != nil {
		return nil, err
	}
	return &LinkPassword{Hash: h, Params: p}, nil
}

// LinkPassHash re-derives the hash of a link password from the params the
// server returned, after checking them against PasswordLimits (errors wrap
// pwhash.ErrTooExpensive or pwhash.ErrInvalidParams).
func LinkPassHash(password []byte, p PasswordParams) (*PassHash, error) {
	k, err := pwhash.DeriveKey(password, &p.Salt, pwhash.Params{OpsLimit: p.OpsLimit, MemLimit: p.MemLimit}, PasswordLimits)
	if err != nil {
		return nil, fmt.Errorf("share: link password: %w", err)
	}
	return &PassHash{k: k}, nil
}

// MarshalJSON writes {passHash, nonce, memLimit, opsLimit}, the body the
// server stores. It does emit the hash, because that is its purpose: send
// it only to the server, and never log it.
func (lp LinkPassword) MarshalJSON() ([]byte, error) {
	if lp.Hash == nil {
		return nil, errors.New("share: link password without a hash")
	}
	return json.Marshal(linkPasswordJSON{PassHash: lp.Hash.Base64(), Nonce: lp.Params.Salt, MemLimit: lp.Params.MemLimit, OpsLimit: lp.Params.OpsLimit})
}

// MarshalText refuses: JSON, the server's request body, is the only
// encoding of a link password.
func (LinkPassword) MarshalText() ([]byte, error) { return nil, secret.ErrNotMarshalable }

// MarshalBinary refuses, so that encoding/gob cannot serialise the hash.
func (LinkPassword) MarshalBinary() ([]byte, error) { return nil, secret.ErrNotMarshalable }

// String shows the params and hides the hash.
func (lp LinkPassword) String() string {
	return fmt.Sprintf("share.LinkPassword{memLimit: %d, opsLimit: %d, passHash: REDACTED}", lp.Params.MemLimit, lp.Params.OpsLimit)
}

// GoString is String.
func (lp LinkPassword) GoString() string { return lp.String() }

// Format prints String under every verb and flag.
func (lp LinkPassword) Format(f fmt.State, _ rune) { fmt.Fprint(f, lp.String()) }

// LogValue keeps the hash out of slog output.
func (lp LinkPassword) LogValue() slog.Value { return slog.StringValue(lp.String()) }
