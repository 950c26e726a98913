package keys_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
)

// cheap is a sign-up policy at Argon2id's minimum cost (8 KiB, 1 pass), so
// that tests exercise the whole flow in microseconds.
var cheap = pwhash.Policy{Start: pwhash.Params{OpsLimit: 1, MemLimit: pwhash.MinMemLimit}, FloorMemLimit: pwhash.MinMemLimit}

var password = []byte("correct horse battery staple")

type account struct {
	attrs   *keys.Attributes
	secrets *keys.Secrets
	rk      *keys.RecoveryKey
}

func signUp(t testing.TB) account {
	t.Helper()
	a, s, rk, err := keys.Generate(password, cheap)
	require.NoError(t, err)
	return account{a, s, rk}
}

func b64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	require.NoError(t, err)
	return b
}

// Known answers from Ente's own repository (cli/internal/crypto/crypto_test.go),
// as Ente's clients use them.
const (
	enteArgonPassword = "test_password"
	enteArgonSalt     = "vd0dcYMGNLKn/gpT6uTFTw=="
	enteArgonMem      = 67108864
	enteArgonOps      = 2
	enteArgonKey      = "vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwTl920flyT0="

	enteStreamHeader = "v7wsI+BFZsRMIjDm3rTxPhmi/CaUdkdJ"
	enteStreamCT     = "kBXQ2PuX6y/aje5r22H0AehRPh6sQ0ULoeAO"
	enteStreamPlain  = "plain_text"

	enteBoxKey   = "kercNpvGufMTTHmDwAhz26DgCAvznd1+/buBqKEkWr4="
	enteBoxNonce = "jgfPDOsQh2VdIHWJVSBicMPF2sQW3HIY"
	enteBox      = "KHwRN+RzvTu+jC7mCdkMsqnTPSLvevtZILmcR2OYFbIRPqDyjAl+m8KxD9B5fiEo"
	enteBoxPlain = "O1ObUBMv+SCE1qWHD7+WViEIZcAeTp18Y+m9eMlDE1Y="
)

// fieldsOf returns the member names of a JSON object.
func fieldsOf(t testing.TB, wire []byte) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(wire, &m))
	return m
}

// assertFields fails unless the JSON object wire has exactly names.
func assertFields(t testing.TB, wire []byte, names ...string) {
	t.Helper()
	m := fieldsOf(t, wire)
	var got []string
	for k := range m {
		got = append(got, k)
	}
	slices.Sort(got)
	names = slices.Sorted(slices.Values(names))
	require.Equal(t, names, got, "JSON fields")
}

// diffFields returns the sorted names whose values differ between two JSON
// objects (including names present in only one).
func diffFields(t testing.TB, a, b []byte) []string {
	t.Helper()
	ma, mb := fieldsOf(t, a), fieldsOf(t, b)
	var d []string
	for k, v := range ma {
		if !bytes.Equal(v, mb[k]) {
			d = append(d, k)
		}
	}
	for k := range mb {
		if _, ok := ma[k]; !ok {
			d = append(d, k)
		}
	}
	slices.Sort(d)
	return d
}
