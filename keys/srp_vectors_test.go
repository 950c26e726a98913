package keys

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"
)

// TestSRPVectors runs testdata/vectors/srp.json (fast-srp-hap's numbers)
// through the client session with the vector's secret exponent a: A, M1
// and the acceptance of M2 byte for byte, and the refusals of a bad B and a
// wrong M2 with their sentinels. (The conformance package checks the
// verifier and the server's role through the public API.)
func TestSRPVectors(t *testing.T) {
	raw, err := os.ReadFile("../testdata/vectors/srp.json")
	if err != nil {
		t.Fatal(err)
	}
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
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	sentinel := map[string]error{"keys.ErrInvalidSRPB": ErrInvalidSRPB, "keys.ErrSRPServerProof": ErrSRPServerProof}
	n := 0
	for _, g := range file.TestGroups {
		for _, tc := range g.Tests {
			n++
			kek, err := NewKEK(tc.KEK)
			if err != nil {
				t.Fatalf("tcId %d: %v", tc.TcID, err)
			}
			s, err := newSRPSession(kek, tc.UserID, tc.Salt, tc.SecretA)
			if err != nil {
				t.Fatalf("tcId %d: %v", tc.TcID, err)
			}
			m1, errB := s.M1(tc.B)
			switch g.Type {
			case "SrpTest":
				if lk := LoginKey(kek); !bytes.Equal(lk, tc.LoginKey) {
					t.Errorf("tcId %d (%s): login key differs", tc.TcID, tc.Comment)
				}
				if v, err := SRPVerifier(kek, tc.UserID, tc.Salt); err != nil || !bytes.Equal(v, tc.Verifier) {
					t.Errorf("tcId %d (%s): verifier differs (%v)", tc.TcID, tc.Comment, err)
				}
				if !bytes.Equal(s.A(), tc.A) {
					t.Errorf("tcId %d (%s): A differs", tc.TcID, tc.Comment)
				}
				if errB != nil || !bytes.Equal(m1, tc.M1) {
					t.Errorf("tcId %d (%s): M1 differs (%v)", tc.TcID, tc.Comment, errB)
					continue
				}
				got, err := s.Verify(tc.M2)
				if err != nil || !got.k.Equal(&kek.k) {
					t.Errorf("tcId %d (%s): Verify(M2): %v", tc.TcID, tc.Comment, err)
				}
			case "SrpBadBTest":
				if !errors.Is(errB, sentinel[tc.Error]) || tc.Error != "keys.ErrInvalidSRPB" {
					t.Errorf("tcId %d (%s): M1: %v, want %s", tc.TcID, tc.Comment, errB, tc.Error)
				}
			case "SrpBadM2Test":
				if errB != nil || !bytes.Equal(m1, tc.M1) {
					t.Errorf("tcId %d (%s): M1 differs (%v)", tc.TcID, tc.Comment, errB)
					continue
				}
				if _, err := s.Verify(tc.M2); !errors.Is(err, sentinel[tc.Error]) || tc.Error != "keys.ErrSRPServerProof" {
					t.Errorf("tcId %d (%s): Verify: %v, want %s", tc.TcID, tc.Comment, err, tc.Error)
				}
			default:
				t.Errorf("unknown group type %q", g.Type)
			}
			kek.Destroy()
		}
	}
	if n < 18 {
		t.Errorf("ran %d vectors, want at least 18", n)
	}
}
