package keys

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSRPVectors runs testdata/vectors/srp.json (fast-srp-hap's numbers)
// through the client session with the vector's secret exponent a: A, M1
// and the acceptance of M2 byte for byte, and the refusals of a bad B and a
// wrong M2 with their sentinels. (The conformance package checks the
// verifier and the server's role through the public API.)
func TestSRPVectors(t *testing.T) {
	raw, err := os.ReadFile("../testdata/vectors/srp.json")
	require.NoError(t, err)
	var file struct {
		TestGroups []struct {
			Type  string `json:"type"`
			Tests []struct {
				TcID                       int
				Comment                    string
				KEK, LoginKey, Verifier, A []byte
				Salt                       []byte `json:"srpSalt"`
				SecretA                    []byte `json:"a"`
				SecretB                    []byte `json:"b"` // unused; named so that "b" does not fill B
				B, M1, M2                  []byte
				UserID                     string `json:"srpUserID"`
				Error                      string
			} `json:"tests"`
		} `json:"testGroups"`
	}
	require.NoError(t, json.Unmarshal(raw, &file))
	sentinel := map[string]error{"keys.ErrInvalidSRPB": ErrInvalidSRPB, "keys.ErrSRPServerProof": ErrSRPServerProof}
	n := 0
	for _, g := range file.TestGroups {
		for _, tc := range g.Tests {
			n++
			kek, err := NewKEK(tc.KEK)
			require.NoError(t, err, "tcId %d", tc.TcID)
			s, err := newSRPSession(kek, tc.UserID, tc.Salt, tc.SecretA)
			require.NoError(t, err, "tcId %d", tc.TcID)
			m1, errB := s.M1(tc.B)
			switch g.Type {
			case "SrpTest":
				// The login key is key material: compared without testify's diff.
				assert.True(t, bytes.Equal(LoginKey(kek), tc.LoginKey), "tcId %d (%s): login key differs", tc.TcID, tc.Comment)
				v, err := SRPVerifier(kek, tc.UserID, tc.Salt)
				assert.NoError(t, err, "tcId %d (%s): verifier", tc.TcID, tc.Comment)
				assert.Equal(t, tc.Verifier, v, "tcId %d (%s): verifier differs", tc.TcID, tc.Comment)
				assert.Equal(t, tc.A, s.A(), "tcId %d (%s): A differs", tc.TcID, tc.Comment)
				// M1 is a proof, which errors must not quote either: no diff of its bytes.
				if !assert.NoError(t, errB, "tcId %d (%s): M1", tc.TcID, tc.Comment) ||
					!assert.True(t, bytes.Equal(m1, tc.M1), "tcId %d (%s): M1 differs", tc.TcID, tc.Comment) {
					continue
				}
				got, err := s.Verify(tc.M2)
				if assert.NoError(t, err, "tcId %d (%s): Verify(M2)", tc.TcID, tc.Comment) {
					assert.True(t, got.k.Equal(&kek.k), "tcId %d (%s): Verify(M2) hands over another KEK", tc.TcID, tc.Comment)
				}
			case "SrpBadBTest":
				assert.Equal(t, "keys.ErrInvalidSRPB", tc.Error, "tcId %d (%s)", tc.TcID, tc.Comment)
				assert.ErrorIs(t, errB, sentinel[tc.Error], "tcId %d (%s): M1", tc.TcID, tc.Comment)
			case "SrpBadM2Test":
				if !assert.NoError(t, errB, "tcId %d (%s): M1", tc.TcID, tc.Comment) ||
					!assert.True(t, bytes.Equal(m1, tc.M1), "tcId %d (%s): M1 differs", tc.TcID, tc.Comment) {
					continue
				}
				_, err := s.Verify(tc.M2)
				assert.Equal(t, "keys.ErrSRPServerProof", tc.Error, "tcId %d (%s)", tc.TcID, tc.Comment)
				assert.ErrorIs(t, err, sentinel[tc.Error], "tcId %d (%s): Verify", tc.TcID, tc.Comment)
			default:
				assert.Failf(t, "unknown group type", "%q", g.Type)
			}
			kek.Destroy()
		}
	}
	assert.GreaterOrEqual(t, n, 18, "vectors run")
}
