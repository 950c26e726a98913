package record

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/e2eekit/e2ee/internal/entejson"
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

// MagicUpdate is the body that replaces a collection's magic metadata
// (PUT /collections/magic-metadata, /collections/public-magic-metadata),
// and one item of the list that replaces files' ({"metadataList": […]} to
// PUT /files/magic-metadata, /files/public-magic-metadata).
type MagicUpdate struct {
	ID            int64  `json:"id"`
	MagicMetadata *Magic `json:"magicMetadata"`
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
	if m == nil {
		return nil, fmt.Errorf("%w: nil magic metadata", ErrInvalid)
	}
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

// UnmarshalJSON decodes magic metadata strictly; data and header are
// required. Errors wrap ErrInvalid and name the field.
func (m *Magic) UnmarshalJSON(data []byte) error {
	if m == nil {
		return fmt.Errorf("%w: UnmarshalJSON on a nil *Magic", ErrInvalid)
	}
	var v entejson.Magic
	if err := unmarshal(data, "magic metadata", &v); err != nil {
		return err
	}
	d := &decoder{what: "magic metadata"}
	got := decodeMagic(d, "", &v)
	if d.err != nil {
		return d.err
	}
	*m = *got
	return nil
}

// MarshalJSON writes {version, count, data, header} as museum does.
func (m Magic) MarshalJSON() ([]byte, error) { return json.Marshal(encodeMagic(&m)) }

// decodeMagic converts the magic metadata at name in d's object (d's own
// if name is empty), or returns nil if there is none.
func decodeMagic(d *decoder, name string, v *entejson.Magic) *Magic {
	if v == nil {
		return nil
	}
	in := d
	if name != "" {
		in = &decoder{what: d.what + "." + name}
	}
	m := &Magic{Version: v.Version, Count: v.Count}
	in.text("data", v.Data, &m.Data, false)
	in.text("header", v.Header, &m.Header, false)
	d.fail(in.err)
	return m
}

// encodeMagic is decodeMagic's inverse; nil stays nil (omitted).
func encodeMagic(m *Magic) *entejson.Magic {
	if m == nil {
		return nil
	}
	return &entejson.Magic{Version: m.Version, Count: m.Count, Data: encode(m.Data, false), Header: encode(m.Header, false)}
}
