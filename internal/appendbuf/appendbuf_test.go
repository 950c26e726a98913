package appendbuf

import (
	"bytes"
	"testing"
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
		if len(whole) != tt.len+tt.n || len(tail) != tt.n {
			t.Errorf("%+v: len(whole) = %d, len(tail) = %d", tt, len(whole), len(tail))
		}
		if !bytes.Equal(whole[:tt.len], prefix) {
			t.Errorf("%+v: prefix not kept", tt)
		}
		if tt.n > 0 && &tail[0] != &whole[tt.len] {
			t.Errorf("%+v: tail is not the end of whole", tt)
		}
		if tt.len+tt.n > 0 && tt.cap > 0 && (&whole[0] == &dst[:1][0]) != tt.inPlace {
			t.Errorf("%+v: in place = %v, want %v", tt, !tt.inPlace, tt.inPlace)
		}
	}
}
