//go:build cgo && !purego

package stream

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/e2eekit/e2ee/internal/keymat"
	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/e2eekit/e2ee/secret"
)

// The benchmarks run over benchChunks real 4 MiB chunks (a 64 MiB file)
// held in memory, read through a bytes.Reader (or, for
// NewDecryptReaderBytes, straight from memory) and sent to io.Discard. They
// compare with one C call that loops over the same chunks with libsodium on
// one thread into a reused chunk buffer, measured in the same run (see
// runVsC for the metrics). Run them on a quiet machine:
//
//	go test -run '^$' -bench . -benchtime 30x ./stream
const benchChunks = 16

var benchKey = secret.GenerateKey()

type benchData struct {
	plain, ct []byte
	h         Header
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
		if err != nil {
			b.Fatal(err)
		}
		w.Write(plain)
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
		bench = &benchData{plain: plain, ct: buf.Bytes(), h: h}
	}
	return bench
}

// cDecrypt and cEncrypt time one pass of the C loop.
func cDecrypt(b *testing.B, d *benchData, out []byte) time.Duration {
	start := time.Now()
	if err := sodium.ReferenceStreamDecrypt(out, d.ct, ChunkSize, (*[HeaderSize]byte)(&d.h), keymat.Array(benchKey)); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

func cEncrypt(d *benchData, out []byte) time.Duration {
	var h [HeaderSize]byte
	start := time.Now()
	sodium.ReferenceStreamEncrypt(out, d.plain, ChunkSize, &h, keymat.Array(benchKey))
	return time.Since(start)
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
func backends(b *testing.B, f func(b *testing.B)) {
	sodium.EachBackend(func(name string) { b.Run(name, f) })
}

// runVsC runs op b.N times interleaved with the C loop cref, so that both
// see the same machine load. It reports the C loop's throughput (C_MB/s)
// and x_vs_C, the ratio of the best (fastest) C pass to the best op: other
// load on the machine can only add time, so the best of several passes is
// the least noisy estimate of each. cpu_x_vs_C is the ratio of the CPU time
// both burn in all (below 1: op spends more CPU per byte than the C loop,
// the price of the copies an io.Reader or io.Writer implies).
func runVsC(b *testing.B, bytesPerOp int, cref func() time.Duration, op func()) {
	b.SetBytes(int64(bytesPerOp))
	cref() // warm up (page faults in the C buffer)
	op()
	var cBest, goBest, cCPU, goCPU time.Duration
	b.ResetTimer()
	b.ReportAllocs()
	other := otherCPU(func() { runPairs(b, cref, op, &cBest, &goBest, &cCPU, &goCPU) })
	b.StopTimer()
	b.ReportMetric(float64(bytesPerOp)/cBest.Seconds()/1e6, "C_MB/s")
	b.ReportMetric(cBest.Seconds()/goBest.Seconds(), "x_vs_C")
	b.ReportMetric(cCPU.Seconds()/goCPU.Seconds(), "cpu_x_vs_C")
	b.ReportMetric(100*other, "other_cpu_%")
}

// runPairs is runVsC's loop: b.N interleaved passes, keeping the best of each.
func runPairs(b *testing.B, cref func() time.Duration, op func(), cBest, goBest, cCPU, goCPU *time.Duration) {
	for i := range b.N {
		b.StopTimer()
		c0 := cpuTime()
		ct := cref()
		c1 := cpuTime()
		b.StartTimer()
		start := time.Now()
		op()
		gt := time.Since(start)
		*goCPU += cpuTime() - c1
		*cCPU += c1 - c0
		if i == 0 || ct < *cBest {
			*cBest = ct
		}
		if i == 0 || gt < *goBest {
			*goBest = gt
		}
	}
}

// BenchmarkCLoop2Decrypt is the machine's reference for two cores: the C
// loop on two pthreads at once against the same loop on one, interleaved.
// x_vs_C is the two threads' combined throughput over one thread's.
func BenchmarkCLoop2Decrypt(b *testing.B) {
	d := getBench(b)
	out1, out2 := make([]byte, ChunkSize), make([]byte, ChunkSize)
	two := func() time.Duration {
		start := time.Now()
		if err := sodium.ReferenceStreamDecrypt2(out1, out2, d.ct, ChunkSize, (*[HeaderSize]byte)(&d.h), keymat.Array(benchKey)); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	var oneBest, twoBest time.Duration
	other := otherCPU(func() {
		for i := range b.N {
			t1, t2 := cDecrypt(b, d, out1), two()
			if i == 0 || t1 < oneBest {
				oneBest = t1
			}
			if i == 0 || t2 < twoBest {
				twoBest = t2
			}
		}
	})
	b.ReportMetric(float64(len(d.plain))/oneBest.Seconds()/1e6, "C_MB/s")
	b.ReportMetric(2*oneBest.Seconds()/twoBest.Seconds(), "x_vs_C")
	b.ReportMetric(100*other, "other_cpu_%")
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
	cEncrypt(d, out)
	b.ResetTimer()
	for range b.N {
		cEncrypt(d, out)
	}
}

// benchDecrypt runs a decrypting reader over the benchmark file read from a
// bytes.Reader into io.Discard, on each backend, against the C loop.
func benchDecrypt(b *testing.B, open func(src io.Reader, d *benchData) (io.Reader, error)) {
	backends(b, func(b *testing.B) {
		d := getBench(b)
		out := make([]byte, ChunkSize)
		src := bytes.NewReader(d.ct)
		runVsC(b, len(d.plain), func() time.Duration { return cDecrypt(b, d, out) }, func() {
			src.Reset(d.ct)
			r, err := open(src, d)
			if err != nil {
				b.Fatal(err)
			}
			if n, err := io.Copy(io.Discard, r); err != nil || n != int64(len(d.plain)) {
				b.Fatal(n, err)
			}
		})
	})
}

func BenchmarkDecryptReader(b *testing.B) {
	benchDecrypt(b, func(src io.Reader, d *benchData) (io.Reader, error) { return NewDecryptReader(src, d.h, benchKey) })
}

func BenchmarkDecryptReaderBytes(b *testing.B) {
	backends(b, func(b *testing.B) {
		d := getBench(b)
		out := make([]byte, ChunkSize)
		runVsC(b, len(d.plain), func() time.Duration { return cDecrypt(b, d, out) }, func() {
			r, err := NewDecryptReaderBytes(d.ct, d.h, benchKey)
			if err != nil {
				b.Fatal(err)
			}
			if n, err := io.Copy(io.Discard, r); err != nil || n != int64(len(d.plain)) {
				b.Fatal(n, err)
			}
		})
	})
}

func BenchmarkDecryptReaderSequential(b *testing.B) {
	benchDecrypt(b, func(src io.Reader, d *benchData) (io.Reader, error) {
		return newDecryptReader(src, d.h, benchKey, ChunkSize, 1)
	})
}

func BenchmarkEncryptWriter(b *testing.B) {
	backends(b, func(b *testing.B) {
		d := getBench(b)
		out := make([]byte, EncryptedChunkSize)
		src := bytes.NewReader(d.plain)
		runVsC(b, len(d.plain), func() time.Duration { return cEncrypt(d, out) }, func() {
			src.Reset(d.plain)
			w, _, err := NewEncryptWriter(io.Discard, benchKey)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(w, src); err != nil {
				b.Fatal(err)
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
		})
	})
}

func BenchmarkEncryptReader(b *testing.B) {
	backends(b, func(b *testing.B) {
		d := getBench(b)
		out := make([]byte, EncryptedChunkSize)
		src := bytes.NewReader(d.plain)
		runVsC(b, len(d.plain), func() time.Duration { return cEncrypt(d, out) }, func() {
			src.Reset(d.plain)
			r, _, err := NewEncryptReader(src, benchKey)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, r); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// onlyReader hides WriteTo, so that io.Copy goes through Read with its own
// 32 KiB buffer, as code that is not io.Copy-aware does.
type onlyReader struct{ io.Reader }

func BenchmarkDecryptReaderRead32K(b *testing.B) {
	d := getBench(b)
	out := make([]byte, ChunkSize)
	src := bytes.NewReader(d.ct)
	buf := make([]byte, 32<<10)
	runVsC(b, len(d.plain), func() time.Duration { return cDecrypt(b, d, out) }, func() {
		src.Reset(d.ct)
		r, err := NewDecryptReader(src, d.h, benchKey)
		if err != nil {
			b.Fatal(err)
		}
		if n, err := io.CopyBuffer(io.Discard, onlyReader{r}, buf); err != nil || n != int64(len(d.plain)) {
			b.Fatal(n, err)
		}
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
