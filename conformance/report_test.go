package conformance_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/e2eekit/e2ee/conformance"
)

func TestReport(t *testing.T) {
	rep := &conformance.Report{Files: []conformance.FileReport{
		{File: "a.json", NumberOfTests: 2, Results: []conformance.Result{
			{File: "a.json", TcID: 1, Check: "x.Open", Status: conformance.Pass},
			{File: "a.json", TcID: 2, Check: "x.Seal", Status: conformance.Skip, Reason: "no API"},
		}},
	}}
	if !rep.OK() || rep.Counts() != (conformance.Counts{Pass: 1, Skip: 1}) {
		t.Errorf("OK %v, counts %+v", rep.OK(), rep.Counts())
	}
	var quiet, verbose strings.Builder
	if err := rep.WriteText(&quiet, false); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteText(&verbose, true); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(quiet.String(), "SKIP") || !strings.Contains(verbose.String(), `SKIP a.json #2 x.Seal: no API`) {
		t.Errorf("quiet:\n%s\nverbose:\n%s", quiet.String(), verbose.String())
	}

	// A failed check or an unreadable file fails the run.
	rep.Files[0].Results[0].Status = conformance.Fail
	if rep.OK() || len(rep.Filter(conformance.Fail)) != 1 {
		t.Error("a failed check does not fail the run")
	}
	rep.Files[0].Results[0].Status = conformance.Pass
	rep.Files = append(rep.Files, conformance.FileReport{File: "b.json", Error: "conformance: not JSON"})
	if rep.OK() {
		t.Error("an unreadable file does not fail the run")
	}
	out, err := json.Marshal(rep.Files[0].Results[1])
	if err != nil || !strings.Contains(string(out), `"status":"skip"`) {
		t.Errorf("JSON %s, %v", out, err)
	}
	if s := conformance.Status(7).String(); s != "Status(7)" {
		t.Errorf("Status(7) is %q", s)
	}
}

func TestSentinel(t *testing.T) {
	if conformance.Sentinel("stream.ErrOpen") == nil || conformance.Sentinel("stream.ErrNope") != nil {
		t.Error("Sentinel does not map names to the SDK's sentinels")
	}
}
