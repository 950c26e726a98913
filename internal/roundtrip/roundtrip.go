// Package roundtrip checks that a record decoded from a server's JSON and
// encoded again gives the same fields, for the tests that hold package
// record and keys to answers captured from museum (testdata/museum).
package roundtrip

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
)

// Check decodes orig into a new T, encodes it again, and reports the first
// member whose value differs, or one that was lost or added.
func Check[T any](orig []byte) error {
	v := new(T)
	if err := json.Unmarshal(orig, v); err != nil {
		return fmt.Errorf("decoding: %w", err)
	}
	again, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding: %w", err)
	}
	a, err := generic(orig)
	if err != nil {
		return err
	}
	b, err := generic(again)
	if err != nil {
		return err
	}
	return diff("", a, b)
}

func generic(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber() // microsecond times and IDs exceed float64's exact range
	var v any
	return v, d.Decode(&v)
}

// diff names the first place where the server's value a and ours b differ.
func diff(path string, a, b any) error {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		names := make([]string, 0, len(am)+len(bm))
		for k := range am {
			names = append(names, k)
		}
		for k := range bm {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range slices.Compact(names) {
			av, inA := am[k]
			bv, inB := bm[k]
			switch {
			case !inB:
				return fmt.Errorf("%s.%s: lost", path, k)
			case !inA:
				return fmt.Errorf("%s.%s: added", path, k)
			}
			if err := diff(path+"."+k, av, bv); err != nil {
				return err
			}
		}
		return nil
	}
	as, aok := a.([]any)
	bs, bok := b.([]any)
	if aok && bok && len(as) == len(bs) {
		for i := range as {
			if err := diff(fmt.Sprintf("%s[%d]", path, i), as[i], bs[i]); err != nil {
				return err
			}
		}
		return nil
	}
	if !reflect.DeepEqual(a, b) {
		return fmt.Errorf("%s: server sent %v, encoded %v", path, a, b)
	}
	return nil
}

// Fixture reads testdata/museum/name.json at the repository's root.
func Fixture(name string) ([]byte, error) {
	_, file, _, _ := runtime.Caller(0)
	return os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "testdata", "museum", name+".json"))
}
