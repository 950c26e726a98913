package sodium

import "errors"

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
	// PwhashMemLimitMax is crypto_pwhash_memlimit_max on 64-bit platforms:
	// 2^32-1 KiB blocks, rounded down to a whole number of KiB.
	PwhashMemLimitMax = 4398046510080
)

// ErrNoMemory reports that Argon2's memory could not be allocated.
var ErrNoMemory = errors.New("sodium: argon2 memory allocation failed")

// ErrPwhash reports any other crypto_pwhash failure (out-of-range params).
var ErrPwhash = errors.New("sodium: crypto_pwhash failed")

// Pwhash is crypto_pwhash with crypto_pwhash_ALG_ARGON2ID13, writing len(out)
// bytes. Memory exhaustion is reported as ErrNoMemory so that callers can
// retry with a smaller memLimit. Under the pure-Go backend that report
// comes from a probe before deriving (see pwhashGo): best effort.
func Pwhash(out, password []byte, salt *[PwhashSaltBytes]byte, opsLimit uint64, memLimit uint64) error {
	if len(out) < 16 || uint64(len(out)) > 1<<32-1 || opsLimit < PwhashOpsLimitMin || opsLimit > PwhashOpsLimitMax ||
		memLimit < PwhashMemLimitMin || uint64(len(password)) > PwhashPasswdBytesMax {
		return ErrPwhash
	}
	if memLimit > PwhashMemLimitMax {
		return ErrNoMemory
	}
	if err := pwhash(out, password, salt, opsLimit, memLimit); err != nil {
		clear(out)
		return err
	}
	return nil
}
