package share_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"golang.org/x/crypto/argon2"

	"github.com/e2eekit/e2ee/internal/redacttest"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/share"
)

func TestNewLinkPassword(t *testing.T) {
	pw := []byte("hunter2 ünïcode")
	lp, err := share.NewLinkPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(lp)
	if err != nil {
		t.Fatal(err)
	}
	var wire map[string]any
	if err := json.Unmarshal(j, &wire); err != nil {
		t.Fatal(err)
	}
	if len(wire) != 4 || wire["memLimit"] != float64(64<<20) || wire["opsLimit"] != float64(2) {
		t.Fatalf("wire JSON %s: want passHash, nonce, memLimit 67108864, opsLimit 2", j)
	}
	salt, err := base64.StdEncoding.Strict().DecodeString(wire["nonce"].(string))
	if err != nil || len(salt) != 16 {
		t.Fatalf("nonce %v is not a 16-byte salt", wire["nonce"])
	}
	// Cross-check with golang.org/x/crypto/argon2 (memory in KiB, one lane).
	want := argon2.IDKey(pw, salt, 2, 64<<10, 1, 32)
	if wire["passHash"] != base64.StdEncoding.EncodeToString(want) {
		t.Fatalf("passHash differs from x/crypto/argon2")
	}

	// A viewer re-derives it from the params in the server's JSON.
	var p share.PasswordParams
	if err := json.Unmarshal(j, &p); err != nil {
		t.Fatal(err)
	}
	h, err := share.LinkPassHash(pw, p)
	if err != nil {
		t.Fatal(err)
	}
	if !h.Equal(lp.Hash) || h.Base64() != wire["passHash"] {
		t.Errorf("LinkPassHash differs from NewLinkPassword")
	}
	other, err := share.NewLinkPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if other.Params.Salt == lp.Params.Salt || other.Hash.Equal(lp.Hash) {
		t.Errorf("two links share a salt or hash")
	}

	redacttest.Check(t, h, want)
	redacttest.Check(t, *h, want)
	// LinkPassword marshals to JSON on purpose (it is the server's body),
	// but it never prints or logs the hash.
	for _, v := range []any{lp, *lp} {
		for _, verb := range redacttest.Verbs {
			if l := redacttest.Leak(fmt.Sprintf(verb, v), want); l != "" {
				t.Errorf("%s of %T shows the hash (%s)", verb, v, l)
			}
		}
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "lp", lp)
	if l := redacttest.Leak(buf.String(), want); l != "" {
		t.Errorf("slog shows the hash (%s): %s", l, buf.String())
	}
}

func TestLinkPassHashCheap(t *testing.T) {
	// Cheap params (the server chooses them) against x/crypto.
	var salt pwhash.Salt
	copy(salt[:], "0123456789abcdef")
	p := share.PasswordParams{Salt: salt, MemLimit: 8 << 20, OpsLimit: 1}
	h, err := share.LinkPassHash([]byte("pw"), p)
	if err != nil {
		t.Fatal(err)
	}
	want := argon2.IDKey([]byte("pw"), salt[:], 1, 8<<10, 1, 32)
	if h.Base64() != base64.StdEncoding.EncodeToString(want) {
		t.Errorf("LinkPassHash differs from x/crypto/argon2")
	}
}

func TestLinkPassHashCapped(t *testing.T) {
	for name, tc := range map[string]struct {
		p    share.PasswordParams
		want error
	}{
		"1 GiB":       {share.PasswordParams{MemLimit: 1 << 30, OpsLimit: 2}, pwhash.ErrTooExpensive},
		"many passes": {share.PasswordParams{MemLimit: 64 << 20, OpsLimit: 1 << 40}, pwhash.ErrTooExpensive},
		"overflow":    {share.PasswordParams{MemLimit: 1 << 33, OpsLimit: 1 << 33}, pwhash.ErrTooExpensive},
		"zero ops":    {share.PasswordParams{MemLimit: 64 << 20}, pwhash.ErrInvalidParams},
		"tiny mem":    {share.PasswordParams{MemLimit: 1024, OpsLimit: 2}, pwhash.ErrInvalidParams},
		"zero":        {share.PasswordParams{}, pwhash.ErrInvalidParams},
	} {
		if h, err := share.LinkPassHash([]byte("pw"), tc.p); !errors.Is(err, tc.want) || h != nil {
			t.Errorf("%s: LinkPassHash = %v, %v; want %v", name, h, err, tc.want)
		}
	}
}

func TestPasswordParamsStrictJSON(t *testing.T) {
	for _, j := range []string{
		`{"nonce":"AAAAAAAAAAAAAAAAAAAAAA","memLimit":8192,"opsLimit":1}`,   // unpadded
		`{"nonce":"AAAAAAAAAAAAAAAAAAAA","memLimit":8192,"opsLimit":1}`,     // 15 bytes
		`{"nonce":"____________________AA==","memLimit":8192,"opsLimit":1}`, // URL-safe
		`{"nonce":"AAAAAAAAAAAAAAAAAAAAAA==","memLimit":-1,"opsLimit":1}`,
	} {
		var p share.PasswordParams
		if err := json.Unmarshal([]byte(j), &p); err == nil {
			t.Errorf("accepted %s", j)
		}
	}
}
