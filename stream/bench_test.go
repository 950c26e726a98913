//go:build cgo && !purego

package stream

import (
	"bytes"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/e2eekit/e2ee/internal/keymat"
	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/e2eekit/e2ee/internal/sodiumref"
	"github.com/e2eekit/e2ee/secret"
)

// The benchmarks run over benchChunks real 4 MiB chunks (a 64 MiB file)
// held in memory, read through a bytes.Reader (or, for
// NewDecryptReaderBytes, straight from memory) and sent to io.Discard. They
// compare, in the same run, with C programs over libsodium on the same
// chunks (internal/sodiumref): one thread looping over the chunks into a
// reused buffer (the "C loop", pushing or pulling), and, for decryption,
// libsodium's pull on two pthreads that build their states from the MACs
// as the SDK does (the machine's best for two cores); the pure-Go
// backend's rows also run the bare x/crypto loops that bound it
// (bareGoSeal, bareGoOpen). See runVsRefs for the metrics. Each stream
// benchmark runs on both backends (sub-benchmarks libsodium and go) and
// reports the share of the machine's CPU that other processes used while it
// ran: figures taken on a busy machine say little.
// Run them on a quiet machine:
//
//	go test -run '^$' -bench . -benchtime 30x ./stream
const benchChunks = 16

var benchKey = secret.GenerateKey()

type benchData struct {
	plain, ct []byte
	h         Header
	bareCT    [][]byte // x/crypto's AEAD over block ‖ chunk, for bareGoOpen
}

var bench *benchData

func getBench(b *testing.B) *benchData {
	if bench == nil {
		plain := make([]byte, benchChunks*ChunkSize)
		for i := range plain {
			plain[i] = byte(i * 7)
		}
		var buf bytes.Buffer
		w, h, err := NewEncryptWriter(&buf, benchKey)
		require.NoError(b, err)
		_, err = w.Write(plain)
		require.NoError(b, err)
		require.NoError(b, w.Close())
		bench = &benchData{plain: plain, ct: buf.Bytes(), h: h}
	}
	return bench
}

// cDecrypt, cDecrypt2 and cEncrypt time one pass of a C reference: the
// pull loop on one thread, libsodium's pull on two pthreads, the push loop.
func cDecrypt(b *testing.B, d *benchData, out []byte) time.Duration {
	start := time.Now()
	require.NoError(b, sodiumref.PullLoop(out, d.ct, ChunkSize, (*[HeaderSize]byte)(&d.h), keymat.Array(benchKey)))
	return time.Since(start)
}

func cDecrypt2(b *testing.B, d *benchData, out0, out1 []byte) time.Duration {
	start := time.Now()
	require.NoError(b, sodiumref.PullTwoThreads(d.ct, ChunkSize, (*[HeaderSize]byte)(&d.h), keymat.Array(benchKey), out0, out1))
	return time.Since(start)
}

func cEncrypt(b *testing.B, d *benchData, out []byte) time.Duration {
	var h [HeaderSize]byte
	start := time.Now()
	require.NoError(b, sodiumref.PushLoop(out, d.plain, ChunkSize, &h, keymat.Array(benchKey)))
	return time.Since(start)
}

// The bare x/crypto loops bound what the pure-Go backend can do, as the C
// loop does for libsodium: the same chunks through x/crypto's fused
// ChaCha20-Poly1305 with nothing around it. bareGoSeal seals each chunk out
// of the file's memory into one reused buffer on one goroutine (sealing a
// stream is sequential: a chunk's nonce holds the previous chunk's MAC).
// bareGoOpen opens the chunks on len(bufs) goroutines, each copying its
// chunk behind a 64-byte block into its own buffer and opening it in place:
// the least work the pure-Go backend can do per chunk (secretstream's
// layout needs that copy; see internal/sodium/secretstream_go.go).
const bareInSize = 64 + ChunkSize + 16

var bareAEAD, _ = chacha20poly1305.New(make([]byte, chacha20poly1305.KeySize))

func bareGoSeal(d *benchData, out []byte) time.Duration {
	var nonce [chacha20poly1305.NonceSize]byte
	start := time.Now()
	for m := d.plain; len(m) > 0; m = m[ChunkSize:] {
		bareAEAD.Seal(out[:0], nonce[:], m[:ChunkSize], nil)
	}
	return time.Since(start)
}

// bareCiphertexts makes, once, the chunks bareGoOpen opens.
func bareCiphertexts(d *benchData) {
	if d.bareCT != nil {
		return
	}
	var nonce [chacha20poly1305.NonceSize]byte
	for m := d.plain; len(m) > 0; m = m[ChunkSize:] {
		d.bareCT = append(d.bareCT, bareAEAD.Seal(nil, nonce[:], append(make([]byte, 64), m[:ChunkSize]...), nil))
	}
}

func bareGoOpen(b *testing.B, d *benchData, bufs [][]byte) time.Duration {
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, len(bufs))
	for g, buf := range bufs {
		wg.Go(func() {
			var nonce [chacha20poly1305.NonceSize]byte
			for i := g; i < len(d.bareCT) && errs[g] == nil; i += len(bufs) {
				copy(buf, d.bareCT[i])
				_, errs[g] = bareAEAD.Open(buf[:0], nonce[:], buf, nil)
			}
		})
	}
	wg.Wait()
	t := time.Since(start)
	for _, err := range errs {
		require.NoError(b, err)
	}
	return t
}

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// machineBusy returns the busy and total jiffies of all CPUs (/proc/stat),
// or zeros where there is no /proc.
func machineBusy() (busy, total float64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal ...
	for i := 1; i < len(f) && i <= 8; i++ {
		v, _ := strconv.ParseFloat(f[i], 64)
		total += v
		if i != 4 && i != 5 { // idle, iowait
			busy += v
		}
	}
	return busy, total
}

// otherCPU measures, around f, the share of the machine's CPU time spent
// by other processes (0..1): all CPUs' busy time less this process's, over
// all CPUs' time. A quiet machine gives about 0; ratios measured while it
// is high are suspect. Jiffies are USER_HZ = 100 per second.
func otherCPU(f func()) float64 {
	b0, t0 := machineBusy()
	c0 := cpuTime()
	f()
	b1, t1 := machineBusy()
	if t1 <= t0 {
		return 0
	}
	own := (cpuTime() - c0).Seconds() * 100
	return max(0, (b1-b0-own)/(t1-t0))
}

// backends runs f as one sub-benchmark per backend, libsodium then pure
// Go, so that one run measures both against the same C loop.
func backends(b *testing.B, f func(b *testing.B, backend string)) {
	sodium.EachBackend(func(name string) { b.Run(name, func(b *testing.B) { f(b, name) }) })
}

// ref is a reference a benchmark measures against: one timed pass, and the
// name in its metrics ("C" for the one-thread C loop, "C2" for the two
// pthreads, "bareGo" for the pure-Go backend's ceiling, "oneReader" for
// the concurrent readers' baseline).
type ref struct {
	name string
	pass func() time.Duration
}

// runVsRefs runs op b.N times interleaved with each reference, so that all
// see the same machine load. For each reference it reports its throughput
// (<name>_MB/s) and x_vs_<name>, the ratio of the best (fastest)
// reference pass to the best op: other load on the machine can only add
// time, so the best of several passes is the least noisy estimate of each.
// cpu_x_vs_<name> is the ratio of the CPU time the first reference and op burn
// in all (below 1: op spends more CPU per byte than the C loop, the price
// of the copies an io.Reader or io.Writer implies). other_cpu_% is the
// share of the machine's CPU that other processes used meanwhile.
func runVsRefs(b *testing.B, bytesPerOp int, refs []ref, op func()) {
	b.SetBytes(int64(bytesPerOp))
	for _, r := range refs {
		r.pass() // warm up (page faults in the C buffers)
	}
	op()
	refBest := make([]time.Duration, len(refs))
	var opBest, refCPU, opCPU time.Duration
	b.ResetTimer()
	b.ReportAllocs()
	other := otherCPU(func() {
		for i := range b.N {
			b.StopTimer()
			for j, r := range refs {
				c0 := cpuTime()
				t := r.pass()
				if j == 0 {
					refCPU += cpuTime() - c0
				}
				if i == 0 || t < refBest[j] {
					refBest[j] = t
				}
			}
			c0 := cpuTime()
			b.StartTimer()
			start := time.Now()
			op()
			t := time.Since(start)
			b.StopTimer()
			opCPU += cpuTime() - c0
			if i == 0 || t < opBest {
				opBest = t
			}
		}
	})
	for j, r := range refs {
		b.ReportMetric(float64(bytesPerOp)/refBest[j].Seconds()/1e6, r.name+"_MB/s")
		b.ReportMetric(refBest[j].Seconds()/opBest.Seconds(), "x_vs_"+r.name)
	}
	b.ReportMetric(refCPU.Seconds()/opCPU.Seconds(), "cpu_x_vs_"+refs[0].name)
	b.ReportMetric(100*other, "other_cpu_%")
}

// decryptRefs and encryptRefs are the references each kind of benchmark
// runs against: the C programs, and on the pure-Go backend (backend "go")
// the bare x/crypto loops that bound it.
func decryptRefs(b *testing.B, d *benchData, backend string, goroutines int) []ref {
	out, out0, out1 := make([]byte, ChunkSize), make([]byte, ChunkSize), make([]byte, ChunkSize)
	refs := []ref{
		{"C", func() time.Duration { return cDecrypt(b, d, out) }},
		{"C2", func() time.Duration { return cDecrypt2(b, d, out0, out1) }},
	}
	if backend == "go" {
		bareCiphertexts(d)
		bufs := make([][]byte, goroutines)
		for i := range bufs {
			bufs[i] = make([]byte, bareInSize)
		}
		refs = append(refs, ref{"bareGo", func() time.Duration { return bareGoOpen(b, d, bufs) }})
	}
	return refs
}

func encryptRefs(b *testing.B, d *benchData, backend string) []ref {
	out := make([]byte, EncryptedChunkSize)
	refs := []ref{{"C", func() time.Duration { return cEncrypt(b, d, out) }}}
	if backend == "go" {
		sealed := make([]byte, bareInSize)
		refs = append(refs, ref{"bareGo", func() time.Duration { return bareGoSeal(d, sealed) }})
	}
	return refs
}

func BenchmarkCLoopDecrypt(b *testing.B) {
	d := getBench(b)
	out := make([]byte, ChunkSize)
	b.SetBytes(int64(len(d.plain)))
	cDecrypt(b, d, out)
	b.ResetTimer()
	for range b.N {
		cDecrypt(b, d, out)
	}
}

func BenchmarkCLoopEncrypt(b *testing.B) {
	d := getBench(b)
	out := make([]byte, EncryptedChunkSize)
	b.SetBytes(int64(len(d.plain)))
	cEncrypt(b, d, out)
	b.ResetTimer()
	for range b.N {
		cEncrypt(b, d, out)
	}
}

// decryptAll copies r to io.Discard and checks that all of the benchmark
// file came out.
func decryptAll(b *testing.B, d *benchData, r io.Reader, err error) {
	require.NoError(b, err)
	n, err := io.Copy(io.Discard, r)
	require.NoError(b, err)
	require.Equal(b, int64(len(d.plain)), n)
}

// benchDecrypt runs a decrypting reader over the benchmark file read from a
// bytes.Reader into io.Discard, on each backend, against the C references.
// goroutines is the parallelism of the bare x/crypto reference.
func benchDecrypt(b *testing.B, goroutines int, open func(src io.Reader, d *benchData) (io.Reader, error)) {
	backends(b, func(b *testing.B, backend string) {
		d := getBench(b)
		src := bytes.NewReader(d.ct)
		runVsRefs(b, len(d.plain), decryptRefs(b, d, backend, goroutines), func() {
			src.Reset(d.ct)
			r, err := open(src, d)
			decryptAll(b, d, r, err)
		})
	})
}

func BenchmarkDecryptReader(b *testing.B) {
	benchDecrypt(b, runtime.GOMAXPROCS(0), func(src io.Reader, d *benchData) (io.Reader, error) { return NewDecryptReader(src, d.h, benchKey) })
}

func BenchmarkDecryptReaderBytes(b *testing.B) {
	backends(b, func(b *testing.B, backend string) {
		d := getBench(b)
		runVsRefs(b, len(d.plain), decryptRefs(b, d, backend, runtime.GOMAXPROCS(0)), func() {
			r, err := NewDecryptReaderBytes(d.ct, d.h, benchKey)
			decryptAll(b, d, r, err)
		})
	})
}

func BenchmarkDecryptReaderSequential(b *testing.B) {
	benchDecrypt(b, 1, func(src io.Reader, d *benchData) (io.Reader, error) {
		return newDecryptReader(src, d.h, benchKey, ChunkSize, 1)
	})
}

// BenchmarkEncryptWriter encrypts the file through io.Copy from a
// bytes.Reader (which hands the writer the whole file in one Write).
func BenchmarkEncryptWriter(b *testing.B) {
	backends(b, func(b *testing.B, backend string) {
		d := getBench(b)
		src := bytes.NewReader(d.plain)
		runVsRefs(b, len(d.plain), encryptRefs(b, d, backend), func() {
			src.Reset(d.plain)
			w, _, err := NewEncryptWriter(io.Discard, benchKey)
			require.NoError(b, err)
			_, err = io.Copy(w, src)
			require.NoError(b, err)
			require.NoError(b, w.Close())
		})
	})
}

// BenchmarkEncryptWriter4MiB writes the file in Writes of exactly one
// chunk, as many callers do.
func BenchmarkEncryptWriter4MiB(b *testing.B) {
	backends(b, func(b *testing.B, backend string) {
		d := getBench(b)
		runVsRefs(b, len(d.plain), encryptRefs(b, d, backend), func() {
			w, _, err := NewEncryptWriter(io.Discard, benchKey)
			require.NoError(b, err)
			for p := d.plain; len(p) > 0; p = p[ChunkSize:] {
				_, err := w.Write(p[:ChunkSize])
				require.NoError(b, err)
			}
			require.NoError(b, w.Close())
		})
	})
}

func BenchmarkEncryptReader(b *testing.B) {
	backends(b, func(b *testing.B, backend string) {
		d := getBench(b)
		src := bytes.NewReader(d.plain)
		runVsRefs(b, len(d.plain), encryptRefs(b, d, backend), func() {
			src.Reset(d.plain)
			r, _, err := NewEncryptReader(src, benchKey)
			require.NoError(b, err)
			_, err = io.Copy(io.Discard, r)
			require.NoError(b, err)
		})
	})
}

// BenchmarkConcurrentReaders decrypts one shared 16 MiB ciphertext with 8
// and 64 concurrent NewDecryptReaderBytes (several files in flight at once,
// sharing the workers and the memory budget) and compares the aggregate
// throughput with one reader decrypting it as many times in a row, in the
// same run, on the libsodium backend: x_vs_oneReader is the aggregate over
// one reader.
func BenchmarkConcurrentReaders(b *testing.B) {
	ct, h := shared16MiB(b, getBench(b))
	one := func() {
		r, err := NewDecryptReaderBytes(ct, h, benchKey)
		require.NoError(b, err)
		_, err = io.Copy(io.Discard, r)
		require.NoError(b, err)
	}
	for _, n := range []int{8, 64} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			oneAtATime := ref{"oneReader", func() time.Duration {
				start := time.Now()
				for range n {
					one()
				}
				return time.Since(start)
			}}
			runVsRefs(b, n*4*ChunkSize, []ref{oneAtATime}, func() {
				var wg sync.WaitGroup
				for range n {
					wg.Go(one)
				}
				wg.Wait()
			})
		})
	}
}

var shared struct {
	ct []byte
	h  Header
}

// shared16MiB encrypts the first 16 MiB of the benchmark plaintext once.
func shared16MiB(b *testing.B, d *benchData) ([]byte, Header) {
	if shared.ct == nil {
		var buf bytes.Buffer
		w, h, err := NewEncryptWriter(&buf, benchKey)
		require.NoError(b, err)
		_, err = w.Write(d.plain[:4*ChunkSize])
		require.NoError(b, err)
		require.NoError(b, w.Close())
		shared.ct, shared.h = buf.Bytes(), h
	}
	return shared.ct, shared.h
}

// onlyReader hides WriteTo, so that io.Copy goes through Read with its own
// 32 KiB buffer, as code that is not io.Copy-aware does.
type onlyReader struct{ io.Reader }

func BenchmarkDecryptReaderRead32K(b *testing.B) {
	d := getBench(b)
	src := bytes.NewReader(d.ct)
	buf := make([]byte, 32<<10)
	runVsRefs(b, len(d.plain), decryptRefs(b, d, "libsodium", 1)[:1], func() {
		src.Reset(d.ct)
		r, err := NewDecryptReader(src, d.h, benchKey)
		require.NoError(b, err)
		n, err := io.CopyBuffer(io.Discard, onlyReader{r}, buf)
		require.NoError(b, err)
		require.Equal(b, int64(len(d.plain)), n)
	})
}

func BenchmarkBlob(b *testing.B) {
	for _, n := range []int{64, 4096} {
		msg := make([]byte, n)
		ct, h, _ := EncryptBlob(msg, benchKey)
		b.Run("Encrypt"+strconv.Itoa(n), func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for range b.N {
				EncryptBlob(msg, benchKey)
			}
		})
		b.Run("Decrypt"+strconv.Itoa(n), func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for range b.N {
				DecryptBlob(ct, h, benchKey)
			}
		})
	}
}

func BenchmarkPushPull1K(b *testing.B) {
	msg := make([]byte, 1024)
	e, h, _ := NewEncryptor(benchKey)
	d, _ := NewDecryptor(h, benchKey)
	ct := make([]byte, 0, len(msg)+Overhead)
	pt := make([]byte, 0, len(msg))
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for range b.N {
		ct, _ = e.Push(ct[:0], msg, TagMessage)
		pt, _, _ = d.Pull(pt[:0], ct)
	}
}
