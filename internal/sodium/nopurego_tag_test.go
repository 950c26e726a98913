//go:build !purego

package sodium

// puregoTag: see purego_tag_test.go.
const puregoTag = false
