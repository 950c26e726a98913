package keys_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/stream"
)

// enteExport is an export file built from Ente's own known answers: the
// Argon2id KAT's salt and params, and the secretstream KAT (whose key is
// the Argon2id KAT's key) as data.
func enteExport(version string) []byte {
	return []byte(`{"version":` + version + `,"kdfParams":{"memLimit":67108864,"opsLimit":2,"salt":"` + enteArgonSalt +
		`"},"encryptedData":"` + enteStreamCT + `","encryptionNonce":"` + enteStreamHeader + `"}`)
}

func TestDecryptExportKnownAnswer(t *testing.T) {
	uris, err := keys.DecryptExport(enteExport("1"), []byte(enteArgonPassword), pwhash.DefaultLimits)
	require.NoError(t, err)
	require.Equal(t, []string{enteStreamPlain}, uris)
}

var testURIs = []string{totp, "otpauth://hotp/Bank?secret=GEZDGNBVGY3TQOJQ&counter=7", "otpauth://totp/caf%C3%A9?secret=AB"}

func TestExportRoundTrip(t *testing.T) {
	file, err := keys.EncryptExport(testURIs, password, cheap)
	require.NoError(t, err)
	assertFields(t, file, "version", "kdfParams", "encryptedData", "encryptionNonce")
	m := fieldsOf(t, file)
	assertFields(t, m["kdfParams"], "memLimit", "opsLimit", "salt")
	require.Equal(t, "1", string(m["version"]), "version")
	got, err := keys.DecryptExport(file, password, pwhash.DefaultLimits)
	require.NoError(t, err, "DecryptExport")
	require.Equal(t, testURIs, got, "DecryptExport")

	// Independently: x/crypto's Argon2id gives the key, and the data is one
	// FINAL message of one URI per line, each ending in "\n".
	var x keys.Export
	require.NoError(t, json.Unmarshal(file, &x))
	p := x.KDFParams
	k, _ := secret.NewKey(argon2.IDKey(password, p.Salt[:], uint32(p.OpsLimit), uint32(p.MemLimit/1024), 1, 32))
	plain, err := stream.DecryptBlob(x.EncryptedData, x.EncryptionNonce, k)
	require.NoError(t, err)
	require.Equal(t, strings.Join(testURIs, "\n")+"\n", string(plain), "plaintext")
}

func TestExportEmpty(t *testing.T) {
	file, err := keys.EncryptExport(nil, password, cheap)
	require.NoError(t, err)
	got, err := keys.DecryptExport(file, password, pwhash.DefaultLimits)
	require.NoError(t, err, "empty export")
	require.Empty(t, got, "empty export")
}

// cheapExport writes an export whose data is text in one message tagged
// tag, under Argon2id's minimum params.
func cheapExport(t testing.TB, text string, tag stream.Tag) []byte {
	t.Helper()
	salt := pwhash.RandomSalt()
	k, err := pwhash.DeriveKey(password, salt, cheap.Start, pwhash.DefaultLimits)
	require.NoError(t, err)
	ct, h := legacyBlob(t, []byte(text), tag, k)
	file, err := json.Marshal(keys.Export{Version: 1, KDFParams: keys.ExportKDFParams{
		MemLimit: cheap.Start.MemLimit, OpsLimit: cheap.Start.OpsLimit, Salt: *salt}, EncryptedData: ct, EncryptionNonce: h})
	require.NoError(t, err)
	return file
}

func TestExportAccepts(t *testing.T) {
	for name, tc := range map[string]struct {
		text string
		tag  stream.Tag
		want []string
	}{
		"legacy tag MESSAGE": {totp + "\n", stream.TagMessage, []string{totp}},
		"blank lines":        {"\n" + totp + "\n\n" + totp + "\n", stream.TagFinal, []string{totp, totp}},
		"CRLF":               {totp + "\r\n" + totp + "\r\n", stream.TagFinal, []string{totp, totp}},
		"no final newline":   {totp, stream.TagFinal, []string{totp}},
	} {
		got, err := keys.DecryptExport(cheapExport(t, tc.text, tc.tag), password, pwhash.DefaultLimits)
		assert.NoError(t, err, name)
		assert.Equal(t, tc.want, got, name)
	}
	for _, tag := range []stream.Tag{stream.TagPush, stream.TagRekey} {
		_, err := keys.DecryptExport(cheapExport(t, totp, tag), password, pwhash.DefaultLimits)
		assert.ErrorIs(t, err, keys.ErrInvalidExport, "tag %v: want ErrInvalidExport wrapping stream.ErrUnexpectedTag", tag)
		assert.ErrorIs(t, err, stream.ErrUnexpectedTag, "tag %v: want ErrInvalidExport wrapping stream.ErrUnexpectedTag", tag)
	}
	_, err := keys.DecryptExport(cheapExport(t, "\xff\xfe", stream.TagFinal), password, pwhash.DefaultLimits)
	assert.ErrorIs(t, err, keys.ErrInvalidExport, "non-UTF-8 data")
}

func TestExportWrongPassword(t *testing.T) {
	file := cheapExport(t, totp+"\n", stream.TagFinal)
	_, err := keys.DecryptExport(file, []byte("not the password"), pwhash.DefaultLimits)
	require.ErrorIs(t, err, keys.ErrIncorrectPassword)
	require.ErrorIs(t, err, stream.ErrOpen)
	_, err = keys.DecryptExport(enteExport("1"), []byte("test_passwore"), pwhash.DefaultLimits)
	require.ErrorIs(t, err, keys.ErrIncorrectPassword, "Ente's vector with a wrong password")
}

func TestExportRejects(t *testing.T) {
	good := cheapExport(t, totp+"\n", stream.TagFinal)
	m := fieldsOf(t, good)
	kdf := func(name, raw string) []byte {
		return mutate(t, good, "kdfParams", string(mutate(t, m["kdfParams"], name, raw)))
	}
	var data string
	json.Unmarshal(m["encryptedData"], &data)
	raw, _ := base64.StdEncoding.DecodeString(data)
	for name, tc := range map[string]struct {
		file []byte
		want error
	}{
		"version 2":            {mutate(t, good, "version", "2"), keys.ErrUnsupportedVersion},
		"version 0":            {mutate(t, good, "version", "0"), keys.ErrUnsupportedVersion},
		"no version":           {mutate(t, good, "version", ""), keys.ErrUnsupportedVersion},
		"version as a string":  {mutate(t, good, "version", `"1"`), keys.ErrInvalidExport},
		"version 2, no fields": {[]byte(`{"version":2}`), keys.ErrUnsupportedVersion},
		"4 GiB memLimit":       {kdf("memLimit", "4294967296"), pwhash.ErrTooExpensive},
		"too much work":        {kdf("opsLimit", "1000000"), pwhash.ErrTooExpensive},
		"memLimit below min":   {kdf("memLimit", "1024"), pwhash.ErrInvalidParams},
		"opsLimit 0":           {kdf("opsLimit", "0"), pwhash.ErrInvalidParams},
		"no salt":              {kdf("salt", ""), keys.ErrInvalidExport},
		"short salt":           {kdf("salt", `"AAAA"`), keys.ErrInvalidExport},
		"memLimit negative":    {kdf("memLimit", "-1"), keys.ErrInvalidExport},
		"kdfParams a string":   {mutate(t, good, "kdfParams", `"x"`), keys.ErrInvalidExport},
		"no kdfParams":         {mutate(t, good, "kdfParams", ""), keys.ErrInvalidExport},
		"no encryptedData":     {mutate(t, good, "encryptedData", ""), keys.ErrInvalidExport},
		"bad base64 data":      {mutate(t, good, "encryptedData", str(data[:len(data)-1])), keys.ErrInvalidExport},
		"short nonce":          {mutate(t, good, "encryptionNonce", `"AAAA"`), keys.ErrInvalidExport},
		"truncated data":       {mutate(t, good, "encryptedData", str(base64.StdEncoding.EncodeToString(raw[:16]))), keys.ErrInvalidExport},
		"tampered data":        {mutate(t, good, "encryptedData", str(base64.StdEncoding.EncodeToString(flip(raw, 20)))), stream.ErrOpen},
		"not JSON":             {[]byte("otpauth://totp/x"), keys.ErrInvalidExport},
		"a JSON array":         {[]byte("[1]"), keys.ErrInvalidExport},
		"empty":                {nil, keys.ErrInvalidExport},
	} {
		_, err := keys.DecryptExport(tc.file, password, pwhash.DefaultLimits)
		assert.ErrorIs(t, err, tc.want, name)
	}
}

func TestEncryptExportRejects(t *testing.T) {
	for _, uris := range [][]string{{""}, {totp, "otpauth://a\nb"}, {"x\r"}} {
		_, err := keys.EncryptExport(uris, password, cheap)
		assert.ErrorIs(t, err, keys.ErrInvalidURI, "%q", uris)
	}
	_, err := keys.EncryptExport(testURIs, password, pwhash.Policy{})
	assert.ErrorIs(t, err, pwhash.ErrInvalidParams, "empty policy")
}

// TestEncryptExportParams: the file carries exactly the params asked for,
// which no back-off policy reduced, and x/crypto's Argon2id at those params
// opens it.
func TestEncryptExportParams(t *testing.T) {
	want := pwhash.Params{OpsLimit: 3, MemLimit: 64 << 10}
	file, err := keys.EncryptExportParams(testURIs, password, want)
	require.NoError(t, err)
	x, err := keys.ParseExport(file)
	require.NoError(t, err)
	require.Equal(t, want.OpsLimit, x.KDFParams.OpsLimit, "kdfParams passes")
	require.Equal(t, want.MemLimit, x.KDFParams.MemLimit, "kdfParams bytes")
	k, _ := secret.NewKey(argon2.IDKey(password, x.KDFParams.Salt[:], 3, 64, 1, 32))
	plain, err := stream.DecryptBlob(x.EncryptedData, x.EncryptionNonce, k)
	require.NoError(t, err, "plaintext")
	require.Equal(t, strings.Join(testURIs, "\n")+"\n", string(plain), "plaintext")
	_, err = keys.EncryptExportParams(testURIs, password, pwhash.Params{OpsLimit: 0, MemLimit: 64 << 10})
	assert.ErrorIs(t, err, pwhash.ErrInvalidParams, "opsLimit 0")
	_, err = keys.EncryptExportParams([]string{""}, password, want)
	assert.ErrorIs(t, err, keys.ErrInvalidURI, "empty URI")
}

// TestDecryptExportPlaintext: the exact text, where DecryptExport trims and
// drops blank lines.
func TestDecryptExportPlaintext(t *testing.T) {
	for _, text := range []string{"", "\n" + totp + "\r\n\n  " + totp + " \n", "\xff\xfe"} {
		file := cheapExport(t, text, stream.TagFinal)
		got, err := keys.DecryptExportPlaintext(file, password, pwhash.DefaultLimits)
		assert.NoError(t, err, "DecryptExportPlaintext")
		assert.Equal(t, text, string(got), "DecryptExportPlaintext")
	}
	file := cheapExport(t, totp+"\n", stream.TagFinal)
	_, err := keys.DecryptExportPlaintext(file, []byte("not the password"), pwhash.DefaultLimits)
	assert.ErrorIs(t, err, keys.ErrIncorrectPassword, "wrong password")
	_, err = keys.DecryptExportPlaintext(file, password, pwhash.Limits{MaxMemLimit: 1, MaxWork: 1})
	assert.ErrorIs(t, err, pwhash.ErrTooExpensive, "over the limits")
}
