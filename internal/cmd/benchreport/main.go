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

// peaks holds peakmem's lines: the peak RSS of one reader over a large
// stream, and of many concurrent readers.
type peaks struct {
	rss, plaintext         float64 // one reader: peak RSS bytes, plaintext bytes
	concurrentRSS, readers float64 // concurrent readers: peak RSS bytes, readers
}

func parse(r io.Reader) (map[string]result, peaks, error) {
	res := map[string]result{}
	var peak peaks
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 4 && f[0] == "peak_rss_bytes" {
			peak.rss, _ = strconv.ParseFloat(f[1], 64)
			peak.plaintext, _ = strconv.ParseFloat(f[3], 64)
			continue
		}
		if len(f) == 4 && f[0] == "peak_rss_concurrent_bytes" {
			peak.concurrentRSS, _ = strconv.ParseFloat(f[1], 64)
			peak.readers, _ = strconv.ParseFloat(f[3], 64)
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
	return res, peak, sc.Err()
}

type row struct {
	what, sdk, ref, ratio, target, allocs, others string
	ok                                            bool
}

// busyShare is the other processes' CPU share, in percent, above which the
// report calls the machine busy.
const busyShare = 5

// othersCell prints the other processes' CPU share a benchmark measured.
func othersCell(m result) string {
	v, ok := m["others_cpu_%"]
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%.0f %%", v)
}

// bar is one pair of throughputs for the chart.
type bar struct {
	label    string
	sdk, ref float64
}

func main() {
	svgPath := flag.String("svg", "", "write an SVG chart here")
	flag.Parse()
	res, peak, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
	var rows []row
	var bars []bar
	missing := 0

	// Streams: the benchmark itself interleaves its reference and reports
	// both, and the other processes' share of the CPU meanwhile.
	const c1, c2 = "C loop", "C, 2 pthreads"
	maxOthers := 0.0
	for _, s := range []struct {
		name, what, ref string
		min             float64
	}{
		{"DecryptReaderBytes", "stream decrypt, parallel, from memory (NewDecryptReaderBytes)", c2, 0.95},
		{"DecryptReader", "stream decrypt, parallel, from an io.Reader", c2, 0.85},
		{"DecryptReaderSequential", "stream decrypt, one core", c1, 0},
		{"EncryptWriter", "stream encrypt, io.Copy into an io.Writer", c1, 0.98},
		{"EncryptWriter4MiB", "stream encrypt, 4 MiB Writes", c1, 0.98},
		{"EncryptReader", "stream encrypt, io.Reader (pull)", c1, 0.95},
		{"ConcurrentReaders/8", "8 concurrent readers from memory, aggregate", "one reader", 0.9},
		{"ConcurrentReaders/64", "64 concurrent readers from memory, aggregate", "one reader", 0.9},
	} {
		m, ok := res[s.name]
		if !ok {
			missing++
			continue
		}
		// Both throughputs are best passes of the same interleaved run: the
		// benchmark reports the reference's and the ratio of the two.
		best := m["C_MB/s"] * m["x_vs_C"]
		r := row{what: s.what, sdk: fmt.Sprintf("%.0f MB/s", best), ref: fmt.Sprintf("%.0f MB/s (%s)", m["C_MB/s"], s.ref),
			ratio: fmt.Sprintf("%.2f× (CPU %.2f×)", m["x_vs_C"], m["cpu_x_vs_C"]), allocs: fmt.Sprintf("%.0f", m["allocs/op"]),
			others: othersCell(m), ok: true}
		if s.min > 0 {
			r.target, r.ok = fmt.Sprintf("≥ %.2f×", s.min), m["x_vs_C"] >= s.min
		}
		maxOthers = max(maxOthers, m["others_cpu_%"])
		rows = append(rows, r)
		bars = append(bars, bar{s.what, best, m["C_MB/s"]})
	}

	// secretbox at 32 B: Overhead32B alternates batches of the wrapper and
	// the bare call and keeps each one's fastest batch, which load cannot
	// flatter; allocations come from the plain sub-benchmarks.
	if o, ok := res["Overhead32B"]; ok {
		for _, op := range [][2]string{{"seal", "Seal"}, {"open", "Open"}} {
			op, name := op[0], op[1]
			w := res[name+"/32B/wrapper"]
			ratio := o[op+"-ratio"]
			rows = append(rows, row{what: "secretbox " + name + " 32 B", sdk: fmt.Sprintf("%.0f ns", o[op+"-ns"]),
				ref: fmt.Sprintf("%.0f ns (bare call)", o["bare-"+op+"-ns"]), ratio: fmt.Sprintf("%.3f× time", ratio),
				target: "≤ 1.15× time, ≤ 1 alloc", ok: ratio <= 1.15 && w["allocs/op"] <= 1, allocs: fmt.Sprintf("%.0f", w["allocs/op"])})
		}
	} else {
		missing++
	}
	// secretbox at 1 MiB: wrapper time over bare libsodium time (lower is better).
	for _, op := range []string{"Seal", "Open"} {
		for _, size := range []string{"1MiB"} {
			w, okw := res[op+"/"+size+"/wrapper"]
			l, okl := res[op+"/"+size+"/libsodium"]
			if !okw || !okl {
				missing++
				continue
			}
			ratio := w["ns/op"] / l["ns/op"]
			r := row{what: fmt.Sprintf("secretbox %s %s", op, size), sdk: fmt.Sprintf("%.0f ns", w["ns/op"]),
				ref: fmt.Sprintf("%.0f ns (bare call)", l["ns/op"]), ratio: fmt.Sprintf("%.2f× time", ratio),
				allocs: fmt.Sprintf("%.0f", w["allocs/op"]), ok: true}
			rows = append(rows, r)
			if size == "1MiB" {
				bars = append(bars, bar{"secretbox " + op + " 1 MiB", w["MB/s"], l["MB/s"]})
			}
		}
	}

	// Argon2id SENSITIVE.
	if s, ok := res["Sensitive/sdk"]; ok {
		if l, ok := res["Sensitive/libsodium"]; ok {
			rows = append(rows, row{what: "Argon2id SENSITIVE (1 GiB, 4 passes)", sdk: fmt.Sprintf("%.2f s", s["ns/op"]/1e9),
				ref: fmt.Sprintf("%.2f s (bare crypto_pwhash)", l["ns/op"]/1e9), ratio: fmt.Sprintf("%.3f× time", s["ns/op"]/l["ns/op"]),
				allocs: fmt.Sprintf("%.0f", s["allocs/op"]), ok: true})
			if x, ok := res["Sensitive/x-crypto-argon2"]; ok {
				rows = append(rows, row{what: "Argon2id SENSITIVE, x/crypto pure Go", sdk: fmt.Sprintf("%.2f s", x["ns/op"]/1e9),
					ref: fmt.Sprintf("%.2f s (bare crypto_pwhash)", l["ns/op"]/1e9), ratio: fmt.Sprintf("%.2f× time", x["ns/op"]/l["ns/op"]),
					allocs: fmt.Sprintf("%.0f", x["allocs/op"]), ok: true})
			}
		}
	} else {
		missing++
	}
	if peak.rss > 0 {
		rows = append(rows, row{what: fmt.Sprintf("peak RSS decrypting a %.0f MiB stream", peak.plaintext/(1<<20)),
			sdk: fmt.Sprintf("%.1f MiB", peak.rss/(1<<20)), ref: "—", ratio: "—", target: "< 64 MiB", allocs: "—", others: "—",
			ok: peak.rss < 64<<20 && peak.plaintext >= 1<<30})
	} else {
		missing++
	}
	if peak.concurrentRSS > 0 {
		rows = append(rows, row{what: fmt.Sprintf("peak RSS, %.0f concurrent readers of one 16 MiB ciphertext", peak.readers),
			sdk: fmt.Sprintf("%.1f MiB", peak.concurrentRSS/(1<<20)), ref: "—", ratio: "—", target: "≤ 128 MiB", allocs: "—", others: "—",
			ok: peak.concurrentRSS <= 128<<20 && peak.readers >= 64})
	} else {
		missing++
	}

	fmt.Println("| measurement | e2ee | reference (same run) | ratio | target | allocs/op | other processes' CPU |")
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
		others := r.others
		if others == "" {
			others = "—"
		}
		fmt.Printf("| %s | %s | %s | %s | %s%s | %s | %s |\n", r.what, r.sdk, r.ref, r.ratio, r.target, mark, r.allocs, others)
	}
	if maxOthers > busyShare {
		// A ratio against a reference that ran under other load says little:
		// the two saw different machines. Say so rather than pass or fail.
		fmt.Printf("\nOther processes used up to %.0f %% of the machine's CPU during the stream benchmarks: "+
			"the machine was busy, and these ratios are not evidence for or against the targets.\n", maxOthers)
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
