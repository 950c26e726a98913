package conformance

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"

	"github.com/e2eekit/e2ee/pwhash"
)

// ErrNoVectors is returned by Run and RunFS when the directory holds no
// *.json file.
var ErrNoVectors = errors.New("conformance: no vector files (*.json)")

// maxVectorFile bounds one vector file; the largest shipped is ~60 KB.
const maxVectorFile = 16 << 20

// Options tune a run. The zero value runs everything.
type Options struct {
	// Limits caps the Argon2id cost of every derivation a vector asks for.
	// A valid vector whose params exceed it is skipped (with the reason),
	// never derived. The zero value means pwhash.DefaultLimits, which
	// covers every shipped vector.
	Limits pwhash.Limits
}

// Run checks every vector file (*.json, with the .bin files they name) in
// dir against this SDK. It returns an error only when dir cannot be listed
// or holds no vector file; a file that cannot be parsed is reported in its
// FileReport.
func Run(dir string) (*Report, error) { return RunFS(os.DirFS(dir), Options{}) }

// RunFS is Run over the top level of fsys, with options. A nil fsys holds
// no vector file.
func RunFS(fsys fs.FS, opts Options) (*Report, error) {
	if fsys == nil {
		return nil, fmt.Errorf("conformance: nil fs.FS: %w", ErrNoVectors)
	}
	if opts.Limits == (pwhash.Limits{}) {
		opts.Limits = pwhash.DefaultLimits
	}
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("conformance: %w", err)
	}
	if len(names) == 0 {
		return nil, ErrNoVectors
	}
	sort.Strings(names)
	r := &runner{fsys: fsys, opts: opts, bins: map[string][]byte{}}
	rep := new(Report)
	for _, name := range names {
		rep.Files = append(rep.Files, r.runFile(name))
	}
	return rep, nil
}

type runner struct {
	fsys fs.FS
	opts Options
	bins map[string][]byte // .bin files read so far, by name
}

// vectorFile is the Wycheproof-shaped top level of a vector file.
type vectorFile struct {
	Algorithm     string            `json:"algorithm"`
	NumberOfTests int               `json:"numberOfTests"`
	TestGroups    []json.RawMessage `json:"testGroups"`
}

// groupHead is what every group has: its type and its tests.
type groupHead struct {
	Type  string            `json:"type"`
	Tests []json.RawMessage `json:"tests"`
}

// testCase holds the fields every test has.
type testCase struct {
	TcID    int      `json:"tcId"`
	Comment string   `json:"comment"`
	Flags   []string `json:"flags"`
	Result  string   `json:"result"`
	Error   string   `json:"error"`
}

func (tc *testCase) has(flag string) bool {
	for _, f := range tc.Flags {
		if f == flag {
			return true
		}
	}
	return false
}

// expected is "valid" or the sentinel an invalid test names.
func (tc *testCase) expected() string { return expectation(tc.Result, tc.Error) }

func expectation(result, errName string) string {
	if result == "invalid" {
		return errName
	}
	return result
}

// group is one test group being run: its raw fields, for the handler to
// decode, and the results of its tests.
type group struct {
	r    *runner
	file string
	typ  string
	raw  json.RawMessage
	out  *[]Result
}

// handlers run one group type each; a group type not listed here is
// reported as skipped, test by test.
var handlers = map[string]func(g *group, tests []json.RawMessage){
	"PwhashTest":              runPwhash,
	"LoginSubkeyTest":         runLoginSubkey,
	"SecretboxTest":           runSecretbox,
	"SealedBoxTest":           runSealed,
	"AuthTokenTest":           runAuthToken,
	"BlobTest":                runBlob,
	"FileTest":                runFile,
	"RecoveryKeyEncodingTest": runRecoveryEncoding,
	"RecoveryKeyParseTest":    runRecoveryParse,
	"PasswordUnlockTest":      runPasswordUnlock,
	"RecoveryUnlockTest":      runRecoveryUnlock,
	"BadAttributesTest":       runBadAttributes,
	"AuthKeyTest":             runAuthKey,
	"AuthEntityTest":          runAuthEntity,
	"AuthEntityEncodingTest":  runAuthEntityEncoding,
	"AuthExportTest":          runAuthExport,
	"AlbumLinkTest":           runAlbumLink,
	"LinkPasswordTest":        runLinkPassword,
	"FileLinkTest":            runFileLink,
	"SrpTest":                 runSRP,
	"SrpBadBTest":             runSRPBadB,
	"SrpBadM2Test":            runSRPBadM2,
}

func (r *runner) runFile(name string) FileReport {
	fr := FileReport{File: name, Results: []Result{}}
	raw, err := r.readFile(name, maxVectorFile)
	if err != nil {
		fr.Error = err.Error()
		return fr
	}
	var vf vectorFile
	if err := json.Unmarshal(raw, &vf); err != nil {
		fr.Error = fmt.Sprintf("conformance: %s is not a vector file: %v", name, err)
		return fr
	}
	if vf.TestGroups == nil {
		fr.Error = fmt.Sprintf("conformance: %s has no testGroups", name)
		return fr
	}
	fr.Algorithm, fr.NumberOfTests = vf.Algorithm, vf.NumberOfTests
	for i, graw := range vf.TestGroups {
		var h groupHead
		if err := json.Unmarshal(graw, &h); err != nil {
			fr.Results = append(fr.Results, Result{File: name, Check: "vector", Status: Fail,
				Reason: fmt.Sprintf("testGroups[%d] is malformed: %v", i, err)})
			continue
		}
		g := &group{r: r, file: name, typ: h.Type, raw: graw, out: &fr.Results}
		run, ok := handlers[h.Type]
		if !ok {
			g.skipAll(h.Tests, fmt.Sprintf("group type %q is not known to this runner", h.Type))
			continue
		}
		run(g, h.Tests)
	}
	return fr
}

// readFile reads a top-level file of the vector directory, bounded.
func (r *runner) readFile(name string, limit int64) ([]byte, error) {
	if !fs.ValidPath(name) || strings.Contains(name, "/") {
		return nil, fmt.Errorf("conformance: %q is not a file name in the vector directory", name)
	}
	st, err := fs.Stat(r.fsys, name)
	if err != nil {
		return nil, fmt.Errorf("conformance: %w", err)
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("conformance: %s is %d bytes, more than %d", name, st.Size(), limit)
	}
	f, err := r.fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("conformance: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("conformance: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("conformance: %s is more than %d bytes", name, limit)
	}
	return b, nil
}

// decodeGroup decodes the group's own fields into v.
func (g *group) decodeGroup(v any) error {
	if err := json.Unmarshal(g.raw, v); err != nil {
		return fmt.Errorf("group %s is malformed: %w", g.typ, err)
	}
	return nil
}

// skipAll reports every test of the group as skipped (or malformed).
func (g *group) skipAll(tests []json.RawMessage, reason string) {
	for _, raw := range tests {
		var tc testCase
		if err := json.Unmarshal(raw, &tc); err != nil {
			g.malformed(tc, err)
			continue
		}
		g.add(tc, "", Result{Status: Skip, Reason: reason})
	}
}

// failAll reports every test of a group whose own fields are malformed.
func (g *group) failAll(tests []json.RawMessage, err error) {
	for _, raw := range tests {
		var tc testCase
		_ = json.Unmarshal(raw, &tc) // best effort, for the tcId
		g.malformed(tc, err)
	}
}

// vector is a test type: a struct embedding testCase.
type vector interface{ base() *testCase }

func (tc *testCase) base() *testCase { return tc }

// each decodes every test into a fresh T (which embeds testCase) and runs
// fn on it; a test that does not decode is reported as malformed.
func each[T any, PT interface {
	*T
	vector
}](g *group, tests []json.RawMessage, fn func(t PT)) {
	for _, raw := range tests {
		t := PT(new(T))
		if err := json.Unmarshal(raw, t); err != nil {
			var tc testCase
			_ = json.Unmarshal(raw, &tc)
			g.malformed(tc, err)
			continue
		}
		tc := t.base()
		if tc.Result != "valid" && tc.Result != "invalid" {
			g.malformed(*tc, fmt.Errorf("result is %q, want valid or invalid", tc.Result))
			continue
		}
		fn(t)
	}
}

// malformed reports a test the runner cannot read.
func (g *group) malformed(tc testCase, err error) {
	g.add(tc, "vector", Result{Status: Fail, Reason: "malformed vector: " + err.Error()})
}

func (g *group) add(tc testCase, check string, res Result) {
	res.File, res.Group, res.TcID, res.Check = g.file, g.typ, tc.TcID, check
	res.Comment, res.Flags = tc.Comment, tc.Flags
	if res.Expected == "" {
		res.Expected = tc.expected()
	}
	*g.out = append(*g.out, res)
}

// skip reports a check that cannot be run through the SDK's public API.
func (g *group) skip(tc *testCase, check, reason string) {
	g.add(*tc, check, Result{Status: Skip, Reason: reason})
}

// verdict compares one operation's outcome with the test's expectation:
// err from the SDK, and for a valid outcome the mismatches found by
// comparing its outputs (nil if none).
func (g *group) verdict(tc *testCase, check string, err error, mismatches ...string) {
	g.verdictFor(tc, check, tc.Result, tc.Error, err, mismatches...)
}

// verdictFor is verdict against an explicit expectation, for tests that
// carry two (blob.json's strict and legacy readers).
func (g *group) verdictFor(tc *testCase, check, result, errName string, err error, mismatches ...string) {
	res := Result{Expected: expectation(result, errName), Got: "valid", Status: Pass}
	if err != nil {
		res.Got = err.Error()
	}
	switch {
	case result != "valid" && result != "invalid":
		res.Status, res.Reason = Fail, fmt.Sprintf("malformed vector: result is %q", result)
	case result == "valid" && err != nil:
		res.Status, res.Reason = Fail, "unexpected error"
	case result == "valid":
		if m := join(mismatches); m != "" {
			res.Status, res.Reason = Fail, m
		}
	case err == nil:
		res.Status, res.Reason = Fail, "succeeded, want "+errName
	default:
		want, ok := sentinels[errName]
		switch {
		case !ok:
			res.Status, res.Reason = Fail, fmt.Sprintf("malformed vector: error %q names no SDK sentinel", errName)
		case !errors.Is(err, want):
			res.Status, res.Reason = Fail, "wrong error, want "+errName
		}
	}
	g.add(*tc, check, res)
}

func join(ms []string) string {
	var parts []string
	for _, m := range ms {
		if m != "" {
			parts = append(parts, m)
		}
	}
	return strings.Join(parts, "; ")
}
