package keys_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/e2eekit/e2ee/keys"
)

// FuzzSRPServerAnswers feeds arbitrary B and M2 to a session: never a
// panic (go-srp's SetB panics outside 1..N-1), a bad B is ErrInvalidSRPB,
// and a random M2 is refused with ErrSRPServerProof.
func FuzzSRPServerAnswers(f *testing.F) {
	kek, err := keys.NewKEK(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		f.Fatal(err)
	}
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
		if err != nil {
			t.Fatal(err)
		}
		m1, err := s.M1(b)
		if err != nil {
			if !errors.Is(err, keys.ErrInvalidSRPB) {
				t.Fatalf("M1: %v, want ErrInvalidSRPB", err)
			}
			return
		}
		if len(m1) != keys.SRPProofSize {
			t.Fatalf("M1 of %d bytes", len(m1))
		}
		if _, err := s.Verify(m2); !errors.Is(err, keys.ErrSRPServerProof) {
			t.Fatalf("Verify of a fuzzed M2: %v, want ErrSRPServerProof", err)
		}
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
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := keys.ParseSRPAttributes(data)
		if err != nil {
			if !errors.Is(err, keys.ErrInvalidAttributes) {
				t.Fatalf("error %v does not wrap ErrInvalidAttributes", err)
			}
			return
		}
		if _, err := keys.SRPVerifier(kek, a.UserID, a.Salt); err != nil {
			t.Fatalf("accepted attributes a session refuses: %v", err)
		}
	})
}
