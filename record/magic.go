package record

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/e2eekit/e2ee/internal/jsonstrict"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/stream"
)

// Magic is magic metadata: a JSON object that the app keeps with a file
// or a collection ({"visibility": 1}, {"editedTime": …, "caption": …}),
// in one secretstream message under the file key (a file's) or the
// collection key (a collection's). Private (magicMetadata, read only by
// the owner) and public (pubMagicMetadata, which a public link also
// serves) are encrypted alike; so is a sharee's sharedMagicMetadata.
//
// Version is the server's: it counts updates, and an update must carry
// the version it replaces. Count is the number of members of the object.
type Magic struct {
	Version int
	Count   int
	Data    Ciphertext
	Header  stream.Header
}

// maxMagicSize caps decrypted magic metadata; apps keep a few hundred bytes.
const maxMagicSize = 1 << 20

// SealMagic encrypts metadata, a JSON object, as magic metadata under key
// (the file's or the collection's), tagged FINAL; version is the one it
// replaces (museum requires a version, and takes 1 for a first write).
// Count is set to the object's number of members. Metadata that is not a
// strict JSON object wraps ErrInvalid.
func SealMagic(metadata json.RawMessage, version int, key *secret.Key) (*Magic, error) {
	obj, err := object(metadata)
	if err != nil {
		return nil, fmt.Errorf("%w: magic metadata: %w", ErrInvalid, err)
	}
	ct, h, err := stream.EncryptBlob(metadata, key)
	if err != nil {
		return nil, fmt.Errorf("record: magic metadata: %w", err)
	}
	return &Magic{Version: version, Count: len(obj), Data: ct, Header: h}, nil
}

// Open decrypts magic metadata to its JSON object. The one message may be
// tagged FINAL or MESSAGE (Ente's web client ignores the tag, and older
// clients wrote MESSAGE), at most 1 MiB. A message that does not
// authenticate wraps stream.ErrOpen; a plaintext that is not a strict JSON
// object, ErrInvalid.
func (m *Magic) Open(key *secret.Key) (json.RawMessage, error) {
	b, err := stream.DecryptBlobLegacy(m.Data, m.Header, key, stream.WithMaxSize(maxMagicSize))
	if err != nil {
		return nil, fmt.Errorf("record: magic metadata: %w", err)
	}
	if _, err := object(b); err != nil {
		return nil, fmt.Errorf("%w: magic metadata plaintext: %w", ErrInvalid, err)
	}
	return b, nil
}

// object checks that b is a strict JSON object and returns its members.
func object(b []byte) (map[string]json.RawMessage, error) {
	if err := jsonstrict.Check(b); err != nil {
		return nil, err
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(b, &obj) != nil || obj == nil {
		return nil, errors.New("not a JSON object")
	}
	return obj, nil
}

// magicJSON is Magic on the wire; museum omits zero members.
type magicJSON struct {
	Version int    `json:"version,omitempty"`
	Count   int    `json:"count,omitempty"`
	Data    string `json:"data,omitempty"`
	Header  string `json:"header,omitempty"`
}

// UnmarshalJSON decodes magic metadata strictly; data and header are
// required. Errors wrap ErrInvalid and name the field.
func (m *Magic) UnmarshalJSON(data []byte) error {
	return m.decode(data, "magic metadata")
}

func (m *Magic) decode(data []byte, what string) error {
	var v magicJSON
	if err := unmarshal(data, what, &v); err != nil {
		return err
	}
	got := Magic{Version: v.Version, Count: v.Count}
	d := decoder{what: what}
	d.text("data", v.Data, &got.Data, false)
	d.text("header", v.Header, &got.Header, false)
	if d.err != nil {
		return d.err
	}
	*m = got
	return nil
}

// MarshalJSON writes {version, count, data, header} as museum does.
func (m Magic) MarshalJSON() ([]byte, error) {
	return json.Marshal(magicJSON{Version: m.Version, Count: m.Count, Data: encode(m.Data, false), Header: encode(m.Header, false)})
}

// decodeMagic decodes an optional magic metadata member named name.
func decodeMagic(d *decoder, name string, raw json.RawMessage) *Magic {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	m := new(Magic)
	d.fail(m.decode(raw, d.what+"."+name))
	return m
}

// rawMagic is m's JSON, or nil (omitted) for no magic metadata.
func rawMagic(m *Magic) json.RawMessage {
	if m == nil {
		return nil
	}
	b, _ := m.MarshalJSON() // ints and base64 strings cannot fail to encode
	return b
}
