package record_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/e2eekit/e2ee/internal/roundtrip"
	"github.com/e2eekit/e2ee/record"
)

// FuzzDecode: decoding a file, a collection or magic metadata never
// panics, fails only with ErrInvalid (or encoding/json's own refusal of
// invalid JSON), and what decodes encodes to JSON that decodes to the same
// encoding again. Seeded with museum's answers.
func FuzzDecode(f *testing.F) {
	for _, seed := range []struct{ name, member string }{
		{"collections-v2-diff", "diff"}, {"public-collection-diff", "diff"}, {"collections-v2", "collections"},
	} {
		b, err := roundtrip.Fixture(seed.name)
		if err != nil {
			f.Fatal(err)
		}
		var m map[string]json.RawMessage
		var list []json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil || json.Unmarshal(m[seed.member], &list) != nil {
			f.Fatalf("%s: %v", seed.name, err)
		}
		for _, raw := range list {
			f.Add([]byte(raw))
		}
	}
	f.Add([]byte(`{"version":1,"count":1,"data":"AAAA","header":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		check[record.File](t, data)
		check[record.Collection](t, data)
		check[record.Magic](t, data)
	})
}

func check[T any](t *testing.T, data []byte) {
	var v T
	err := json.Unmarshal(data, &v)
	var syntax *json.SyntaxError
	if err != nil {
		if !errors.Is(err, record.ErrInvalid) && !errors.As(err, &syntax) {
			t.Fatalf("%T: %v, want ErrInvalid", v, err)
		}
		return
	}
	once, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%T: encoding: %v", v, err)
	}
	var again T
	if err := json.Unmarshal(once, &again); err != nil {
		t.Fatalf("%T: our own encoding does not decode: %v\n%s", v, err, once)
	}
	twice, _ := json.Marshal(again)
	if !bytes.Equal(once, twice) {
		t.Fatalf("%T: encoding is not stable:\n%s\n%s", v, once, twice)
	}
}
