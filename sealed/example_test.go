package sealed_test

import (
	"fmt"

	"github.com/e2eekit/e2ee/sealed"
)

func Example() {
	// The recipient publishes its public key ("publicKey" in Ente's key
	// attributes) and keeps the private key.
	recipient := sealed.GenerateKey()
	defer recipient.Destroy()

	// Anyone can seal to it; only the recipient can open.
	box, err := sealed.Seal(nil, []byte("32-byte collection key for you.."), recipient.PublicKey())
	if err != nil {
		panic(err)
	}
	fmt.Println(len(box))

	msg, err := sealed.Open(nil, box, recipient)
	fmt.Printf("%s %v\n", msg, err)
	fmt.Println(recipient)
	// Output:
	// 80
	// 32-byte collection key for you.. <nil>
	// sealed.PrivateKey(REDACTED)
}
