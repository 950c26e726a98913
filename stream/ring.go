package stream

// ring is the FIFO of chunk slots every reader and writer keeps.
//
// # Invariants
//
//   - slots[head], slots[head+1], …, slots[head+inUse-1] (indices mod
//     len(slots)) are in use, oldest first; the others are free, and
//     slots[(head+inUse) % len(slots)] is the next one to use.
//   - Each slot holds one budget token for as long as it is in the ring:
//     len(slots) is the number of tokens the stream holds (budget.go).
//     grow (which takes the token) is the only way in; giveBackSpare and
//     dropAll (which return it) are the only ways out.
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

// grow adds a free slot from newSlot, with a fresh token: the stream's
// first by waiting for it, a later one only while the ring is below depth
// and a token is free (budget.go). It reports whether it added one.
func (r *ring[T]) grow(depth int, newSlot func() *T) bool {
	if !r.hasSlots() {
		budget.acquire()
		streamsHolding.Add(1)
	} else if r.size() >= depth || !budget.tryAcquire() {
		return false
	}
	r.add(newSlot())
	return true
}

// giveBackSpare returns the token and buffer of a free slot while another
// stream waits for its first token, keeping the one slot the stream needs
// to go on.
func (r *ring[T]) giveBackSpare(buffer func(*T) []byte) {
	if r.size() > 1 && !r.full() && budget.contended() {
		putChunkBuf(buffer(r.removeFree()))
		budget.release(1)
	}
}

// dropAll empties the ring: settle takes each slot back from the workers,
// wipes it and returns its buffer, which goes back to the pool; then every
// token goes back to the budget.
func (r *ring[T]) dropAll(settle func(*T) []byte) {
	for _, s := range r.slots {
		putChunkBuf(settle(s))
	}
	if r.hasSlots() {
		streamsHolding.Add(-1)
	}
	budget.release(r.size())
	*r = ring[T]{}
}
