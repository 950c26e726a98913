package conformance_test

import (
	"fmt"
	"os"
	"testing/fstest"

	"github.com/e2eekit/e2ee/conformance"
)

// A vector file of another implementation, in the schema of
// testdata/vectors: Ente's secretbox known answer, and the same box with
// one bit of its MAC flipped.
const secretboxVectors = `{
  "algorithm": "crypto_secretbox_easy (XSalsa20-Poly1305)",
  "numberOfTests": 2,
  "testGroups": [{
    "type": "SecretboxTest",
    "tests": [
      {"tcId": 1, "comment": "Ente CLI known answer", "flags": [], "result": "valid",
       "key": "kercNpvGufMTTHmDwAhz26DgCAvznd1+/buBqKEkWr4=", "nonce": "jgfPDOsQh2VdIHWJVSBicMPF2sQW3HIY",
       "msg": "O1ObUBMv+SCE1qWHD7+WViEIZcAeTp18Y+m9eMlDE1Y=",
       "ct": "KHwRN+RzvTu+jC7mCdkMsqnTPSLvevtZILmcR2OYFbIRPqDyjAl+m8KxD9B5fiEo"},
      {"tcId": 2, "comment": "flipped MAC bit", "flags": ["ModifiedTag"], "result": "invalid", "error": "secretbox.ErrOpen",
       "key": "kercNpvGufMTTHmDwAhz26DgCAvznd1+/buBqKEkWr4=", "nonce": "jgfPDOsQh2VdIHWJVSBicMPF2sQW3HIY",
       "msg": "O1ObUBMv+SCE1qWHD7+WViEIZcAeTp18Y+m9eMlDE1Y=",
       "ct": "KXwRN+RzvTu+jC7mCdkMsqnTPSLvevtZILmcR2OYFbIRPqDyjAl+m8KxD9B5fiEo"}
    ]
  }]
}`

func ExampleRunFS() {
	fsys := fstest.MapFS{"secretbox.json": {Data: []byte(secretboxVectors)}}
	rep, err := conformance.RunFS(fsys, conformance.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rep.Files[0].Results {
		fmt.Println(r.Status, r.TcID, r.Check, "expected", r.Expected)
	}
	rep.WriteText(os.Stdout, false)
	// Output:
	// pass 1 secretbox.Open expected valid
	// pass 1 secretbox.Seal expected valid
	// pass 2 secretbox.Open expected secretbox.ErrOpen
	// secretbox.json          2 vectors    3 checks: 3 pass, 0 fail, 0 skip
	// OK: 3 pass, 0 fail, 0 skip
}
