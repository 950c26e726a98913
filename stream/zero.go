package stream

import (
	"errors"
	"fmt"
)

// The errors of the nil guards at the top of the exported functions and
// methods: the SDK never panics on a nil or zero value. A nil or zero
// reader, writer, Encryptor or Decryptor (not made by its constructor) has
// nothing to read or write, so it fails as a closed one does, with an error
// wrapping ErrClosed; a nil source or destination fails at construction.
var (
	errZero   = fmt.Errorf("%w: nil or zero value, not made by its constructor", ErrClosed)
	errNilIO  = errors.New("stream: nil source or destination")
	errNilOpt = errors.New("stream: nil BlobOption")
)
