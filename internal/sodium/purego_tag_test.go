//go:build purego

package sodium

// puregoTag is set under -tags purego, which also switches golang.org/x/crypto
// to its generic code: its buffer-overlap checks then move caller buffers to
// the heap, so allocation counts are only asserted without the tag.
const puregoTag = true
