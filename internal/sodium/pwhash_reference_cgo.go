//go:build cgo && !purego

package sodium

/*
#include <sodium.h>
*/
import "C"

// ReferencePwhash is the bare crypto_pwhash call (Argon2id13) with no checks
// and no error mapping, for benchmarks that measure the wrapper's overhead.
// Callers must pass valid sizes and params.
func ReferencePwhash(out, password, salt []byte, opsLimit, memLimit uint64) int {
	return int(C.crypto_pwhash(ptr(out), C.ulonglong(len(out)), ptrChar(password), C.ulonglong(len(password)),
		ptr(salt), C.ulonglong(opsLimit), C.size_t(memLimit), C.int(PwhashAlgArgon2id13)))
}
