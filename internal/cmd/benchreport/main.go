// Command benchreport turns one `make bench` run into the table of ratios
// the README shows, and an SVG chart of the same numbers. Every ratio is
// between two measurements taken in the same run, on the same machine.
//
//	go test -bench ... | tee bench.out; benchreport -svg docs/bench.svg < bench.out
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// result holds one benchmark line's metrics by unit (ns/op, MB/s,
// allocs/op, x_vs_C, ...).
type result map[string]float64

var gomaxprocs = regexp.MustCompile(`-\d+$`)

// peak is one peakmem line: peak RSS and plaintext bytes.
type peak [2]float64

// concurrentPeak is the peak RSS of peakmem -readers N, by N.
var concurrentPeak = map[string]float64{}

// busyRuns names the measurements taken while other processes used more
// than busyShare of the machine's CPU.
var busyRuns []string

const busyShare = 10 // percent

func busy(what string, othersPercent ...float64) {
	for _, o := range othersPercent {
		if o > busyShare {
			busyRuns = append(busyRuns, fmt.Sprintf("%s (%.0f%%)", what, o))
			return
		}
	}
}

func parse(r io.Reader) (map[string]result, map[string]peak, error) {
	res := map[string]result{}
	peaks := map[string]peak{} // by backend
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 4 && f[0] == "peak_rss_bytes" {
			var p peak
			p[0], _ = strconv.ParseFloat(f[1], 64)
			p[1], _ = strconv.ParseFloat(f[3], 64)
			backend := "libsodium"
			if len(f) == 6 {
				backend = f[5]
			}
			peaks[backend] = p
			continue
		}
		if len(f) == 4 && f[0] == "peak_rss_concurrent_bytes" {
			concurrentPeak[f[3]], _ = strconv.ParseFloat(f[1], 64)
			continue
		}
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := gomaxprocs.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")
		m := result{}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			m[f[i+1]] = v
		}
		res[name] = m
	}
	return res, peaks, sc.Err()
}

// row is one line of the table: the libsodium backend's figure and ratio,
// the pure-Go backend's, the same-run reference, the target, the other
// processes' CPU share while it was measured, and allocations.
type row struct {
	what, lib, gov, ref, target, other, allocs string
	ok                                         bool
}

// bar is one pair of throughputs for the chart.
type bar struct {
	label    string
	sdk, ref float64
}

func main() {
	svgPath := flag.String("svg", "", "write an SVG chart here")
	flag.Parse()
	res, peaks, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
	var rows []row
	var bars []bar
	missing := 0

	// The machine's reference for two cores: libsodium's pull on two
	// pthreads, measured in the decrypt-from-memory rounds.
	if m, ok := res["DecryptReaderBytes/libsodium"]; ok {
		rows = append(rows, row{what: "reference: libsodium's pull on 2 pthreads (states from the MACs)", lib: fmt.Sprintf("%.2f× (%.0f MB/s)", m["C2_MB/s"]/m["C_MB/s"], m["C2_MB/s"]),
			gov: "—", ref: fmt.Sprintf("%.0f MB/s (C loop)", m["C_MB/s"]), other: fmt.Sprintf("%.0f%%", m["other_cpu_%"]), allocs: "—"})
	} else {
		missing++
	}

	// Streams: each benchmark interleaves the C references with the SDK, on
	// each backend, and reports both. Targets: libsodium's against the two
	// pthreads (decryption, x_vs_C2) or the C loop (x_vs_C), pure Go's
	// against the C loop.
	for _, s := range []struct {
		name, what string
		minLib     float64
		libVs      string // the metric suffix of libsodium's target: "2" (two pthreads) or ""
		minGo      float64
	}{
		{"DecryptReaderBytes", "stream decrypt, all cores, from memory (NewDecryptReaderBytes)", 0.95, "2", 2.5},
		{"DecryptReader", "stream decrypt, all cores, from an io.Reader", 0.85, "2", 2.8},
		{"DecryptReaderSequential", "stream decrypt, one core", 0, "", 0},
		{"EncryptWriter", "stream encrypt, io.Copy into an io.Writer", 0.98, "", 1.5},
		{"EncryptWriter4MiB", "stream encrypt, 4 MiB Writes", 0.98, "", 0},
		{"EncryptReader", "stream encrypt, io.Reader (pull)", 0.95, "", 0},
	} {
		l, okl := res[s.name+"/libsodium"]
		g, okg := res[s.name+"/go"]
		if !okl || !okg {
			missing++
			continue
		}
		figure := func(m result) string {
			f := fmt.Sprintf("%.2f× (%.0f MB/s)", m["x_vs_C"], m["C_MB/s"]*m["x_vs_C"])
			if _, two := m["x_vs_C2"]; two {
				f = fmt.Sprintf("%.2f× C loop, %.2f× 2 pthreads (%.0f MB/s)", m["x_vs_C"], m["x_vs_C2"], m["C_MB/s"]*m["x_vs_C"])
			}
			if bare, ok := m["bareGo_MB/s"]; ok {
				// The pure-Go rows' ceiling: x/crypto's AEAD with nothing around it.
				f += fmt.Sprintf("; %.2f× bare x/crypto, which ran at %.2f× C loop", m["x_vs_bareGo"], bare/m["C_MB/s"])
			}
			return f
		}
		r := row{what: s.what, lib: figure(l), gov: figure(g),
			ref:    fmt.Sprintf("%.0f / %.0f MB/s (C loop)", l["C_MB/s"], g["C_MB/s"]),
			other:  fmt.Sprintf("%.0f%% / %.0f%%", l["other_cpu_%"], g["other_cpu_%"]),
			allocs: fmt.Sprintf("%.0f / %.0f", l["allocs/op"], g["allocs/op"]), ok: true}
		busy(s.what, l["other_cpu_%"], g["other_cpu_%"])
		var t []string
		if s.minLib > 0 {
			vs := "C loop"
			if s.libVs == "2" {
				vs = "2 pthreads"
			}
			t = append(t, fmt.Sprintf("libsodium ≥ %.2f× %s", s.minLib, vs))
			r.ok = r.ok && l["x_vs_C"+s.libVs] >= s.minLib
		}
		if s.minGo > 0 {
			t = append(t, fmt.Sprintf("Go ≥ %.2f× C loop", s.minGo))
			r.ok = r.ok && g["x_vs_C"] >= s.minGo
		}
		r.target = strings.Join(t, ", ")
		rows = append(rows, r)
		bars = append(bars, bar{s.what + " (libsodium)", l["C_MB/s"] * l["x_vs_C"], l["C_MB/s"]},
			bar{s.what + " (pure Go)", g["C_MB/s"] * g["x_vs_C"], g["C_MB/s"]})
	}

	// Many streams at once (libsodium backend): aggregate throughput of n
	// concurrent readers over one reader doing the same work n times.
	for _, n := range []string{"8", "64"} {
		m, ok := res["ConcurrentReaders/"+n]
		if !ok {
			missing++
			continue
		}
		busy(n+" readers", m["other_cpu_%"])
		rows = append(rows, row{what: n + " concurrent readers (16 MiB each, from memory): aggregate vs one reader",
			lib: fmt.Sprintf("%.2f× (%.0f MB/s)", m["x_vs_oneReader"], m["oneReader_MB/s"]*m["x_vs_oneReader"]), gov: "—",
			ref: fmt.Sprintf("%.0f MB/s (one reader)", m["oneReader_MB/s"]), target: "≥ 0.90×", other: fmt.Sprintf("%.0f%%", m["other_cpu_%"]),
			allocs: fmt.Sprintf("%.0f", m["allocs/op"]), ok: m["x_vs_oneReader"] >= 0.9})
	}
	if c, ok := concurrentPeak["64"]; ok {
		rows = append(rows, row{what: "peak RSS, 64 concurrent readers of a 16 MiB stream (ciphertext in memory included)",
			lib: fmt.Sprintf("%.1f MiB", c/(1<<20)), gov: "—", ref: "—", target: "≤ 128 MiB", other: "—", allocs: "—", ok: c <= 128<<20})
	} else {
		missing++
	}

	// secretbox at 32 B: Overhead32B alternates batches of the wrapper on
	// each backend and the bare call and keeps each one's fastest batch,
	// which load cannot flatter; allocations come from the plain
	// sub-benchmarks (libsodium) and AllocsPerRun (Go).
	if o, ok := res["Overhead32B"]; ok {
		for _, op := range [][2]string{{"seal", "Seal"}, {"open", "Open"}} {
			op, name := op[0], op[1]
			w := res[name+"/32B/wrapper"]
			ratio, goRatio := o[op+"-ratio"], o["go-"+op+"-ratio"]
			r := row{what: "secretbox " + name + " 32 B (time vs the bare C call)", lib: fmt.Sprintf("%.3f× (%.0f ns)", ratio, o[op+"-ns"]),
				gov: fmt.Sprintf("%.3f× (%.0f ns)", goRatio, o["go-"+op+"-ns"]), ref: fmt.Sprintf("%.0f ns (bare call)", o["bare-"+op+"-ns"]),
				target: "libsodium ≤ 1.15×, ≤ 1 alloc", other: "—", ok: ratio <= 1.15 && w["allocs/op"] <= 1,
				allocs: fmt.Sprintf("%.0f / —", w["allocs/op"])}
			if op == "open" {
				r.target += "; Go ≤ 0.75×, 0 allocs"
				r.ok = r.ok && goRatio <= 0.75 && o["go-open-allocs"] == 0
				r.allocs = fmt.Sprintf("%.0f / %.0f", w["allocs/op"], o["go-open-allocs"])
			}
			rows = append(rows, r)
		}
	} else {
		missing++
	}
	// secretbox at 1 MiB: wrapper time over bare libsodium time (lower is better).
	for _, op := range []string{"Seal", "Open"} {
		w, okw := res[op+"/1MiB/wrapper"]
		l, okl := res[op+"/1MiB/libsodium"]
		if !okw || !okl {
			missing++
			continue
		}
		rows = append(rows, row{what: fmt.Sprintf("secretbox %s 1 MiB (time vs the bare C call)", op), lib: fmt.Sprintf("%.2f× (%.0f ns)", w["ns/op"]/l["ns/op"], w["ns/op"]),
			gov: "—", ref: fmt.Sprintf("%.0f ns (bare call)", l["ns/op"]), other: "—", allocs: fmt.Sprintf("%.0f", w["allocs/op"]), ok: true})
		bars = append(bars, bar{"secretbox " + op + " 1 MiB", w["MB/s"], l["MB/s"]})
	}

	// Argon2id SENSITIVE: the SDK on each backend against bare crypto_pwhash.
	s, oks := res["Sensitive/sdk"]
	l, okl := res["Sensitive/libsodium"]
	g, okg := res["Sensitive/sdk-go"]
	if oks && okl && okg {
		rows = append(rows, row{what: "Argon2id SENSITIVE (1 GiB, 4 passes; time vs bare crypto_pwhash)",
			lib: fmt.Sprintf("%.3f× (%.2f s)", s["ns/op"]/l["ns/op"], s["ns/op"]/1e9), gov: fmt.Sprintf("%.2f× (%.2f s)", g["ns/op"]/l["ns/op"], g["ns/op"]/1e9),
			ref: fmt.Sprintf("%.2f s (bare crypto_pwhash)", l["ns/op"]/1e9), other: "—", allocs: fmt.Sprintf("%.0f / %.0f", s["allocs/op"], g["allocs/op"]), ok: true})
	} else {
		missing++
	}
	for _, backend := range []string{"libsodium", "go"} {
		p, ok := peaks[backend]
		if !ok {
			missing++
			continue
		}
		r := row{what: fmt.Sprintf("peak RSS decrypting a %.0f MiB stream (%s build)", p[1]/(1<<20), backend),
			ref: "—", target: "< 64 MiB", other: "—", allocs: "—", ok: p[0] < 64<<20 && p[1] >= 1<<30}
		r.lib, r.gov = fmt.Sprintf("%.1f MiB", p[0]/(1<<20)), "—"
		if backend == "go" {
			r.lib, r.gov = "—", fmt.Sprintf("%.1f MiB", p[0]/(1<<20))
		}
		rows = append(rows, r)
	}

	fmt.Println("| measurement | libsodium backend | pure-Go backend | reference (same run) | target | other processes' CPU | allocs/op (libsodium / Go) |")
	fmt.Println("|---|---|---|---|---|---|---|")
	failed := 0
	for _, r := range rows {
		mark := ""
		if r.target != "" {
			mark = " ✓"
			if !r.ok {
				mark, failed = " ✗", failed+1
			}
		}
		fmt.Printf("| %s | %s | %s | %s | %s%s | %s | %s |\n", r.what, r.lib, r.gov, r.ref, r.target, mark, r.other, r.allocs)
	}
	if len(busyRuns) > 0 {
		fmt.Printf("\nBUSY MACHINE: other processes used more than %d%% of the CPU during: %s. Those ratios say little; rerun on a quiet machine.\n",
			busyShare, strings.Join(busyRuns, ", "))
	}
	if missing > 0 {
		fmt.Fprintf(os.Stderr, "benchreport: %d expected measurements missing from the input\n", missing)
	}
	if *svgPath != "" && len(bars) > 0 {
		if err := os.WriteFile(*svgPath, []byte(chart(bars)), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "benchreport:", err)
			os.Exit(1)
		}
		fmt.Fprintln(os.Stderr, "benchreport: wrote", *svgPath)
	}
	if failed > 0 || missing > 0 {
		os.Exit(1)
	}
}

// chart draws grouped horizontal bars: e2ee against its same-run reference.
func chart(bars []bar) string {
	const left, width, barH, gap, top = 420, 420, 16, 14, 40
	maxV := 0.0
	for _, b := range bars {
		maxV = max(maxV, b.sdk, b.ref)
	}
	h := top + len(bars)*(2*barH+gap) + 30
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", left+width+110, h)
	fmt.Fprintf(&sb, `<rect width="100%%" height="100%%" fill="white"/><text x="10" y="20" font-size="14" font-weight="bold">Throughput, MB/s (higher is better), measured in one run</text>`+"\n")
	for i, b := range bars {
		y := top + i*(2*barH+gap)
		fmt.Fprintf(&sb, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", left-8, y+barH+4, b.label)
		for j, v := range []float64{b.sdk, b.ref} {
			color, name := "#2b6cb0", "e2ee"
			if j == 1 {
				color, name = "#a0aec0", "reference"
			}
			w := int(float64(width) * v / maxV)
			fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/><text x="%d" y="%d">%.0f %s</text>`+"\n",
				left, y+j*barH, w, barH-2, color, left+w+4, y+j*barH+barH-4, v, name)
		}
	}
	sb.WriteString("</svg>\n")
	return sb.String()
}
