package roundtrip

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCheckFindsDifferences: a type that drops, adds or changes a member
// fails the check, naming it.
func TestCheckFindsDifferences(t *testing.T) {
	type lossy struct {
		ID int64 `json:"id"`
	}
	type extra struct {
		ID   int64 `json:"id"`
		Name string
	}
	type rounding struct {
		ID float64 `json:"id"`
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{Check[lossy]([]byte(`{"id":1,"a":{"b":2}}`)), ".a: lost"},
		{Check[extra]([]byte(`{"id":1}`)), ".Name: added"},
		{Check[rounding]([]byte(`{"id":1795791431560231123}`)), ".id: server sent"},
		{Check[map[string]any]([]byte(`{"id":`)), "decoding"},
	} {
		assert.ErrorContains(t, tc.err, tc.want)
	}
	assert.NoError(t, Check[map[string]any]([]byte(`{"id":1,"a":[{"b":null}]}`)), "an exact copy")
}
