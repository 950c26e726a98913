package conformance_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/e2eekit/e2ee/conformance"
)

func TestReport(t *testing.T) {
	rep := &conformance.Report{Files: []conformance.FileReport{
		{File: "a.json", NumberOfTests: 2, Results: []conformance.Result{
			{File: "a.json", TcID: 1, Check: "x.Open", Status: conformance.Pass},
			{File: "a.json", TcID: 2, Check: "x.Seal", Status: conformance.Skip, Reason: "no API"},
		}},
	}}
	assert.True(t, rep.OK(), "OK")
	assert.Equal(t, conformance.Counts{Pass: 1, Skip: 1}, rep.Counts(), "counts")
	var quiet, verbose strings.Builder
	require.NoError(t, rep.WriteText(&quiet, false))
	require.NoError(t, rep.WriteText(&verbose, true))
	assert.NotContains(t, quiet.String(), "SKIP", "quiet")
	assert.Contains(t, verbose.String(), `SKIP a.json #2 x.Seal: no API`, "verbose")

	// A failed check or an unreadable file fails the run.
	rep.Files[0].Results[0].Status = conformance.Fail
	assert.False(t, rep.OK(), "a failed check does not fail the run")
	assert.Len(t, rep.Filter(conformance.Fail), 1, "a failed check does not fail the run")
	rep.Files[0].Results[0].Status = conformance.Pass
	rep.Files = append(rep.Files, conformance.FileReport{File: "b.json", Error: "conformance: not JSON"})
	assert.False(t, rep.OK(), "an unreadable file does not fail the run")
	out, err := json.Marshal(rep.Files[0].Results[1])
	assert.NoError(t, err, "JSON")
	assert.Contains(t, string(out), `"status":"skip"`, "JSON")
	assert.Equal(t, "Status(7)", conformance.Status(7).String())
}

func TestSentinel(t *testing.T) {
	assert.NotNil(t, conformance.Sentinel("stream.ErrOpen"), "Sentinel does not map names to the SDK's sentinels")
	assert.Nil(t, conformance.Sentinel("stream.ErrNope"), "Sentinel does not map names to the SDK's sentinels")
}
