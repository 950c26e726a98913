package stream

// The process-wide memory budget: how many chunk buffers all readers and
// writers together may hold.
//
// # Ownership rules
//
//   - The budget counts tokens. A token is the right to hold one chunk
//     buffer (at most EncryptedChunkSize bytes). Every stream holds exactly
//     one token per slot in its ring (see ring.go): len(ring.slots) is the
//     number of tokens it holds, whether or not a slot's buffer has been
//     allocated yet (a slot may start with a small buffer and grow).
//   - A stream takes its FIRST token with acquire, which blocks until one is
//     free. It takes every further (extra) token with tryAcquire, which never
//     blocks, fails while any stream is waiting for its first token (a
//     stream that already holds one can make progress with it alone, so
//     waiters go first), and succeeds only while less than half the budget
//     is in use. So extra tokens never add up to half the budget, and the
//     other half is always left for first tokens: extras cannot starve a
//     stream that others depend on (see the cycle below).
//   - A stream gives back its extra tokens (all but one) as soon as a slot
//     is free and someone is waiting, and all of them when it ends: at the
//     end of its data, on its first error, on Close, or, if it becomes
//     unreachable without any of those, from a runtime cleanup.
//   - The buffers themselves come from chunkPool and go back to it with
//     their token; only the tokens are bounded.
//
// # Progress guarantee
//
// A stream waiting for its first token blocks until a token is released.
// A stream holding a token always goes on with it: nothing it does after
// that waits on the budget (extra tokens are only ever tried), and the
// worker pool (pool.go) never waits on anything. A stream dropped without
// Close returns its tokens once the garbage collector finds it; a waiter
// that waits long forces a collection (gcNudge) so that a process whose
// only garbage is abandoned streams does not wait forever.
//
// (The order in which streams wait does not matter for this: tokens go to
// waiters first come, first served, and a stream never waits while it
// holds a token.)
//
// What can still wait forever is a cycle through the caller: a goroutine
// that consumes stream A and is blocked on stream B, while B waits for its
// first token and every token is held by A and streams like it that cannot
// go on until B does. For example, one goroutine that opens more files than
// the budget allows and reads them in lockstep (a merge, an archive writer
// that interleaves), or an EncryptWriter writing into an io.Pipe whose
// reading end feeds a DecryptReader, under a budget of one token. Such a
// cycle of k streams holds at most k-1 first tokens plus the extras, which
// stay below half the budget; so a budget of at least 2k tokens never
// leaves its last stream waiting. A caller avoids the cycle by finishing or
// closing a stream before it needs the next one, or by setting a budget
// (SetMemoryBudget) of at least twice as many chunk buffers as streams that
// must be in progress at the same time.

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/e2eekit/e2ee/internal/sodium"
)

// defaultBudgetBuffers is the default budget in chunk buffers: four per
// core, enough for one stream per core with its whole ring (see
// maxDecryptDepth) or for many streams at one buffer each, and at least 16
// (64 MiB) so that a few files in flight at once never wait on small
// machines.
func defaultBudgetBuffers() int { return max(16, 4*runtime.GOMAXPROCS(0)) }

// SetMemoryBudget sets how many bytes of chunk buffers all the readers and
// writers of this package may hold at once, process-wide, and returns the
// previous budget. The budget is counted in whole chunk buffers
// (EncryptedChunkSize bytes each, rounded down, at least one); bytes <= 0
// restores the default of four buffers per GOMAXPROCS (as it is when the
// budget is first used), at least 16 (64 MiB).
//
// Every stream in progress holds at least one buffer of the budget, from
// its first Read, Write or ReadFrom until it ends, fails or is closed; a
// stream that needs its first buffer while the budget is spent waits for
// one. Streams take more buffers, up to what their parallelism can use, only
// while nobody is waiting and at most half the budget is in use. Lowering
// the budget takes nothing away from streams in progress: it applies as
// buffers are returned.
//
// A goroutine that must keep streams in progress at once that depend on
// each other needs a budget of at least twice as many buffers as there are
// such streams, or it may wait forever: see the package documentation.
func SetMemoryBudget(bytes int64) (previous int64) {
	n := defaultBudgetBuffers()
	if bytes > 0 {
		n = int(max(1, min(bytes/EncryptedChunkSize, 1<<30)))
	}
	return int64(budget.setLimit(n)) * EncryptedChunkSize
}

// MemoryBudget returns the current budget in bytes (see SetMemoryBudget).
func MemoryBudget() int64 {
	budget.mu.Lock()
	defer budget.mu.Unlock()
	return int64(budget.limitLocked()) * EncryptedChunkSize
}

// tokenBudget is a counting semaphore with a FIFO of blocked acquirers.
type tokenBudget struct {
	mu       sync.Mutex
	limit    int             // 0: not yet set, use defaultBudgetBuffers
	used     int             // tokens held by streams
	peak     int             // highest used since the last resetPeak (for tests)
	waiters  []chan struct{} // blocked acquirers, oldest first; each is sent one token
	releases uint64          // calls to release, so that waiters can tell tokens flow
	waits    uint64          // acquires that had to wait (for tests and curiosity)
}

// abandonedStreams counts the streams whose tokens a runtime cleanup
// returned: streams dropped without Close before their end.
var abandonedStreams atomic.Int64

var budget tokenBudget

// streamsHolding counts the streams that hold at least one token (from a
// ring's first token to its dropAll): the streams in progress.
var streamsHolding atomic.Int32

// gcNudge is how long a blocked acquire waits without any token being
// returned before it forces a garbage collection, in case the tokens it
// waits for are held by abandoned streams whose cleanups only a collection
// can run. It doubles while the wait goes on, up to a second.
const gcNudge = 50 * time.Millisecond

func (b *tokenBudget) limitLocked() int {
	if b.limit == 0 {
		b.limit = defaultBudgetBuffers()
	}
	return b.limit
}

func (b *tokenBudget) setLimit(n int) int {
	b.mu.Lock()
	prev := b.limitLocked()
	b.limit = n
	b.wakeLocked()
	b.mu.Unlock()
	return prev
}

// acquire takes one token, waiting for it if there is none. Only a
// stream's first token may be taken this way (see the ownership rules).
func (b *tokenBudget) acquire() {
	b.mu.Lock()
	if len(b.waiters) == 0 && b.used < b.limitLocked() {
		b.takeLocked()
		b.mu.Unlock()
		return
	}
	ch := make(chan struct{}, 1)
	b.waiters = append(b.waiters, ch)
	b.waits++
	seen := b.releases
	b.mu.Unlock()
	wait := gcNudge
	for {
		t := time.NewTimer(wait)
		select {
		case <-ch:
			t.Stop()
			return // the releaser counted the token as ours
		case <-t.C:
		}
		b.mu.Lock()
		stuck := b.releases == seen
		seen = b.releases
		b.mu.Unlock()
		if stuck {
			// No stream has returned a token for a while: perhaps the
			// holders are garbage, and only a collection runs their
			// cleanups. While tokens flow, there is no need.
			runtime.GC()
			wait = min(2*wait, time.Second)
		}
	}
}

// tryAcquire takes an extra token if nobody waits for a first token and
// less than half the budget is in use (see the ownership rules).
func (b *tokenBudget) tryAcquire() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.waiters) > 0 || 2*(b.used+1) > b.limitLocked() {
		return false
	}
	b.takeLocked()
	return true
}

// contended reports whether a stream waits for its first token. The answer
// may be stale by the time the caller acts on it; that only moves when an
// extra token goes back by one chunk.
func (b *tokenBudget) contended() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.waiters) > 0
}

func (b *tokenBudget) release(n int) {
	if n == 0 {
		return
	}
	b.mu.Lock()
	b.used -= n
	b.releases++
	b.wakeLocked()
	b.mu.Unlock()
}

func (b *tokenBudget) takeLocked() {
	b.used++
	b.peak = max(b.peak, b.used)
}

// wakeLocked hands free tokens to waiters, oldest first.
func (b *tokenBudget) wakeLocked() {
	for len(b.waiters) > 0 && b.used < b.limitLocked() {
		b.takeLocked()
		b.waiters[0] <- struct{}{}
		b.waiters[0] = nil
		b.waiters = b.waiters[1:]
	}
	if len(b.waiters) == 0 {
		b.waiters = nil // drop the backing array that [1:] leaves behind
	}
}

// chunkPool recycles whole chunk buffers between readers and writers:
// writing into fresh memory costs page faults that cut throughput
// several-fold, and a new buffer per file would make every file pay them.
// A buffer goes back to the pool only once no goroutine can touch it. The
// pool holds memory nobody has a token for; the garbage collector may free
// it.
var chunkPool sync.Pool

// hr is the room every chunk buffer keeps in front of its chunk, which the
// pure-Go backend uses to seal and open in place (sodium.PushBuf/PullBuf):
// a chunk's bytes start at buf[hr]. The libsodium backend ignores it.
const hr = sodium.SecretstreamHeadroom

// chunkBufSize is a whole chunk buffer: headroom and an encrypted chunk.
const chunkBufSize = hr + EncryptedChunkSize

func getChunkBuf(n int) []byte {
	if n == chunkBufSize {
		if p, ok := chunkPool.Get().(*[]byte); ok {
			return *p
		}
	}
	return make([]byte, n)
}

func putChunkBuf(b []byte) {
	if len(b) == chunkBufSize {
		chunkPool.Put(&b)
	}
}
