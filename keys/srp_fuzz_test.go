package keys_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/keys"
)

// FuzzSRPServerAnswers feeds arbitrary B and M2 to a session: never a
// panic (go-srp's SetB panics outside 1..N-1), a bad B is ErrInvalidSRPB,
// and a random M2 is refused with ErrSRPServerProof.
func FuzzSRPServerAnswers(f *testing.F) {
	kek, err := keys.NewKEK(bytes.Repeat([]byte{7}, 32))
	require.NoError(f, err)
	f.Add([]byte{}, []byte{})
	f.Add(make([]byte, keys.SRPValueSize), make([]byte, keys.SRPProofSize))
	f.Add(bytes.Repeat([]byte{0xff}, keys.SRPValueSize), []byte{1})
	f.Add(append([]byte{1}, make([]byte, keys.SRPValueSize-1)...), make([]byte, keys.SRPProofSize))
	f.Fuzz(func(t *testing.T, b, m2 []byte) {
		if len(b) < keys.SRPValueSize && len(b) > 8 {
			// Pad short inputs to the group's size now and then, so that
			// the fuzzer reaches the range check and the arithmetic.
			b = append(make([]byte, keys.SRPValueSize-len(b)), b...)
		}
		s, err := keys.NewSRPSession(kek, "5b7bd4e2-2b2b-4f4e-9d0b-6a1f0c3e8d11", []byte("0123456789abcdef"))
		require.NoError(t, err)
		m1, err := s.M1(b)
		if err != nil {
			require.ErrorIs(t, err, keys.ErrInvalidSRPB, "M1")
			return
		}
		require.Equal(t, keys.SRPProofSize, len(m1), "M1 bytes") // a proof: its length is compared, not its bytes
		_, err = s.Verify(m2)
		require.ErrorIs(t, err, keys.ErrSRPServerProof, "Verify of a fuzzed M2")
	})
}

// FuzzParseSRPAttributes: never a panic; anything accepted is usable
// (a user ID and salt a session takes, params libsodium accepts).
func FuzzParseSRPAttributes(f *testing.F) {
	f.Add([]byte(`{"srpUserID":"5b7bd4e2-2b2b-4f4e-9d0b-6a1f0c3e8d11","srpSalt":"AAECAwQFBgcICQoLDA0ODw==",` +
		`"memLimit":268435456,"opsLimit":16,"kekSalt":"AAECAwQFBgcICQoLDA0ODw==","isEmailMFAEnabled":false}`))
	f.Add([]byte(`{"srpUserID":"","srpSalt":null}`))
	f.Add([]byte(`[]`))
	kek, err := keys.NewKEK(make([]byte, 32))
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := keys.ParseSRPAttributes(data)
		if err != nil {
			require.ErrorIs(t, err, keys.ErrInvalidAttributes)
			return
		}
		_, err = keys.SRPVerifier(kek, a.UserID, a.Salt)
		require.NoError(t, err, "accepted attributes a session refuses")
	})
}
