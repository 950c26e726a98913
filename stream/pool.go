package stream

// The process-wide worker pool that runs the cryptography of every stream.
//
// # Ownership rules
//
//   - A task is handed to the pool with submit, and a worker goroutine calls
//     its run exactly once, in submission order (FIFO across all streams).
//     (A decryptChunk's run does nothing if its owner claimed the chunk
//     first: see decrypt.go.)
//   - A task never blocks: it pulls or seals chunks whose buffers and
//     states its stream already holds, and signals completion on a
//     buffered channel that always has room. So the pool always drains, and
//     a stream (or its cleanup) that waits for one of its tasks waits only
//     for cryptography, never for another stream or the budget.
//   - At most GOMAXPROCS workers run at once. A worker exits when the queue
//     is empty, so an idle process has no pool goroutines, and a worker is
//     started by submit when fewer than GOMAXPROCS run.
//   - Tasks only touch memory their stream has handed over with submit; the
//     stream takes it back by receiving the task's completion signal (or, for
//     a decryptChunk, by winning its claim: see decrypt.go).

import (
	"runtime"
	"sync"
)

// task is one unit of work for the pool.
type task interface{ run() }

type workerPool struct {
	mu      sync.Mutex
	queue   []task // circular: queue[head : head+count] (mod len) wait to run
	head    int
	count   int
	running int // worker goroutines started and not yet exited
}

var workers workerPool

func (p *workerPool) submit(t task) {
	p.mu.Lock()
	if p.count == len(p.queue) {
		grown := make([]task, max(16, 2*len(p.queue)))
		for i := range p.count {
			grown[i] = p.queue[(p.head+i)%len(p.queue)]
		}
		p.queue, p.head = grown, 0
	}
	p.queue[(p.head+p.count)%len(p.queue)] = t
	p.count++
	start := p.running < runtime.GOMAXPROCS(0)
	if start {
		p.running++
	}
	p.mu.Unlock()
	if start {
		go p.work()
	}
}

func (p *workerPool) work() {
	for {
		p.mu.Lock()
		if p.count == 0 {
			p.running--
			p.mu.Unlock()
			return
		}
		t := p.queue[p.head]
		p.queue[p.head] = nil // the pool must not keep a finished stream alive
		p.head = (p.head + 1) % len(p.queue)
		p.count--
		p.mu.Unlock()
		t.run()
	}
}

// cryptoGate lets at most GOMAXPROCS goroutines run cryptography at once,
// counting the pool's workers and the owners that open a chunk themselves:
// with many streams, owners opening their own chunks beside the workers
// would otherwise put a dozen 4 MiB working sets on two cores, which
// measured slower per byte than taking turns. A goroutine holds the gate
// only for one seal or open, which never waits on anything, so waiting
// for the gate only ever waits for cryptography.
type cryptoGate struct {
	mu   sync.Mutex
	cond *sync.Cond
	busy int
	peak int // highest busy seen (for tests)
}

var gate = func() *cryptoGate {
	g := new(cryptoGate)
	g.cond = sync.NewCond(&g.mu)
	return g
}()

func (g *cryptoGate) enter() {
	g.mu.Lock()
	for g.busy >= runtime.GOMAXPROCS(0) {
		g.cond.Wait()
	}
	g.busy++
	g.peak = max(g.peak, g.busy)
	g.mu.Unlock()
}

func (g *cryptoGate) leave() {
	g.mu.Lock()
	g.busy--
	g.mu.Unlock()
	g.cond.Signal()
}
