package sodium

import (
	"encoding/binary"

	"github.com/minio/blake2b-simd"
)

// kdfDeriveFromKeyGo is crypto_kdf_derive_from_key as libsodium defines it:
// BLAKE2b of the empty message with key, output length n, salt =
// LE64(id) ‖ 0^8 and personal = context ‖ 0^8. x/crypto's blake2b cannot
// set salt or personal; minio/blake2b-simd (what Ente's Go CLI uses) can.
// The hash object keeps a copy of the key that cannot be cleared: best
// effort, like every key the Go heap has held.
func kdfDeriveFromKeyGo(n int, id uint64, context string, key *[KDFKeyBytes]byte) ([]byte, error) {
	var salt, person [16]byte
	binary.LittleEndian.PutUint64(salt[:8], id)
	copy(person[:], context)
	h, err := blake2b.New(&blake2b.Config{Size: uint8(n), Key: key[:], Salt: salt[:], Person: person[:]})
	if err != nil { // unreachable: the caller checked n
		return nil, ErrSize
	}
	return h.Sum(nil), nil
}
