package stream

// ring is the FIFO of chunk slots every reader and writer keeps.
//
// # Invariants
//
//   - slots[head], slots[head+1], …, slots[head+inUse-1] (indices mod
//     len(slots)) are in use, oldest first; the others are free, and
//     slots[(head+inUse) % len(slots)] is the next one to use.
//   - Each slot holds one budget token for as long as it is in the ring:
//     len(slots) is the number of tokens the stream holds (budget.go). add
//     and removeFree are the only ways in and out.
//   - The cyclic order of the slots in use never changes: add inserts the
//     new slot where the next free one would be, and removeFree takes out
//     that same free position.
type ring[T any] struct {
	slots []*T
	head  int
	inUse int
}

func (r *ring[T]) oldest() *T     { return r.slots[r.head] }
func (r *ring[T]) at(i int) *T    { return r.slots[(r.head+i)%len(r.slots)] }
func (r *ring[T]) full() bool     { return r.inUse == len(r.slots) }
func (r *ring[T]) nextFree() *T   { return r.at(r.inUse) }
func (r *ring[T]) markUsed()      { r.inUse++ }
func (r *ring[T]) size() int      { return len(r.slots) }
func (r *ring[T]) newest() *T     { return r.at(r.inUse - 1) }
func (r *ring[T]) empty() bool    { return r.inUse == 0 }
func (r *ring[T]) hasSlots() bool { return len(r.slots) > 0 }

// markFree returns the oldest slot in use to the free ones.
func (r *ring[T]) markFree() {
	r.head = (r.head + 1) % len(r.slots)
	r.inUse--
}

// add inserts s, which holds a fresh token, as the next free slot.
func (r *ring[T]) add(s *T) {
	pos := r.head + r.inUse
	if pos > len(r.slots) { // the slots in use wrap around the end
		pos -= len(r.slots)
		r.head++
	}
	r.slots = append(r.slots, nil)
	copy(r.slots[pos+1:], r.slots[pos:])
	r.slots[pos] = s
}

// removeFree takes the next free slot out of the ring (the caller returns
// its token and buffer). The ring must not be full.
func (r *ring[T]) removeFree() *T {
	pos := (r.head + r.inUse) % len(r.slots)
	s := r.slots[pos]
	copy(r.slots[pos:], r.slots[pos+1:])
	r.slots[len(r.slots)-1] = nil
	r.slots = r.slots[:len(r.slots)-1]
	if pos < r.head {
		r.head--
	}
	if len(r.slots) > 0 {
		r.head %= len(r.slots)
	} else {
		r.head = 0
	}
	return s
}
