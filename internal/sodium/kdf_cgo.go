//go:build cgo && !purego

package sodium

import js "github.com/jamesruan/sodium"

func kdfDeriveFromKey(n int, id uint64, context string, key *[KDFKeyBytes]byte) ([]byte, error) {
	if pureGo {
		return kdfDeriveFromKeyGo(n, id, context, key)
	}
	return js.MasterKey{Bytes: key[:]}.Derive(n, id, js.MakeKeyContext(context)).Bytes, nil
}
