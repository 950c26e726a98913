package appendbuf

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGrow(t *testing.T) {
	for _, tt := range []struct {
		len, cap, n int
		inPlace     bool
	}{
		{0, 0, 0, true},
		{0, 0, 5, false},
		{3, 3, 0, true},
		{3, 8, 5, true},
		{3, 8, 6, false},
		{3, 100, 48, true},
	} {
		dst := make([]byte, tt.len, tt.cap)
		for i := range dst {
			dst[i] = byte(i + 1)
		}
		prefix := bytes.Clone(dst)
		whole, tail := Grow(dst, tt.n)
		assert.Len(t, whole, tt.len+tt.n, "%+v: len(whole)", tt)
		assert.Len(t, tail, tt.n, "%+v: len(tail)", tt)
		assert.Equal(t, prefix, whole[:tt.len], "%+v: prefix not kept", tt)
		if tt.n > 0 {
			assert.Same(t, &whole[tt.len], &tail[0], "%+v: tail is not the end of whole", tt)
		}
		if tt.len+tt.n > 0 && tt.cap > 0 {
			assert.Equal(t, tt.inPlace, &whole[0] == &dst[:1][0], "%+v: in place", tt)
		}
	}
}
