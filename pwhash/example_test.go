package pwhash_test

import (
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/e2eekit/e2ee/pwhash"
)

// Re-deriving a key-encryption key with the params stored beside it. This
// is the known answer of Ente's CLI tests, at libsodium's INTERACTIVE cost.
func ExampleDeriveKey() {
	var salt pwhash.Salt
	if err := salt.UnmarshalText([]byte("vd0dcYMGNLKn/gpT6uTFTw==")); err != nil {
		panic(err)
	}
	params := pwhash.Params{MemLimit: 67108864, OpsLimit: 2} // from the stored JSON

	kek, err := pwhash.DeriveKey([]byte("test_password"), &salt, params, pwhash.DefaultLimits)
	if err != nil {
		panic(err)
	}
	defer kek.Destroy()
	b := kek.Bytes()
	fmt.Println(base64.StdEncoding.EncodeToString(b))
	clear(b)

	// Params from an untrusted file are capped before any work is done.
	hostile := pwhash.Params{MemLimit: 64 << 30, OpsLimit: 100}
	_, err = pwhash.DeriveKey([]byte("test_password"), &salt, hostile, pwhash.DefaultLimits)
	fmt.Println(errors.Is(err, pwhash.ErrTooExpensive))
	// Output:
	// vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwTl920flyT0=
	// true
}

// Sign-up with the memory back-off. A real caller passes SeedPolicy or
// EntePolicy; this cheap policy keeps the example fast.
func ExampleDeriveSensitiveKey() {
	cheap := pwhash.Policy{
		Start:         pwhash.Params{OpsLimit: 1, MemLimit: 256 << 10},
		FloorMemLimit: 64 << 10,
	}
	fmt.Printf("%+v\n", cheap.Steps())

	salt := pwhash.RandomSalt()
	kek, used, err := pwhash.DeriveSensitiveKey([]byte("new password"), salt, cheap)
	if err != nil {
		panic(err) // errors.Is(err, pwhash.ErrOutOfMemory): even the floor failed
	}
	defer kek.Destroy()
	// Store used (and the salt) with the account: always re-derive with them.
	fmt.Printf("%+v\n", used)
	// Output:
	// [{OpsLimit:1 MemLimit:262144} {OpsLimit:2 MemLimit:131072} {OpsLimit:4 MemLimit:65536}]
	// {OpsLimit:1 MemLimit:262144}
}

func ExamplePolicy_Steps() {
	for _, s := range pwhash.EntePolicy.Steps() {
		fmt.Printf("%d MiB × %d\n", s.MemLimit>>20, s.OpsLimit)
	}
	fmt.Println(len(pwhash.SeedPolicy.WithCeiling(512 << 20).Steps()))
	// Output:
	// 256 MiB × 16
	// 128 MiB × 32
	// 17
}
