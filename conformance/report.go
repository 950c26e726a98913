package conformance

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Status is the outcome of one check.
type Status int

// The outcomes of a check.
const (
	// Pass: the SDK did exactly what the vector expects.
	Pass Status = iota
	// Fail: the SDK (or the vector itself) disagrees with the expectation.
	Fail
	// Skip: the check could not be run; Result.Reason says why. A skipped
	// check is never counted as passed.
	Skip
)

var statusNames = [...]string{Pass: "pass", Fail: "fail", Skip: "skip"}

// String returns "pass", "fail" or "skip".
func (s Status) String() string {
	if s < 0 || int(s) >= len(statusNames) {
		return fmt.Sprintf("Status(%d)", int(s))
	}
	return statusNames[s]
}

// MarshalText returns String, so that reports marshal as readable JSON.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Result is one check of one vector: one SDK operation (Check) run on the
// vector's inputs and compared with its expectation. A vector yields one
// Result per operation it exercises (for example Open and Seal), or one
// Result with Check "vector" when the vector itself cannot be read.
type Result struct {
	File     string   `json:"file"`     // vector file name, e.g. "secretbox.json"
	Group    string   `json:"group"`    // the test group's type, e.g. "SecretboxTest"
	TcID     int      `json:"tcId"`     // the vector's tcId
	Check    string   `json:"check"`    // the SDK operation, e.g. "secretbox.Open"
	Comment  string   `json:"comment"`  // the vector's comment
	Flags    []string `json:"flags"`    // the vector's flags
	Expected string   `json:"expected"` // "valid" or the expected sentinel, e.g. "stream.ErrOpen"
	Got      string   `json:"got"`      // "valid", the SDK's error message, or "" when skipped
	Status   Status   `json:"status"`
	Reason   string   `json:"reason,omitempty"` // why the check failed or was skipped
}

// String is a one-line description of r, as WriteText prints it.
func (r Result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s #%d %s", strings.ToUpper(r.Status.String()), r.File, r.TcID, r.Check)
	if r.Comment != "" {
		fmt.Fprintf(&b, " %q", r.Comment)
	}
	if len(r.Flags) > 0 {
		fmt.Fprintf(&b, " [%s]", strings.Join(r.Flags, " "))
	}
	if r.Status != Pass && r.Reason != "" {
		fmt.Fprintf(&b, ": %s", r.Reason)
	}
	return b.String()
}

// FileReport holds the results of one vector file.
type FileReport struct {
	File          string `json:"file"`
	Algorithm     string `json:"algorithm,omitempty"`
	NumberOfTests int    `json:"numberOfTests"`
	// Error is set when the file could not be read at all (not JSON, no
	// testGroups); its vectors then have no results.
	Error   string   `json:"error,omitempty"`
	Results []Result `json:"results"`
}

// Counts tallies checks by status.
type Counts struct {
	Pass int `json:"pass"`
	Fail int `json:"fail"`
	Skip int `json:"skip"`
}

func (c *Counts) add(s Status) {
	switch s {
	case Pass:
		c.Pass++
	case Fail:
		c.Fail++
	default:
		c.Skip++
	}
}

// Counts tallies the file's checks by status; zero for a nil report.
func (f *FileReport) Counts() Counts {
	if f == nil {
		return Counts{}
	}
	var c Counts
	for _, r := range f.Results {
		c.add(r.Status)
	}
	return c
}

// Report holds the results of a run over a directory of vector files.
type Report struct {
	Files []FileReport `json:"files"`
}

// Counts tallies every check of the run by status.
func (r *Report) Counts() Counts {
	if r == nil {
		return Counts{}
	}
	var c Counts
	for _, f := range r.Files {
		for _, res := range f.Results {
			c.add(res.Status)
		}
	}
	return c
}

// OK reports whether no check failed and every file could be read.
// Skipped checks do not make a run fail; list them with Filter(Skip). A
// nil Report, of no run at all, is not OK.
func (r *Report) OK() bool {
	if r == nil {
		return false
	}
	for _, f := range r.Files {
		if f.Error != "" || f.Counts().Fail > 0 {
			return false
		}
	}
	return true
}

// Filter returns the results with status s, in file and tcId order.
func (r *Report) Filter(s Status) []Result {
	if r == nil {
		return nil
	}
	var out []Result
	for _, f := range r.Files {
		for _, res := range f.Results {
			if res.Status == s {
				out = append(out, res)
			}
		}
	}
	return out
}

// WriteText writes a summary line per file, then every failure and, if
// verbose, every skipped check with its reason, then a total line. A nil
// Report writes as an empty one; a nil w is an error.
func (r *Report) WriteText(w io.Writer, verbose bool) error {
	if w == nil {
		return errors.New("conformance: WriteText to a nil io.Writer")
	}
	if r == nil {
		r = &Report{}
	}
	var b strings.Builder
	for _, f := range r.Files {
		if f.Error != "" {
			fmt.Fprintf(&b, "%-20s ERROR %s\n", f.File, f.Error)
			continue
		}
		c := f.Counts()
		fmt.Fprintf(&b, "%-20s %4d vectors %4d checks: %d pass, %d fail, %d skip\n",
			f.File, f.NumberOfTests, len(f.Results), c.Pass, c.Fail, c.Skip)
	}
	for _, res := range r.Filter(Fail) {
		fmt.Fprintln(&b, res)
	}
	if verbose {
		for _, res := range r.Filter(Skip) {
			fmt.Fprintln(&b, res)
		}
	}
	c := r.Counts()
	verdict := "OK"
	if !r.OK() {
		verdict = "FAILED"
	}
	fmt.Fprintf(&b, "%s: %d pass, %d fail, %d skip\n", verdict, c.Pass, c.Fail, c.Skip)
	_, err := io.WriteString(w, b.String())
	return err
}
