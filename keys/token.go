package keys

import (
	"encoding/base64"
	"fmt"

	"github.com/e2eekit/e2ee/internal/keymat"
	"github.com/e2eekit/e2ee/sealed"
	"github.com/e2eekit/e2ee/secret"
)

// AuthTokenSize is the length of the session token Ente's server seals to
// an account's public key.
const AuthTokenSize = 32

// AuthToken is an opened session token. It prints as
// keys.AuthToken(REDACTED) and refuses to marshal; HeaderValue is the only
// way to see it.
type AuthToken struct {
	redact[AuthToken]
	k secret.Key // the token is a key's size; secret.Key keeps it off reflection
}

// OpenToken opens the server's encryptedToken (a sealed box of 32 random
// bytes to the account's public key, 80 bytes; decode its base64 as a
// Ciphertext) with the account's key pair. A box that does not open
// (including one cut short) wraps sealed.ErrOpen; an authentic token that
// is not 32 bytes wraps ErrInvalidEnvelope.
func OpenToken(encryptedToken Ciphertext, s *Secrets) (*AuthToken, error) {
	t := new(AuthToken)
	if err := openSealedKey(&t.k, encryptedToken, s, "encryptedToken"); err != nil {
		return nil, err
	}
	return t, nil
}

// openSealedKey opens a sealed box of a 32-byte value into dst. The box is
// authenticated before its length is judged, so that any box that is not
// authentic, whatever its length, gives sealed.ErrOpen.
func openSealedKey(dst *secret.Key, box []byte, s *Secrets, what string) error {
	if s == nil {
		return fmt.Errorf("%w: no Secrets to open the %s with", ErrNilKey, what)
	}
	sk := s.PrivateKey()
	defer sk.Destroy()
	plain, err := sealed.Open(nil, box, sk)
	if err != nil {
		return fmt.Errorf("keys: %s: %w", what, err)
	}
	defer clear(plain)
	if len(plain) != secret.KeySize {
		return fmt.Errorf("%w: %s holds %d bytes, want %d", ErrInvalidEnvelope, what, len(plain), secret.KeySize)
	}
	copy(keymat.Array(dst)[:], plain)
	return nil
}

// HeaderValue returns the token as Ente's server wants it in the
// X-Auth-Token header: URL-safe base64 with padding; "" for a nil token.
func (t *AuthToken) HeaderValue() string {
	if t == nil {
		return ""
	}
	return base64.URLEncoding.EncodeToString(keymat.Array(&t.k)[:])
}

// Destroy overwrites the token (best effort; see package secret).
func (t *AuthToken) Destroy() {
	if t != nil {
		t.k.Destroy()
	}
}
