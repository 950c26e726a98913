//go:build purego

package sodium

// PuregoTag reports a build with -tags purego. That tag also switches
// golang.org/x/crypto to its generic code (no assembly), whose
// buffer-overlap checks move callers' buffers to the heap: tests assert
// allocation counts only without it (CGO_ENABLED=0 keeps x/crypto's
// assembly and allocates no more than libsodium's backend).
const PuregoTag = true
