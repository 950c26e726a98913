package keys_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/secret"
)

// Sign up on one device, unlock on another from the JSON alone.
func ExampleGenerate() {
	password := []byte("correct horse battery staple")
	// Real sign-ups use pwhash.DefaultPolicy (1 GiB, ~2.5 s) or
	// pwhash.EntePolicy; the example uses Argon2id's minimum to run fast.
	policy := pwhash.Policy{Start: pwhash.Params{OpsLimit: 1, MemLimit: pwhash.MinMemLimit}, FloorMemLimit: pwhash.MinMemLimit}
	attrs, secrets, rk, err := keys.Generate(password, policy)
	if err != nil {
		panic(err)
	}
	wire, _ := json.Marshal(attrs) // PUT /users/attributes
	fmt.Println("recovery phrase words:", len(strings.Fields(rk.Mnemonic())))

	// Another device.
	var a keys.Attributes
	if err := json.Unmarshal(wire, &a); err != nil {
		panic(err)
	}
	kek, err := keys.DeriveKEK(password, &a, pwhash.DefaultLimits)
	if err != nil {
		panic(err)
	}
	s, err := keys.Unlock(kek, &a)
	if err != nil {
		panic(err)
	}
	fmt.Println("same master key:", s.MasterKey().Equal(secrets.MasterKey()))
	fmt.Println("secrets print as:", s)

	kek, _ = keys.DeriveKEK([]byte("wrong"), &a, pwhash.DefaultLimits)
	_, err = keys.Unlock(kek, &a)
	fmt.Println("wrong password:", errors.Is(err, keys.ErrIncorrectPassword))
	// Output:
	// recovery phrase words: 24
	// same master key: true
	// secrets print as: keys.Secrets(REDACTED)
	// wrong password: true
}

func ExampleParseRecoveryKey() {
	// Typed or pasted by a person: any case, any spacing, punctuation
	// between the words.
	rk, err := keys.ParseRecoveryKey("  Legal, winner, thank, year, wave, sausage, worth, useful,\n" +
		"legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth TITLE. ")
	if err != nil {
		panic(err)
	}
	fmt.Println(rk.Hex())
	_, err = keys.ParseRecoveryKey(strings.Replace(rk.Mnemonic(), "thank", "thanks", 1))
	fmt.Println(err)
	// Output:
	// 7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f
	// keys: invalid recovery key: word 3 is not in the BIP-39 English list
}

func ExampleRecoveryKey_Mnemonic() {
	rk, _ := keys.NewRecoveryKey(make([]byte, 32))
	fmt.Println(rk.Mnemonic())
	// Output:
	// abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art
}

func ExampleLoginKey() {
	b, _ := base64.StdEncoding.DecodeString("vp8d8Nee0BbIML4ab8Cp34uYnyrN77cRwTl920flyT0=")
	kek, _ := keys.NewKEK(b)
	fmt.Println(base64.StdEncoding.EncodeToString(keys.LoginKey(kek)))
	// Output:
	// SFSa5oJxygjfifMdZjNWcg==
}

func ExampleAttributes_UnmarshalJSON() {
	var a keys.Attributes
	err := json.Unmarshal([]byte(`{"kekSalt":"vd0dcYMGNLKn/gpT6uTFTw","encryptedKey":"AAAA"}`), &a)
	fmt.Println(err)
	fmt.Println(errors.Is(err, keys.ErrInvalidAttributes))
	// Output:
	// keys: invalid key attributes: kekSalt: pwhash: salt: invalid base64 (want padded standard base64)
	// true
}

// Decrypt an Ente Auth export. This one is made of the known answers in
// Ente's own tests, so it holds one line, "plain_text".
func ExampleDecryptExport() {
	file := []byte(`{"version":1,
		"kdfParams":{"memLimit":67108864,"opsLimit":2,"salt":"vd0dcYMGNLKn/gpT6uTFTw=="},
		"encryptedData":"kBXQ2PuX6y/aje5r22H0AehRPh6sQ0ULoeAO",
		"encryptionNonce":"v7wsI+BFZsRMIjDm3rTxPhmi/CaUdkdJ"}`)
	uris, err := keys.DecryptExport(file, []byte("test_password"), pwhash.DefaultLimits)
	fmt.Println(uris, err)

	_, err = keys.DecryptExport(file, []byte("guess"), pwhash.DefaultLimits)
	fmt.Println(errors.Is(err, keys.ErrIncorrectPassword))
	// Output:
	// [plain_text] <nil>
	// true
}

// An Ente Auth token: sealed under the vault's authKey, opened again.
func ExampleSealAuthEntity() {
	authKey := secret.GenerateKey()
	e, err := keys.SealAuthEntity("otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP", authKey)
	if err != nil {
		panic(err)
	}
	wire, _ := json.Marshal(e) // {"encryptedData": …, "header": …}
	var back keys.AuthEntity
	if err := json.Unmarshal(wire, &back); err != nil {
		panic(err)
	}
	uri, err := keys.OpenAuthEntity(&back, authKey)
	fmt.Println(uri, err)
	// Output:
	// otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP <nil>
}
