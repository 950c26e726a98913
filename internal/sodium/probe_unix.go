//go:build unix

package sodium

import "golang.org/x/sys/unix"

// probeMemory maps (without touching) and unmaps memLimit bytes plus slack,
// and reports whether the mapping succeeded.
func probeMemory(memLimit uint64) bool {
	n := memLimit + probeSlack(memLimit)
	if n != uint64(int(n)) || int(n) < 0 {
		return false
	}
	b, err := unix.Mmap(-1, 0, int(n), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		return false
	}
	unix.Munmap(b)
	return true
}
