package stream

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/secret"
)

// withBudget sets the budget to n chunk buffers for the test and resets the
// peak counter, once streams dropped by earlier tests have returned theirs.
func withBudget(t *testing.T, n int) {
	t.Helper()
	tokensReturned(t)
	prev := SetMemoryBudget(int64(n) * EncryptedChunkSize)
	t.Cleanup(func() { SetMemoryBudget(prev) })
	budget.mu.Lock()
	budget.peak = budget.used
	budget.mu.Unlock()
}

func budgetState() (used, peak, limit, waiters int) {
	budget.mu.Lock()
	defer budget.mu.Unlock()
	return budget.used, budget.peak, budget.limitLocked(), len(budget.waiters)
}

// waitForGoroutines waits for done, failing with every goroutine's stack if
// it takes so long that something must be stuck. The limit is a hang guard
// for a deadlock, not a measurement.
func waitForGoroutines(t *testing.T, done <-chan struct{}) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		pprof.Lookup("goroutine").WriteTo(os.Stderr, 1)
		require.FailNow(t, "streams still blocked after 2 minutes: deadlock")
	}
}

// tokensReturned runs the collector until every token is back, and no
// stream is counted as in progress, as the cleanups of abandoned streams
// return theirs (hang guard as above).
func tokensReturned(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		used, _, _, _ := budgetState()
		holding := streamsHolding.Load()
		if used == 0 && holding == 0 {
			return
		}
		if time.Now().After(deadline) {
			require.FailNow(t, fmt.Sprintf("%d tokens never returned, %d streams still counted as holding one", used, holding))
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}

// The progress guarantee under load: 256 readers and writers of every kind
// share a budget far smaller than their number, a fifth of them are dropped
// mid-stream without Close, and every other one still finishes with the
// right bytes; the budget is never exceeded, and every token comes back.
func TestBudget256ConcurrentStreams(t *testing.T) {
	const streams, limit = 256, 6
	withBudget(t, limit)
	budget.mu.Lock()
	waits0 := budget.waits
	budget.mu.Unlock()
	abandoned0 := abandonedStreams.Load()
	gate.mu.Lock()
	gate.peak = gate.busy
	gate.mu.Unlock()
	key := secret.GenerateKey()
	msg := randBytes(7*testCS + 123)
	ct, h := encryptWith(t, msg, key, testCS, 0)

	var wg sync.WaitGroup
	errs := make(chan error, streams)
	dropped := 0 // abandoned streams that do not Close (kind 5 always does)
	for i := range streams {
		abandon := i%5 == 4
		if abandon && i%6 != 5 {
			dropped++
		}
		par := 1 + i%4
		wg.Go(func() {
			if err := oneStream(i%6, abandon, par, key, msg, ct, h); err != nil {
				errs <- fmt.Errorf("stream %d (kind %d, par %d, abandoned %v): %w", i, i%6, par, abandon, err)
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	waitForGoroutines(t, done)
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	tokensReturned(t)
	gate.mu.Lock()
	gatePeak, gateBusy := gate.peak, gate.busy
	gate.mu.Unlock()
	assert.LessOrEqual(t, gatePeak, runtime.GOMAXPROCS(0), "more goroutines ran cryptography at once than GOMAXPROCS")
	assert.Zero(t, gateBusy, "the crypto gate was left held")
	_, peak, lim, _ := budgetState()
	require.LessOrEqual(t, peak, lim, "peak %d tokens with a budget of %d", peak, lim)
	require.Equal(t, limit, lim, "peak %d tokens with a budget of %d", peak, lim)
	// Every abandoned stream held tokens, so all their cleanups ran; and the
	// budget was contended, so the guarantee was exercised.
	budget.mu.Lock()
	waits := budget.waits - waits0
	budget.mu.Unlock()
	// (At least: streams dropped by earlier tests may be cleaned up now.)
	require.GreaterOrEqual(t, abandonedStreams.Load()-abandoned0, int64(dropped), "cleanups of abandoned streams")
	require.NotZero(t, waits, "no stream ever waited for the budget: the test proves nothing")
	t.Logf("%d waits for a first buffer, %d abandoned streams cleaned up", waits, abandonedStreams.Load()-abandoned0)
}

var errWrongBytes = fmt.Errorf("wrong bytes")

// oneStream runs one stream of the given kind to the end, or drops it after
// its first chunk when abandon is set.
func oneStream(kind int, abandon bool, par int, key *secret.Key, msg, ct []byte, h Header) error {
	check := func(got []byte, err error) error {
		if err != nil {
			return err
		}
		if !abandon && !bytes.Equal(got, msg) {
			return errWrongBytes
		}
		return nil
	}
	switch kind {
	case 0, 1: // DecryptReader from an io.Reader, from memory
		var r *DecryptReader
		if kind == 0 {
			r, _ = newDecryptReader(bytes.NewReader(ct), h, key, testCS, par)
		} else {
			r, _ = newDecryptReaderBytes(ct, h, key, testCS, par)
		}
		if abandon {
			_, err := r.Read(make([]byte, testCS/2))
			return err
		}
		got, err := io.ReadAll(r)
		return check(got, err)
	case 2, 3: // EncryptWriter through Write, through ReadFrom
		var out bytes.Buffer
		w, wh, _ := newEncryptWriter(&out, key, testCS, par)
		if abandon {
			_, err := w.Write(msg[:3*testCS+1])
			return err
		}
		var err error
		if kind == 2 {
			_, err = w.Write(msg)
		} else {
			_, err = w.ReadFrom(bytes.NewReader(msg))
		}
		if err == nil {
			err = w.Close()
		}
		if err != nil {
			return err
		}
		return check(decryptWith(out.Bytes(), wh, key, testCS, par))
	case 4: // EncryptReader
		r, rh, _ := newEncryptReader(bytes.NewReader(msg), key, testCS, par)
		if abandon {
			_, err := r.Read(make([]byte, 10))
			return err
		}
		enc, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		return check(decryptWith(enc, rh, key, testCS, par))
	default: // a reader closed early
		r, _ := newDecryptReader(bytes.NewReader(ct), h, key, testCS, par)
		if _, err := r.Read(make([]byte, 2*testCS)); err != nil {
			return err
		}
		return r.Close()
	}
}

// A stream holding the only buffer goes on with it while another waits for
// its first, which goes on once the holder ends.
func TestBudgetWaiterProceedsWhenHolderEnds(t *testing.T) {
	withBudget(t, 1)
	key := secret.GenerateKey()
	msg := randBytes(3*testCS + 5)
	ct, h := encryptWith(t, msg, key, testCS, 0)

	a, _ := newDecryptReader(bytes.NewReader(ct), h, key, testCS, 2)
	_, err := a.Read(make([]byte, 1))
	require.NoError(t, err)
	got := make(chan []byte)
	go func() {
		b, _ := newDecryptReaderBytes(ct, h, key, testCS, 2)
		out, err := io.ReadAll(b)
		assert.NoError(t, err)
		got <- out
	}()
	for { // until b waits for its first token
		if _, _, _, waiters := budgetState(); waiters == 1 {
			break
		}
		runtime.Gosched()
	}
	// a still holds its token and goes on with it while b waits.
	rest, err := io.ReadAll(a)
	require.NoError(t, err, "holder of the only token")
	require.Equal(t, msg[1:], rest, "holder of the only token")
	done := make(chan struct{})
	var out []byte
	go func() { out = <-got; close(done) }()
	waitForGoroutines(t, done)
	require.Equal(t, msg, out, "waiter decrypted something else")
}

// A stream dropped mid-stream without Close returns its buffer: a stream
// that needs it goes on, even though nothing else runs the collector.
func TestBudgetAbandonedStreamReturnsItsBuffer(t *testing.T) {
	withBudget(t, 1)
	key := secret.GenerateKey()
	msg := randBytes(3*testCS + 5)
	ct, h := encryptWith(t, msg, key, testCS, 0)
	func() {
		w, _, _ := newEncryptWriter(io.Discard, key, testCS, 2)
		w.Write(msg) // holds the only token; dropped without Close
	}()
	done := make(chan struct{})
	go func() {
		defer close(done)
		got, err := decryptWith(ct, h, key, testCS, 2)
		assert.NoError(t, err, "after an abandoned writer")
		assert.Equal(t, msg, got, "after an abandoned writer")
	}()
	waitForGoroutines(t, done)
	tokensReturned(t)
}

// Growing and shrinking the ring keeps the slots in use in order.
func TestRingKeepsOrder(t *testing.T) {
	var r ring[int]
	vals := []int{0}
	r.add(&vals[0])
	next := 1
	var out []int
	for step := range 200 {
		if !r.full() {
			*r.nextFree() = next
			next++
			r.markUsed()
		}
		switch step % 7 {
		case 1, 4:
			if r.size() < 5 {
				v := new(int)
				r.add(v)
			}
		case 3:
			if !r.full() && r.size() > 1 {
				r.removeFree()
			}
		}
		if step%3 == 0 && !r.empty() {
			out = append(out, *r.oldest())
			r.markFree()
		}
	}
	for i, v := range out {
		require.Equal(t, i+1, v, "released %v, want 1, 2, 3, …", out)
	}
	require.GreaterOrEqual(t, len(out), 50, "values released")
}

func TestSetMemoryBudget(t *testing.T) {
	prev := SetMemoryBudget(10 * EncryptedChunkSize)
	t.Cleanup(func() { SetMemoryBudget(prev) })
	require.Equal(t, int64(10*EncryptedChunkSize), MemoryBudget(), "MemoryBudget after setting 10 buffers")
	require.Equal(t, int64(10*EncryptedChunkSize), SetMemoryBudget(10*EncryptedChunkSize+EncryptedChunkSize/2), "SetMemoryBudget: want the previous budget")
	require.Equal(t, int64(10*EncryptedChunkSize), MemoryBudget(), "budget: want whole buffers, rounded down")
	SetMemoryBudget(1)
	require.Equal(t, int64(EncryptedChunkSize), MemoryBudget(), "budget: want at least one buffer")
	SetMemoryBudget(0)
	require.Equal(t, int64(max(16, 4*runtime.GOMAXPROCS(0)))*EncryptedChunkSize, MemoryBudget(), "default budget")
}

// The cycle the package documentation names, avoided as it says: an
// EncryptWriter feeding an io.Pipe that a DecryptReader reads needs two
// streams in progress at once, so it runs under a budget of four buffers,
// however many extras the writer takes before the reader starts (and under
// smaller budgets, which leave no room for extras at all).
func TestBudgetPipeCycle(t *testing.T) {
	for _, n := range []int{4, 5, 8, 2, 3} {
		t.Run(strconv.Itoa(n), func(t *testing.T) { pipeCycle(t, n) })
	}
}

func pipeCycle(t *testing.T, buffers int) {
	withBudget(t, buffers)
	key := secret.GenerateKey()
	msg := randBytes(9*testCS + 3)
	pr, pw := io.Pipe()
	w, h, _ := newEncryptWriter(pw, key, testCS, 2)
	go func() {
		_, err := w.Write(msg)
		if err == nil {
			err = w.Close()
		}
		pw.CloseWithError(err)
	}()
	// Let the writer take every token it can (its first, then extras while
	// less than half the budget is in use, up to its ring of encDepth)
	// before the reader asks for its first.
	held := 1
	for held < encDepth && 2*(held+1) <= buffers {
		held++
	}
	for {
		if used, _, _, _ := budgetState(); used == held {
			break
		}
		runtime.Gosched()
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		r, _ := newDecryptReader(pr, h, key, testCS, 2)
		got, err := io.ReadAll(r)
		assert.NoError(t, err, "through a pipe")
		assert.Equal(t, msg, got, "through a pipe")
	}()
	waitForGoroutines(t, done)
}
