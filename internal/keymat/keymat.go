// Package keymat lets the SDK's own packages reach the bytes behind a
// *secret.Key without copying them and without giving that power to users
// of package secret.
package keymat

// Array returns the 32-byte array behind a *secret.Key. Package secret sets
// it during initialisation; it must not be called with anything else.
var Array func(key any) *[32]byte
