package sodium

/*
#include <sodium.h>
*/
import "C"

import (
	"errors"
	"syscall"
	"unsafe"
)

// Argon2id limits and presets as libsodium defines them.
const (
	PwhashSaltBytes      = 16
	PwhashOpsLimitMin    = 1
	PwhashMemLimitMin    = 8192
	PwhashOpsInteractive = 2
	PwhashMemInteractive = 64 << 20
	PwhashOpsModerate    = 3
	PwhashMemModerate    = 256 << 20
	PwhashOpsSensitive   = 4
	PwhashMemSensitive   = 1 << 30
	PwhashOpsLimitMax    = 1<<32 - 1
	PwhashPasswdBytesMax = 1<<32 - 1
	PwhashAlgArgon2id13  = 2
)

// ErrNoMemory reports that Argon2's memory could not be allocated.
var ErrNoMemory = errors.New("sodium: argon2 memory allocation failed")

// ErrPwhash reports any other crypto_pwhash failure (out-of-range params).
var ErrPwhash = errors.New("sodium: crypto_pwhash failed")

// Pwhash is crypto_pwhash with crypto_pwhash_ALG_ARGON2ID13, writing len(out)
// bytes. Memory exhaustion is reported as ErrNoMemory so that callers can
// retry with a smaller memLimit.
func Pwhash(out, password []byte, salt *[PwhashSaltBytes]byte, opsLimit uint64, memLimit uint64) error {
	if len(out) < 16 || opsLimit < PwhashOpsLimitMin || opsLimit > PwhashOpsLimitMax ||
		memLimit < PwhashMemLimitMin || uint64(len(password)) > PwhashPasswdBytesMax {
		return ErrPwhash
	}
	if memLimit > uint64(C.crypto_pwhash_memlimit_max()) {
		return ErrNoMemory
	}
	rc, errno := C.crypto_pwhash(ptr(out), C.ulonglong(len(out)),
		ptrChar(password), C.ulonglong(len(password)),
		(*C.uchar)(&salt[0]), C.ulonglong(opsLimit), C.size_t(memLimit),
		C.int(PwhashAlgArgon2id13))
	if rc != 0 {
		clear(out)
		if errors.Is(errno, syscall.ENOMEM) {
			return ErrNoMemory
		}
		return ErrPwhash
	}
	return nil
}

func ptrChar(b []byte) *C.char { return (*C.char)(unsafe.Pointer(ptr(b))) }
