// Package e2ee reports how this build of the SDK does its cryptography.
//
// The packages that do the work are secret, secretbox, sealed, pwhash,
// stream, keys and share (see the README). They run over one of two
// backends, chosen when the program is built, with identical bytes on the
// wire: libsodium through cgo (the default where cgo is on), or pure Go
// over golang.org/x/crypto (CGO_ENABLED=0, or -tags purego).
//
// Backend lives here, at the module's root, because the backend is a
// property of the whole build rather than of any one primitive, and the
// root is the import path every user already knows.
package e2ee

import "github.com/e2eekit/e2ee/internal/sodium"

// Backend names the cryptographic backend compiled into this program:
// "libsodium " followed by the linked library's sodium_version_string
// (e.g. "libsodium 1.0.18"), or "pure Go (golang.org/x/crypto)".
func Backend() string { return sodium.Backend() }
