// Package keymat lets the SDK's own packages reach the bytes behind a
// *secret.Key without copying them and without giving that power to users
// of package secret.
package keymat

// Array returns the 32-byte array behind a *secret.Key, allocating it for a
// zero Key so that new(secret.Key) can be filled in place (as pwhash and
// keys do). Package secret sets it during initialisation; it must not be
// called with anything else.
var Array func(key any) *[32]byte
