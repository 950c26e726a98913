package secretbox_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
)

func Example() {
	key := secret.GenerateKey()
	nonce := secretbox.RandomNonce() // never reuse a nonce under one key

	box := secretbox.Seal(nil, []byte("collection name"), nonce, key)
	fmt.Println(len(box) - secretbox.Overhead)

	msg, err := secretbox.Open(nil, box, nonce, key)
	fmt.Printf("%s %v\n", msg, err)
	// Output:
	// 15
	// collection name <nil>
}

// Opening a key that Ente stored as {encryptedKey, keyDecryptionNonce}.
func ExampleOpen() {
	raw, _ := base64.StdEncoding.DecodeString("kercNpvGufMTTHmDwAhz26DgCAvznd1+/buBqKEkWr4=")
	key, _ := secret.NewKey(raw)

	var wire struct {
		EncryptedKey       []byte          `json:"encryptedKey"`
		KeyDecryptionNonce secretbox.Nonce `json:"keyDecryptionNonce"`
	}
	err := json.Unmarshal([]byte(`{
		"encryptedKey": "KHwRN+RzvTu+jC7mCdkMsqnTPSLvevtZILmcR2OYFbIRPqDyjAl+m8KxD9B5fiEo",
		"keyDecryptionNonce": "jgfPDOsQh2VdIHWJVSBicMPF2sQW3HIY"}`), &wire)
	if err != nil {
		panic(err)
	}
	fileKey, err := secretbox.Open(nil, wire.EncryptedKey, &wire.KeyDecryptionNonce, key)
	fmt.Println(base64.StdEncoding.EncodeToString(fileKey), err)
	// Output:
	// O1ObUBMv+SCE1qWHD7+WViEIZcAeTp18Y+m9eMlDE1Y= <nil>
}
