package keys

import (
	"encoding/base64"
	"fmt"

	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/internal/keymat"
	"github.com/e2eekit/e2ee/sealed"
	"github.com/e2eekit/e2ee/secret"
)

// AuthTokenSize is the length of the session token Ente's server seals to
// an account's public key.
const AuthTokenSize = secret.KeySize

// AuthToken is an opened session token. It prints as
// keys.AuthToken(REDACTED) and refuses to marshal; HeaderValue is the only
// way to see it.
type AuthToken struct {
	redact[AuthToken]
	k secret.Key // the token is a key's size; secret.Key keeps it off reflection
}

// OpenToken opens the server's encryptedToken (base64 of a sealed box of
// 32 random bytes to the account's public key, 80 bytes) with the
// account's key pair. Bad base64 or a wrong length wraps
// ErrInvalidEnvelope; a box that does not open wraps sealed.ErrOpen.
func OpenToken(encryptedToken string, s *Secrets) (*AuthToken, error) {
	box, err := b64.Decode(encryptedToken)
	if err != nil {
		return nil, fmt.Errorf("%w: encryptedToken: %w", ErrInvalidEnvelope, err)
	}
	if len(box) != AuthTokenSize+sealed.Overhead {
		return nil, fmt.Errorf("%w: encryptedToken is %d bytes, want %d", ErrInvalidEnvelope, len(box), AuthTokenSize+sealed.Overhead)
	}
	t := new(AuthToken)
	sk := s.PrivateKey()
	defer sk.Destroy()
	if _, err := sealed.Open(keymat.Array(&t.k)[:0], box, sk); err != nil {
		return nil, fmt.Errorf("keys: encryptedToken: %w", err)
	}
	return t, nil
}

// HeaderValue returns the token as Ente's server wants it in the
// X-Auth-Token header: URL-safe base64 with padding.
func (t *AuthToken) HeaderValue() string {
	return base64.URLEncoding.EncodeToString(keymat.Array(&t.k)[:])
}

// Destroy overwrites the token (best effort; see package secret).
func (t *AuthToken) Destroy() { t.k.Destroy() }
