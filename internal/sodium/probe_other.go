//go:build !unix

package sodium

// probeMemory cannot probe without mmap: derivation goes ahead, and an
// allocation the Go heap cannot make is fatal (documented as best effort).
func probeMemory(memLimit uint64) bool { return memLimit == uint64(uint(memLimit)) }
