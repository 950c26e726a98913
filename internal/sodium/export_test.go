package sodium

// ForEachBackend lets the external tests run under both backends.
var ForEachBackend = forEachBackend
