package secret_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/e2eekit/e2ee/secret"
)

func Example() {
	k := secret.GenerateKey()
	defer k.Destroy()

	// A key never prints, whatever the verb or however deep it is held.
	fmt.Printf("%v %x\n", k, k)
	fmt.Printf("%+v\n", struct{ MasterKey *secret.Key }{k})

	// Nor does it marshal.
	_, err := json.Marshal(struct{ MasterKey *secret.Key }{k})
	fmt.Println(errors.Is(err, secret.ErrNotMarshalable))

	// Copies are compared in constant time.
	c, _ := secret.NewKey(k.Bytes())
	fmt.Println(k.Equal(c))
	// Output:
	// secret.Key(REDACTED) secret.Key(REDACTED)
	// {MasterKey:secret.Key(REDACTED)}
	// true
	// true
}
