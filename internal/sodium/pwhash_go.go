package sodium

import "golang.org/x/crypto/argon2"

// pwhashGo is crypto_pwhash's Argon2id v1.3 with one lane, as libsodium
// runs it: x/crypto's argon2.IDKey with memory in KiB.
//
// x/crypto allocates Argon2's memory on the Go heap, where running out is
// fatal to the process, not an error. So the memory is first reserved and
// released with a system call that can fail cleanly (probeMemory): under an
// address-space limit (RLIMIT_AS) that refuses libsodium's mmap, the probe
// is refused too, and the caller backs off. This is best effort: the probe
// cannot reserve the memory for the derivation that follows, memory the
// kernel overcommits can still run out later (as it can for libsodium), and
// on platforms without mmap there is no probe at all.
func pwhashGo(out, password []byte, salt *[PwhashSaltBytes]byte, opsLimit uint64, memLimit uint64) error {
	if !probe(memLimit) {
		return ErrNoMemory
	}
	k := argon2.IDKey(password, salt[:], uint32(opsLimit), uint32(memLimit/1024), 1, uint32(len(out)))
	copy(out, k)
	clear(k)
	return nil
}

// probe is probeMemory; tests replace it to inject a failure.
var probe = probeMemory

// probeSlack is added to the probe: the Go heap grows in arenas and keeps
// its own metadata, so it needs somewhat more address space than Argon2's
// blocks.
func probeSlack(n uint64) uint64 { return n/8 + 64<<20 }
