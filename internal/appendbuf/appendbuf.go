// Package appendbuf holds the one helper behind the SDK's append-style APIs.
package appendbuf

// Grow extends dst by n bytes, reallocating only when its capacity is too
// small, and returns the whole slice and its new n-byte tail.
func Grow(dst []byte, n int) (whole, tail []byte) {
	total := len(dst) + n
	if cap(dst) >= total {
		whole = dst[:total]
	} else {
		whole = make([]byte, total)
		copy(whole, dst)
	}
	return whole, whole[len(dst):]
}
