//go:build !purego

package sodium

// PuregoTag: see tag_purego.go.
const PuregoTag = false
