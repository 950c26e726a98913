package share

import (
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/mr-tron/base58"

	"github.com/e2eekit/e2ee/internal/keymat"
	"github.com/e2eekit/e2ee/secret"
)

// ErrInvalidLink reports an album link or key fragment that cannot be used:
// a malformed URL, no access token, or a key that does not decode to
// exactly 32 bytes. Its messages never contain the key or the fragment.
var ErrInvalidLink = errors.New("share: invalid album link")

// legacyHexLen is the fragment length from which a fragment is read as the
// legacy hex form: base58 of 32 bytes is at most 44 characters, hex is 64.
const legacyHexLen = 50

// EncodeKey returns the base58 (Bitcoin alphabet) form of key, as it goes
// in the fragment of an album link. A nil key gives "".
func EncodeKey(key *secret.Key) string {
	if key == nil {
		return ""
	}
	return base58.Encode(keymat.Array(key)[:])
}

// DecodeKey decodes a link fragment: base58 (Bitcoin alphabet) when it is
// shorter than 50 characters, otherwise the legacy hex form (64 hex digits;
// Ente wrote lower case, and either case is accepted, as libsodium's
// sodium_hex2bin does). Anything that does not decode to exactly 32 bytes
// is an error wrapping ErrInvalidLink.
//
// The 50-character switch also bounds the work: mr-tron/base58 decodes in
// time quadratic in the input, and it is never given more than 49
// characters.
func DecodeKey(fragment string) (*secret.Key, error) {
	var b []byte
	switch {
	case fragment == "":
		return nil, fmt.Errorf("%w: no key in the fragment", ErrInvalidLink)
	case len(fragment) >= legacyHexLen:
		if len(fragment) != 2*secret.KeySize {
			return nil, fmt.Errorf("%w: legacy hex key fragment has %d characters, want %d", ErrInvalidLink, len(fragment), 2*secret.KeySize)
		}
		var err error
		if b, err = hex.DecodeString(fragment); err != nil {
			return nil, fmt.Errorf("%w: legacy key fragment is not hex", ErrInvalidLink)
		}
	default:
		var err error
		// base58's own error quotes the offending character: a piece of
		// the key, so it is not passed on.
		if b, err = base58.Decode(fragment); err != nil {
			return nil, fmt.Errorf("%w: key fragment is not base58", ErrInvalidLink)
		}
	}
	defer clear(b)
	if len(b) != secret.KeySize {
		return nil, fmt.Errorf("%w: key fragment decodes to %d bytes, want %d", ErrInvalidLink, len(b), secret.KeySize)
	}
	return secret.NewKey(b)
}
