package main

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/e2eekit/e2ee/keys"
)

// The exchange format between the Go and Node sides: dir/manifest.json
// lists objects in the wire form a client would store or send, with the
// inputs needed to open them and what opening must give; large file
// ciphertexts sit beside it in dir/<name>.bin. Objects refer to earlier
// ones by name (a file to its collection, a collection to its account).
// Byte fields that are not wire objects ([]byte in Go) are standard padded
// base64, as in the vectors. testdata/gen/crosscheck.js reads and writes
// the same shapes.

type manifest struct {
	Producer string      `json:"producer"`
	Objects  []rawObject `json:"objects"`
}

// rawObject is one object: its kind and name, and the rest for the kind's
// own type.
type rawObject struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	raw  json.RawMessage
}

func (o *rawObject) UnmarshalJSON(b []byte) error {
	type head rawObject
	if err := json.Unmarshal(b, (*head)(o)); err != nil {
		return err
	}
	o.raw = append(json.RawMessage(nil), b...)
	return nil
}

func (o rawObject) MarshalJSON() ([]byte, error) { return o.raw, nil }

// object builds a rawObject from a kind's value (which carries kind and
// name itself).
func object(kind, name string, v any) rawObject {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err) // the kinds' types always marshal
	}
	var m map[string]json.RawMessage
	_ = json.Unmarshal(raw, &m)
	m["kind"], _ = json.Marshal(kind)
	m["name"], _ = json.Marshal(name)
	raw, _ = json.Marshal(m)
	return rawObject{Kind: kind, Name: name, raw: raw}
}

// owned is the part of an object that hangs off an account: the account's
// name.
type owned struct {
	Account string `json:"account"`
}

func (v *owned) owner() string { return v.Account }

type accountObj struct {
	Password   string          `json:"password"`
	Attributes json.RawMessage `json:"attributes"`
	Expect     struct {
		KEK            []byte `json:"kek"`
		LoginKey       []byte `json:"loginKey"`
		MasterKey      []byte `json:"masterKey"`
		SecretKey      []byte `json:"secretKey"`
		PublicKey      []byte `json:"publicKey"`
		RecoveryKey    []byte `json:"recoveryKey"`
		RecoveryPhrase string `json:"recoveryPhrase"`
	} `json:"expect"`
}

type authTokenObj struct {
	owned
	EncryptedToken keys.Ciphertext `json:"encryptedToken"`
	Expect         struct {
		Token       []byte `json:"token"`
		TokenHeader string `json:"tokenHeader"`
	} `json:"expect"`
}

type sharedKeyObj struct {
	owned
	Box    []byte `json:"encryptedKey"` // sealed box to the account
	Expect struct {
		CollectionKey []byte `json:"collectionKey"`
	} `json:"expect"`
}

type collectionObj struct {
	owned
	EncryptedKey        []byte `json:"encryptedKey"`
	KeyDecryptionNonce  []byte `json:"keyDecryptionNonce"`
	EncryptedName       []byte `json:"encryptedName"`
	NameDecryptionNonce []byte `json:"nameDecryptionNonce"`
	Expect              struct {
		CollectionKey []byte `json:"collectionKey"`
		Name          string `json:"name"`
	} `json:"expect"`
}

type blobObj struct {
	EncryptedData    []byte `json:"encryptedData"`
	DecryptionHeader []byte `json:"decryptionHeader"`
}

type fileObj struct {
	Collection         string  `json:"collection"`
	EncryptedKey       []byte  `json:"encryptedKey"`
	KeyDecryptionNonce []byte  `json:"keyDecryptionNonce"`
	DecryptionHeader   []byte  `json:"decryptionHeader"`
	Data               string  `json:"data"` // file name of the ciphertext in the exchange directory
	Thumbnail          blobObj `json:"thumbnail"`
	Metadata           blobObj `json:"metadata"`
	Expect             struct {
		FileKey   []byte `json:"fileKey"`
		Size      int64  `json:"size"`
		SHA256    []byte `json:"sha256"`
		Chunks    int    `json:"chunks"`
		Thumbnail []byte `json:"thumbnail"`
		Metadata  string `json:"metadata"`
	} `json:"expect"`
}

type authKeyObj struct {
	owned
	EncryptedKey []byte `json:"encryptedKey"`
	Header       []byte `json:"header"` // the secretbox nonce
	Expect       struct {
		AuthKey []byte `json:"authKey"`
	} `json:"expect"`
}

type authEntityObj struct {
	AuthKey       string `json:"authKey"`
	EncryptedData []byte `json:"encryptedData"`
	Header        []byte `json:"header"`
	Expect        struct {
		URI string `json:"uri"`
		Tag int    `json:"tag"`
	} `json:"expect"`
}

type authExportObj struct {
	Password string          `json:"password"`
	Export   json.RawMessage `json:"export"`
	Expect   struct {
		URIs []string `json:"uris"`
	} `json:"expect"`
}

type linkObj struct {
	URL    string `json:"url"`
	Expect struct {
		Host          string `json:"host"`
		AccessToken   string `json:"accessToken"`
		CollectionKey []byte `json:"collectionKey"`
	} `json:"expect"`
}

type linkPasswordObj struct {
	Password   string          `json:"password"`
	LinkParams json.RawMessage `json:"linkParams"`
}

func readManifest(dir string) (*manifest, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("manifest.json: %w", err)
	}
	return &m, nil
}

func writeManifest(dir string, m *manifest) error {
	raw, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "manifest.json"), raw, 0o600)
}

// equal compares bytes in constant time (they are keys and plaintexts).
func equal(a, b []byte) bool {
	return len(a) == len(b) && subtle.ConstantTimeCompare(a, b) == 1
}
