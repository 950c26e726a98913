package record_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

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
		require.NoError(f, err)
		var m map[string]json.RawMessage
		var list []json.RawMessage
		require.NoError(f, json.Unmarshal(b, &m), seed.name)
		require.NoError(f, json.Unmarshal(m[seed.member], &list), seed.name)
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
		require.True(t, errors.Is(err, record.ErrInvalid) || errors.As(err, &syntax), "%T: %v, want ErrInvalid", v, err)
		return
	}
	once, err := json.Marshal(v)
	require.NoError(t, err, "%T: encoding", v)
	var again T
	require.NoError(t, json.Unmarshal(once, &again), "%T: our own encoding does not decode:\n%s", v, once)
	twice, _ := json.Marshal(again)
	require.Equal(t, string(once), string(twice), "%T: encoding is not stable", v) // JSON: a diff as text
}
