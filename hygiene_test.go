package e2ee_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/e2eekit/e2ee/internal/redacttest"
	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/sealed"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
	"github.com/e2eekit/e2ee/share"
	"github.com/e2eekit/e2ee/stream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/chacha20"
)

// cheap makes sign-up fast in tests; the cost does not matter here.
var cheap = pwhash.Policy{Start: pwhash.Params{OpsLimit: 1, MemLimit: pwhash.MinMemLimit}, FloorMemLimit: pwhash.MinMemLimit}

// account signs up once and returns everything the hygiene tests print.
func account(t *testing.T) (*keys.Attributes, *keys.Secrets, *keys.RecoveryKey) {
	t.Helper()
	attrs, secrets, rk, err := keys.Generate([]byte("hygiene password"), cheap)
	require.NoError(t, err)
	return attrs, secrets, rk
}

// TestSecretHygiene is the one table of every secret-bearing type in the
// SDK: under every fmt verb, %+v of structs holding it (by value and by
// pointer, exported and unexported fields), slog's text and JSON handlers,
// and JSON/XML/gob encoding, no byte of the secret shows in raw, hex,
// base64 (standard and URL-safe) or base58 form.
func TestSecretHygiene(t *testing.T) {
	_, secrets, rk := account(t)
	mk := secrets.MasterKey()
	kek := secrets.KEK()
	pk := secrets.PrivateKey()

	tokenBytes := []byte("0123456789abcdef0123456789abcdef")
	sealedToken, err := sealed.Seal(nil, tokenBytes, secrets.PublicKey())
	require.NoError(t, err)
	token, err := keys.OpenToken(sealedToken, secrets)
	require.NoError(t, err)

	albumKey := secret.GenerateKey()
	raw, err := share.AlbumURL("https://albums.example.com", "ABCDEFGHIJ", albumKey)
	require.NoError(t, err)
	link, err := share.ParseAlbumURL(raw)
	require.NoError(t, err)
	params := share.PasswordParams{Salt: *pwhash.RandomSalt(), MemLimit: pwhash.MinMemLimit, OpsLimit: 1}
	passHash, err := share.LinkPassHash([]byte("link password"), params)
	require.NoError(t, err)
	passHashBytes, err := base64.StdEncoding.DecodeString(passHash.Base64())
	require.NoError(t, err)

	// A stream's state holds its subkey, HChaCha20(key, header[:16]).
	streamKey := secret.GenerateKey()
	enc, hdr, err := stream.NewEncryptor(streamKey)
	require.NoError(t, err)
	subkey, err := chacha20.HChaCha20(streamKey.Bytes(), hdr[:16])
	require.NoError(t, err)
	dec, err := stream.NewDecryptor(hdr, streamKey)
	require.NoError(t, err)
	var sink bytes.Buffer
	ew, ewHdr, err := stream.NewEncryptWriter(&sink, streamKey)
	require.NoError(t, err)
	ewSubkey, _ := chacha20.HChaCha20(streamKey.Bytes(), ewHdr[:16])
	er, erHdr, err := stream.NewEncryptReader(strings.NewReader("x"), streamKey)
	require.NoError(t, err)
	erSubkey, _ := chacha20.HChaCha20(streamKey.Bytes(), erHdr[:16])
	dr, err := stream.NewDecryptReader(strings.NewReader(""), hdr, streamKey)
	require.NoError(t, err)
	drb, err := stream.NewDecryptReaderBytes(nil, hdr, streamKey)
	require.NoError(t, err)
	viewer, err := share.NewViewer(link, share.Options{APIBase: "http://127.0.0.1:1"})
	require.NoError(t, err)
	defer viewer.Close()

	for name, check := range map[string]func(t *testing.T){
		"*stream.Encryptor":           func(t *testing.T) { redacttest.Check(t, enc, subkey) },
		"*stream.Decryptor":           func(t *testing.T) { redacttest.Check(t, dec, subkey) },
		"*stream.EncryptWriter":       func(t *testing.T) { redacttest.Check(t, ew, ewSubkey) },
		"*stream.EncryptReader":       func(t *testing.T) { redacttest.Check(t, er, erSubkey) },
		"*stream.DecryptReader":       func(t *testing.T) { redacttest.Check(t, dr, subkey) },
		"*stream.DecryptReader/bytes": func(t *testing.T) { redacttest.Check(t, drb, subkey) },
		"*share.Viewer/key":           func(t *testing.T) { redacttest.Check(t, viewer, albumKey.Bytes()) },
		"*share.Viewer/token": func(t *testing.T) {
			for _, verb := range redacttest.Verbs {
				assert.NotContains(t, fmt.Sprintf(verb, viewer), "ABCDEFGHIJ", "%s of a Viewer shows the access token", verb)
			}
		},
		"secret.Key":                func(t *testing.T) { redacttest.Check(t, *albumKey, albumKey.Bytes()) },
		"*secret.Key":               func(t *testing.T) { redacttest.Check(t, albumKey, albumKey.Bytes()) },
		"*sealed.PrivateKey":        func(t *testing.T) { redacttest.Check(t, pk, pk.Bytes()) },
		"*keys.MasterKey":           func(t *testing.T) { redacttest.Check(t, mk, mk.Bytes()) },
		"*keys.KEK":                 func(t *testing.T) { redacttest.Check(t, kek, kek.Bytes()) },
		"*keys.RecoveryKey":         func(t *testing.T) { redacttest.Check(t, rk, rk.Bytes()) },
		"*keys.Secrets/master key":  func(t *testing.T) { redacttest.Check(t, secrets, mk.Bytes()) },
		"*keys.Secrets/private key": func(t *testing.T) { redacttest.Check(t, secrets, pk.Bytes()) },
		"*keys.Secrets/kek":         func(t *testing.T) { redacttest.Check(t, secrets, kek.Bytes()) },
		"*keys.AuthToken":           func(t *testing.T) { redacttest.Check(t, token, tokenBytes) },
		"*share.Link":               func(t *testing.T) { redacttest.Check(t, link, albumKey.Bytes()) },
		"share.Link":                func(t *testing.T) { redacttest.Check(t, *link, albumKey.Bytes()) },
		"*share.PassHash":           func(t *testing.T) { redacttest.Check(t, passHash, passHashBytes) },
	} {
		t.Run(name, check)
	}

	// Mnemonic and hex are the recovery key's deliberate renderings; make
	// sure the redaction check would have caught them.
	require.NotEmpty(t, redacttest.Leak(rk.Hex(), rk.Bytes()), "redacttest.Leak misses a hex rendering: the table above proves nothing")
}

// TestErrorsNeverQuoteSecrets drives known keys, passwords and plaintexts
// through every failing path a caller can hit and searches the error text.
func TestErrorsNeverQuoteSecrets(t *testing.T) {
	attrs, secrets, rk := account(t)
	mk := secrets.MasterKey()
	key := secret.GenerateKey()
	other := secret.GenerateKey()
	plaintext := []byte("attack at dawn, attack at dawn!!")
	password := []byte("hunter2-hunter2-hunter2")

	var errs []error
	add := func(_ any, err error) { errs = append(errs, err) }

	nonce := secretbox.RandomNonce()
	box := secretbox.Seal(nil, plaintext, nonce, key)
	add(secretbox.Open(nil, box, nonce, other))
	add(secretbox.Open(nil, box[:10], nonce, other))
	add(sealed.Open(nil, box, secrets.PrivateKey()))

	ct, hdr, err := stream.EncryptBlob(plaintext, key)
	require.NoError(t, err)
	add(stream.DecryptBlob(ct, hdr, other))
	add(stream.DecryptBlob(ct[:len(ct)-1], hdr, key))

	kek, err := keys.DeriveKEK([]byte("wrong password"), attrs, pwhash.DefaultLimits)
	require.NoError(t, err)
	add(keys.Unlock(kek, attrs))
	wrongRK, err := keys.NewRecoveryKey(other.Bytes())
	require.NoError(t, err)
	add(keys.UnlockWithRecoveryKey(wrongRK, attrs))
	words := strings.Fields(rk.Mnemonic())
	words[3], words[4] = words[4], words[3]
	add(keys.ParseRecoveryKey(strings.Join(words, " ")))
	add(keys.ParseRecoveryKey(rk.Hex()[:63]))
	add(keys.OpenToken(box, secrets))

	export, err := keys.EncryptExport([]string{"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP"}, password, cheap)
	require.NoError(t, err)
	add(keys.DecryptExport(export, []byte("not the password"), pwhash.DefaultLimits))

	raw, err := share.AlbumURL("https://albums.example.com", "ABCDEFGHIJ", key)
	require.NoError(t, err)
	add(share.ParseAlbumURL(raw[:len(raw)-5]))       // too short for 32 bytes
	add(share.ParseAlbumURL(raw[:len(raw)-1] + "0")) // '0' is in no key alphabet

	secrets2 := [][]byte{key.Bytes(), other.Bytes(), mk.Bytes(), rk.Bytes(), plaintext, password}
	for i, err := range errs {
		if !assert.Error(t, err, "failing path %d did not fail", i) {
			continue
		}
		for _, s := range secrets2 {
			assert.Empty(t, redacttest.Leak(err.Error(), s), "error %q shows a secret", err)
		}
	}
	require.ErrorIs(t, errs[0], secretbox.ErrOpen, "first failing path")
	// A mistyped word of a real phrase is reported by position, never
	// quoted: it is most of a word of the phrase.
	typo := strings.Fields(rk.Mnemonic())
	typo[5] += "x"
	_, err = keys.ParseRecoveryKey(strings.Join(typo, ", "))
	if assert.Error(t, err, "mistyped phrase") {
		assert.False(t, strings.Contains(err.Error(), typo[5]), "mistyped phrase: %v", err)
	}
}
