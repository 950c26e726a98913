// Package record holds the objects of Ente's photos API as Go values, so that
// an app can read and write what the server stores without re-deriving its
// shapes: a file and a collection as the diff endpoints return them (GET
// /collections/v2 and /collections/v2/diff for the owner,
// /public-collection/info and /public-collection/diff for a link), a file's
// encrypted objects (FileAttributes), magic metadata (Magic: SealMagic and
// Open, and MagicUpdate to send it), and the wrapped keys and ciphertexts they carry (WrappedKey,
// Ciphertext), which package keys opens.
//
// It sits with the primitives, below keys and share, so that both can use
// its types; keys.WrappedKey and keys.Ciphertext are this package's.
//
// # Decoding
//
// Every record decodes strict JSON (an object naming a member twice, at any
// depth, is refused, as are a byte-order mark and invalid UTF-8) and every
// binary field strict padded standard base64 of the right length; an error
// wraps ErrInvalid and names the field (file.metadata.decryptionHeader),
// never its value. Unknown members are ignored. Member names are Ente's,
// exactly: one that differs only in letter case ("EncryptedKey"), which
// encoding/json would read into the field, is refused.
//
// A deleted diff entry (isDeleted) may have its keys and headers empty
// ("" or null): they decode to zero values and encode back as "".
//
// # Encoding
//
// MarshalJSON writes what museum writes: the same members, with museum's
// omissions (an absent magicMetadata, info, sharedAt …), so that decoding
// a server answer and encoding it again gives the same fields and values;
// testdata/museum holds answers captured from a real server, and a test
// holds this package to them.
package record
