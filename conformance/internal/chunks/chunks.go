// Package chunks reads an Ente file ciphertext chunk by chunk with the
// SDK's message-level reader, to check its layout (the tag of every chunk),
// which the streaming reader does not expose.
package chunks

import (
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/stream"
)

// Tags pulls ct as the file format frames it (blocks of
// stream.EncryptedChunkSize, the last one shorter) and returns the tag of
// each chunk, with the first error: a chunk that fails, or a missing FINAL.
func Tags(ct []byte, h stream.Header, key *secret.Key) ([]stream.Tag, error) {
	d, err := stream.NewDecryptor(h, key)
	if err != nil {
		return nil, err
	}
	var tags []stream.Tag
	buf := make([]byte, 0, min(len(ct), stream.ChunkSize))
	for len(ct) > 0 {
		n := min(len(ct), stream.EncryptedChunkSize)
		_, tag, err := d.Pull(buf[:0], ct[:n])
		if err != nil {
			return tags, err
		}
		tags, ct = append(tags, tag), ct[n:]
	}
	return tags, d.Finish()
}
