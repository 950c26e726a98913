//go:build cgo && !purego

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

func pwhash(out, password []byte, salt *[PwhashSaltBytes]byte, opsLimit uint64, memLimit uint64) error {
	if pureGo {
		return pwhashGo(out, password, salt, opsLimit, memLimit)
	}
	rc, errno := C.crypto_pwhash(ptr(out), C.ulonglong(len(out)),
		ptrChar(password), C.ulonglong(len(password)),
		(*C.uchar)(&salt[0]), C.ulonglong(opsLimit), C.size_t(memLimit),
		C.int(PwhashAlgArgon2id13))
	if rc != 0 {
		if errors.Is(errno, syscall.ENOMEM) {
			return ErrNoMemory
		}
		return ErrPwhash
	}
	return nil
}

func ptrChar(b []byte) *C.char { return (*C.char)(unsafe.Pointer(ptr(b))) }
