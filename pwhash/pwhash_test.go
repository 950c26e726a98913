package pwhash_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"

	"github.com/e2eekit/e2ee/internal/sodium"
	"github.com/e2eekit/e2ee/internal/vectorseed"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustSalt(t testing.TB, s string) *pwhash.Salt {
	t.Helper()
	var salt pwhash.Salt
	require.NoError(t, salt.UnmarshalText([]byte(s)))
	return &salt
}

// TestEnteCLIVector is the Argon2id known answer of Ente's Go CLI tests
// (libsodium INTERACTIVE: 64 MiB, 2 passes).
func TestEnteCLIVector(t *testing.T) {
	salt := mustSalt(t, "vd0dcYMGNLKn/gpT6uTFTw==")
	p := pwhash.Params{OpsLimit: 2, MemLimit: 67108864}
	require.Equal(t, pwhash.Interactive, p, "the vector's params are not Interactive")
	k, err := pwhash.DeriveKey([]byte("test_password"), salt, p, pwhash.DefaultLimits)
	require.NoError(t, err)
	// A derived key: compared, never printed.
	require.True(t, base64.StdEncoding.EncodeToString(k.Bytes()) == "vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwTl920flyT0=", "key differs from the vector's")
}

// TestXCrypto cross-checks libsodium's Argon2id against
// golang.org/x/crypto/argon2, which takes memory in KiB, over cheap params,
// including a MemLimit that is not a multiple of 1 KiB and passwords of
// awkward lengths.
func TestXCrypto(t *testing.T) {
	salt := mustSalt(t, "vd0dcYMGNLKn/gpT6uTFTw==")
	for i, tc := range []struct {
		pw []byte
		p  pwhash.Params
	}{
		{[]byte("test_password"), pwhash.Params{OpsLimit: 1, MemLimit: pwhash.MinMemLimit}},
		{[]byte("test_password"), pwhash.Params{OpsLimit: 2, MemLimit: pwhash.MinMemLimit}},
		{[]byte(""), pwhash.Params{OpsLimit: 1, MemLimit: 64 << 10}},
		{[]byte("pässwörd ✓"), pwhash.Params{OpsLimit: 3, MemLimit: 1 << 20}},
		{bytes.Repeat([]byte{0}, 129), pwhash.Params{OpsLimit: 1, MemLimit: 8193}},
		{[]byte("x"), pwhash.Params{OpsLimit: 2, MemLimit: 12345*1024 + 17}},
		{[]byte("test_password"), pwhash.Params{OpsLimit: 1, MemLimit: 8 << 20}},
	} {
		k, err := pwhash.DeriveKey(tc.pw, salt, tc.p, pwhash.DefaultLimits)
		require.NoError(t, err, "%+v", tc.p)
		want := argon2.IDKey(tc.pw, salt[:], uint32(tc.p.OpsLimit), uint32(tc.p.MemLimit/1024), 1, pwhash.KeySize)
		// Keys and passwords: compared, never printed.
		assert.True(t, bytes.Equal(want, k.Bytes()), "case %d %+v: libsodium and x/crypto differ", i, tc.p)
	}
}

func TestDeriveKeyInputs(t *testing.T) {
	salt := mustSalt(t, "vd0dcYMGNLKn/gpT6uTFTw==")
	p := pwhash.Params{OpsLimit: 1, MemLimit: pwhash.MinMemLimit}
	pw := []byte("password")
	a, _ := pwhash.DeriveKey(pw, salt, p, pwhash.DefaultLimits)
	assert.True(t, bytes.Equal([]byte("password"), pw), "DeriveKey modified the password")
	b, _ := pwhash.DeriveKey([]byte("passwore"), salt, p, pwhash.DefaultLimits)
	other := *salt
	other[15] ^= 1
	c, _ := pwhash.DeriveKey(pw, &other, p, pwhash.DefaultLimits)
	d, _ := pwhash.DeriveKey(pw, salt, pwhash.Params{OpsLimit: 2, MemLimit: pwhash.MinMemLimit}, pwhash.DefaultLimits)
	for name, k := range map[string]bool{"password": a.Equal(b), "salt": a.Equal(c), "opsLimit": a.Equal(d)} {
		assert.False(t, k, "changing the %s did not change the key", name)
	}
}

func TestCheck(t *testing.T) {
	def := pwhash.DefaultLimits
	tests := []struct {
		name string
		p    pwhash.Params
		l    pwhash.Limits
		want error
	}{
		{"interactive", pwhash.Interactive, def, nil},
		{"moderate", pwhash.Moderate, def, nil},
		{"sensitive", pwhash.Sensitive, def, nil},
		{"ente 256 MiB × 16", pwhash.Params{OpsLimit: 16, MemLimit: 256 << 20}, def, nil},
		{"ente 128 MiB × 32", pwhash.Params{OpsLimit: 32, MemLimit: 128 << 20}, def, nil},
		{"minimum", pwhash.Params{OpsLimit: 1, MemLimit: 8192}, def, nil},
		{"exactly at the limits", pwhash.Params{OpsLimit: 2, MemLimit: 1 << 20}, pwhash.Limits{MaxMemLimit: 1 << 20, MaxWork: 2 << 20}, nil},

		{"zero", pwhash.Params{}, def, pwhash.ErrInvalidParams},
		{"zero ops", pwhash.Params{MemLimit: 64 << 20}, def, pwhash.ErrInvalidParams},
		{"mem below min", pwhash.Params{OpsLimit: 2, MemLimit: 8191}, def, pwhash.ErrInvalidParams},
		{"mem in KiB by mistake", pwhash.Params{OpsLimit: 2, MemLimit: 65536 / 1024}, def, pwhash.ErrInvalidParams},
		{"invalid beats too expensive", pwhash.Params{OpsLimit: 0, MemLimit: math.MaxUint64}, def, pwhash.ErrInvalidParams},

		{"mem above limit", pwhash.Params{OpsLimit: 1, MemLimit: 1<<30 + 1}, def, pwhash.ErrTooExpensive},
		{"2 GiB", pwhash.Params{OpsLimit: 1, MemLimit: 2 << 30}, def, pwhash.ErrTooExpensive},
		{"work above limit", pwhash.Params{OpsLimit: 5, MemLimit: 1 << 30}, def, pwhash.ErrTooExpensive},
		{"ops far above", pwhash.Params{OpsLimit: 1 << 20, MemLimit: 8192}, def, pwhash.ErrTooExpensive},
		{"mem × ops overflows 64 bits", pwhash.Params{OpsLimit: 1 << 33, MemLimit: 1 << 31}, pwhash.Limits{MaxMemLimit: math.MaxUint64, MaxWork: math.MaxUint64}, pwhash.ErrTooExpensive},
		{"overflow to a small product", pwhash.Params{OpsLimit: 1 << 32, MemLimit: 1 << 32}, pwhash.Limits{MaxMemLimit: math.MaxUint64, MaxWork: 1 << 40}, pwhash.ErrTooExpensive},
		{"ops above Argon2id's 32 bits", pwhash.Params{OpsLimit: 1 << 32, MemLimit: 8192}, pwhash.Limits{MaxMemLimit: math.MaxUint64, MaxWork: math.MaxUint64}, pwhash.ErrTooExpensive},
		{"max uint64", pwhash.Params{OpsLimit: math.MaxUint64, MemLimit: math.MaxUint64}, def, pwhash.ErrTooExpensive},
		{"zero limits", pwhash.Interactive, pwhash.Limits{}, pwhash.ErrTooExpensive},
		{"custom work cap", pwhash.Params{OpsLimit: 3, MemLimit: 64 << 20}, pwhash.Limits{MaxMemLimit: 1 << 30, MaxWork: 128 << 20}, pwhash.ErrTooExpensive},
	}
	for _, tt := range tests {
		err := tt.p.Check(tt.l)
		if tt.want == nil {
			assert.NoError(t, err, "%s: Check(%+v, %+v)", tt.name, tt.p, tt.l)
		} else {
			assert.ErrorIs(t, err, tt.want, "%s: Check(%+v, %+v)", tt.name, tt.p, tt.l)
		}
		if err != nil {
			assert.True(t, strings.HasPrefix(err.Error(), "pwhash: "), "%s: error %q does not name the package", tt.name, err)
		}
		// DeriveKey must refuse with the same error before any work: for
		// most of these params, deriving would take hours or fail with
		// ErrOutOfMemory instead.
		if err != nil {
			k, derr := pwhash.DeriveKey(nil, new(pwhash.Salt), tt.p, tt.l)
			assert.Nil(t, k, "%s: DeriveKey", tt.name)
			assert.ErrorIs(t, derr, tt.want, "%s: DeriveKey", tt.name)
		}
	}
}

func TestSteps(t *testing.T) {
	seed := pwhash.SeedPolicy.Steps()
	if assert.Len(t, seed, 18, "SeedPolicy.Steps()") {
		assert.Equal(t, pwhash.Sensitive, seed[0], "SeedPolicy.Steps()[0]")
		assert.Equal(t, pwhash.Params{OpsLimit: 8, MemLimit: 512 << 20}, seed[1], "SeedPolicy.Steps()[1]")
		assert.Equal(t, pwhash.Params{OpsLimit: 4 << 17, MemLimit: pwhash.MinMemLimit}, seed[17], "SeedPolicy.Steps()[17]")
	}
	for i, s := range seed {
		assert.Equal(t, uint64(4<<30), s.MemLimit*s.OpsLimit, "seed step %d %+v does not keep the work at 4 GiB", i, s)
		assert.NoError(t, s.Check(pwhash.DefaultLimits), "seed step %d: DefaultLimits refuse it", i)
	}
	for _, tt := range []struct {
		name string
		p    pwhash.Policy
		want []pwhash.Params
	}{
		{"ente", pwhash.EntePolicy, []pwhash.Params{{OpsLimit: 16, MemLimit: 256 << 20}, {OpsLimit: 32, MemLimit: 128 << 20}}},
		{"ente, ceiling 200 MiB", pwhash.EntePolicy.WithCeiling(200 << 20), []pwhash.Params{{OpsLimit: 32, MemLimit: 128 << 20}}},
		{"ente, ceiling 128 MiB", pwhash.EntePolicy.WithCeiling(128 << 20), []pwhash.Params{{OpsLimit: 32, MemLimit: 128 << 20}}},
		{"ente, ceiling below floor", pwhash.EntePolicy.WithCeiling(100 << 20), nil},
		{"seed, ceiling 600 MiB", pwhash.SeedPolicy.WithCeiling(600 << 20), seed[1:]},
		{"seed, ceiling 1 GiB", pwhash.SeedPolicy.WithCeiling(1 << 30), seed},
		{"seed, ceiling 8 KiB", pwhash.SeedPolicy.WithCeiling(8192), seed[17:]},
		{"seed, ceiling 1 KiB", pwhash.SeedPolicy.WithCeiling(1024), nil},
		{"zero policy", pwhash.Policy{}, nil},
		{"start below floor", pwhash.Policy{Start: pwhash.Interactive, FloorMemLimit: 128 << 20}, nil},
		{"floor below libsodium's minimum", pwhash.Policy{Start: pwhash.Params{OpsLimit: 1, MemLimit: 16384}},
			[]pwhash.Params{{OpsLimit: 1, MemLimit: 16384}, {OpsLimit: 2, MemLimit: 8192}}},
		{"ops would pass 32 bits", pwhash.Policy{Start: pwhash.Params{OpsLimit: 1 << 31, MemLimit: 1 << 20}},
			[]pwhash.Params{{OpsLimit: 1 << 31, MemLimit: 1 << 20}}},
		{"ops above 32 bits", pwhash.Policy{Start: pwhash.Params{OpsLimit: 1 << 32, MemLimit: 1 << 20}}, nil},
		{"odd memory", pwhash.Policy{Start: pwhash.Params{OpsLimit: 3, MemLimit: 40000}, FloorMemLimit: 10000},
			[]pwhash.Params{{OpsLimit: 3, MemLimit: 40000}, {OpsLimit: 6, MemLimit: 20000}, {OpsLimit: 12, MemLimit: 10000}}},
	} {
		got := tt.p.Steps()
		if !assert.Len(t, got, len(tt.want), "%s: Steps(), want %+v", tt.name, tt.want) {
			continue
		}
		for i := range got {
			assert.Equal(t, tt.want[i], got[i], "%s: step %d", tt.name, i)
		}
	}
	assert.Equal(t, pwhash.SeedPolicy, pwhash.DefaultPolicy, "DefaultPolicy is not SeedPolicy")
}

func TestDeriveSensitiveKeyCheapPolicy(t *testing.T) {
	salt := mustSalt(t, "vd0dcYMGNLKn/gpT6uTFTw==")
	p := pwhash.Policy{Start: pwhash.Params{OpsLimit: 1, MemLimit: 64 << 10}, FloorMemLimit: pwhash.MinMemLimit}
	k, used, err := pwhash.DeriveSensitiveKey([]byte("pw"), salt, p)
	require.NoError(t, err, "DeriveSensitiveKey")
	require.Equal(t, p.Start, used, "DeriveSensitiveKey")
	want := argon2.IDKey([]byte("pw"), salt[:], 1, 64, 1, 32)
	require.True(t, bytes.Equal(want, k.Bytes()), "key differs from x/crypto's with the params used")
	_, _, err = pwhash.DeriveSensitiveKey([]byte("pw"), salt, pwhash.Policy{})
	require.ErrorIs(t, err, pwhash.ErrInvalidParams, "empty policy")
}

func TestSaltText(t *testing.T) {
	salt := mustSalt(t, "vd0dcYMGNLKn/gpT6uTFTw==")
	b, err := json.Marshal(map[string]*pwhash.Salt{"kekSalt": salt})
	require.NoError(t, err, "Marshal")
	require.Equal(t, `{"kekSalt":"vd0dcYMGNLKn/gpT6uTFTw=="}`, string(b), "Marshal")
	for _, in := range []string{
		"vd0dcYMGNLKn/gpT6uTFTw",     // missing padding
		"vd0dcYMGNLKn_gpT6uTFTw==",   // URL-safe
		"vd0dcYMGNLKn/gpT6uTFTx==",   // non-canonical trailing bits
		"vd0dcYMGNLKn/gpT6uTF\nTw==", // line break
		"vd0dcYMGNLKn/gpT6uTF",       // 15 bytes
		"vd0dcYMGNLKn/gpT6uTFTw8A",   // 18 bytes
		"",
	} {
		var s pwhash.Salt
		err := s.UnmarshalText([]byte(in))
		if assert.Error(t, err, "UnmarshalText(%q)", in) {
			assert.True(t, strings.HasPrefix(err.Error(), "pwhash: salt"), "UnmarshalText(%q) = %v", in, err)
		}
	}
	assert.NotEqual(t, *pwhash.RandomSalt(), *pwhash.RandomSalt(), "two random salts are equal")
	var p pwhash.Params
	assert.NoError(t, json.Unmarshal([]byte(`{"memLimit":1073741824,"opsLimit":4}`), &p), "Params JSON")
	assert.Equal(t, pwhash.Sensitive, p, "Params JSON")
}

// TestDefaultLimits pins DefaultLimits to the values the package doc and
// Ente's accounts need.
func TestDefaultLimits(t *testing.T) {
	assert.Equal(t, uint64(sodium.PwhashMemSensitive), pwhash.DefaultLimits.MaxMemLimit, "DefaultLimits = %+v", pwhash.DefaultLimits)
	assert.Equal(t, uint64(4<<30), pwhash.DefaultLimits.MaxWork, "DefaultLimits = %+v", pwhash.DefaultLimits)
}

// FuzzCheck feeds arbitrary params and limits to Check and DeriveKey: no
// panic, only the documented sentinels, agreement with an independent
// 128-bit computation of the work, and DeriveKey never derives params that
// Check refuses. Params that pass and are cheap are derived and compared
// with x/crypto.
func FuzzCheck(f *testing.F) {
	f.Add(uint64(2), uint64(64<<20), uint64(1<<30), uint64(4<<30))
	f.Add(uint64(1), uint64(8192), uint64(1<<30), uint64(4<<30))
	f.Add(uint64(0), uint64(0), uint64(0), uint64(0))
	f.Add(uint64(1<<33), uint64(1<<31), uint64(math.MaxUint64), uint64(math.MaxUint64))
	f.Add(uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(math.MaxUint64))
	f.Add(uint64(3), uint64(20000), uint64(1<<20), uint64(1<<21))
	// Every parameter pair of the independent vectors, against the defaults.
	for _, r := range vectorseed.Rows(f, "pwhash.json", "opsLimit", "memLimit") {
		ops, err1 := strconv.ParseUint(r[0], 10, 64)
		mem, err2 := strconv.ParseUint(r[1], 10, 64)
		require.NoError(f, err1, "pwhash.json params %q", r)
		require.NoError(f, err2, "pwhash.json params %q", r)
		f.Add(ops, mem, pwhash.DefaultLimits.MaxMemLimit, pwhash.DefaultLimits.MaxWork)
	}
	f.Fuzz(func(t *testing.T, ops, mem, maxMem, maxWork uint64) {
		p := pwhash.Params{OpsLimit: ops, MemLimit: mem}
		l := pwhash.Limits{MaxMemLimit: maxMem, MaxWork: maxWork}
		err := p.Check(l)

		var want error
		switch hi, lo := mul128(ops, mem); {
		case ops < 1 || mem < 8192:
			want = pwhash.ErrInvalidParams
		case ops > 1<<32-1 || mem > maxMem || hi != 0 || lo > maxWork:
			want = pwhash.ErrTooExpensive
		}
		if want == nil {
			require.NoError(t, err, "Check(%+v, %+v)", p, l)
		} else {
			require.ErrorIs(t, err, want, "Check(%+v, %+v)", p, l)
		}
		if err != nil {
			k, derr := pwhash.DeriveKey([]byte("pw"), new(pwhash.Salt), p, l)
			require.Nil(t, k, "DeriveKey(%+v, %+v)", p, l)
			require.ErrorIs(t, derr, want, "DeriveKey(%+v, %+v)", p, l)
			return
		}
		if mem > 256<<10 || ops > 3 {
			return // valid, but too slow to derive here
		}
		k, err := pwhash.DeriveKey([]byte("pw"), new(pwhash.Salt), p, l)
		require.NoError(t, err, "DeriveKey(%+v)", p)
		require.True(t, bytes.Equal(argon2.IDKey([]byte("pw"), make([]byte, 16), uint32(ops), uint32(mem/1024), 1, 32), k.Bytes()), "DeriveKey(%+v) differs from x/crypto", p)
	})
}

// mul128 multiplies by halves, independently of math/bits.Mul64.
func mul128(a, b uint64) (hi, lo uint64) {
	const m = 1<<32 - 1
	a0, a1, b0, b1 := a&m, a>>32, b&m, b>>32
	p00, p01, p10, p11 := a0*b0, a0*b1, a1*b0, a1*b1
	mid := p00>>32 + p01&m + p10&m
	lo = mid<<32 | p00&m
	hi = p11 + p01>>32 + p10>>32 + mid>>32
	return hi, lo
}
