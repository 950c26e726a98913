package record

import (
	"encoding/json"
	"fmt"

	"github.com/e2eekit/e2ee/internal/entejson"
	"github.com/e2eekit/e2ee/secretbox"
	"github.com/e2eekit/e2ee/stream"
)

// File is a file as the diff endpoints return it (GET /collections/v2/diff
// to the owner, /public-collection/diff to a link): its key under the
// collection key (Key, for keys.OpenFileKey), its three encrypted objects,
// and its magic metadata under the file key. Times are microseconds since
// the Unix epoch.
//
// A deleted entry (IsDeleted: trashed, or removed from the collection)
// may come with its keys and headers, or with them empty.
type File struct {
	ID                int64
	OwnerID           int64
	CollectionID      int64
	CollectionOwnerID *int64 // null on entries that predate it
	CollectionAddedAt *int64 // when the file joined the collection, if known
	Key               WrappedKey
	// File is the chunked file stream's header (the ciphertext is in
	// storage), Thumbnail the thumbnail blob's, and Metadata holds the
	// metadata blob (title, times, file type) with its header.
	File, Thumbnail, Metadata FileAttributes
	IsDeleted                 bool
	UpdationTime              int64 // when the server last changed the entry
	MagicMetadata             *Magic
	PubMagicMetadata          *Magic
	Info                      *FileInfo
	Action                    *string // a hint museum may add to drive a client
	ActionUser                *int64
}

// FileAttributes locate one encrypted object of a file: a secretstream
// header, with the ciphertext inline (EncryptedData: the metadata blob) or
// in storage (the file and the thumbnail, fetched by the file's ID;
// ObjectKey names it in an upload).
type FileAttributes struct {
	ObjectKey        string
	EncryptedData    Ciphertext
	DecryptionHeader stream.Header
	Size             int64
}

// FileInfo holds the encrypted sizes, when the server knows them.
type FileInfo struct {
	FileSize  int64 `json:"fileSize,omitempty"`
	ThumbSize int64 `json:"thumbSize,omitempty"`
}

// UnmarshalJSON decodes a diff entry strictly. A live entry needs its key,
// nonce and three headers (and the metadata's data); a deleted one may
// have them empty. Errors wrap ErrInvalid and name the field.
func (f *File) UnmarshalJSON(data []byte) error {
	if f == nil {
		return fmt.Errorf("%w: UnmarshalJSON on a nil *File", ErrInvalid)
	}
	var v entejson.File
	if err := unmarshal(data, "file", &v); err != nil {
		return err
	}
	got := File{ID: v.ID, OwnerID: v.OwnerID, CollectionID: v.CollectionID, CollectionOwnerID: v.CollectionOwnerID,
		CollectionAddedAt: v.CollectionAddedAt, IsDeleted: v.IsDeleted, UpdationTime: v.UpdationTime,
		Info: (*FileInfo)(v.Info), Action: v.Action, ActionUser: v.ActionUser}
	d := &decoder{what: "file"}
	gone := v.IsDeleted
	d.text("encryptedKey", v.EncryptedKey, &got.Key.EncryptedKey, gone)
	d.text("keyDecryptionNonce", v.KeyDecryptionNonce, &got.Key.KeyDecryptionNonce, gone)
	got.File = decodeAttributes(d, "file", &v.File, gone, true)
	got.Thumbnail = decodeAttributes(d, "thumbnail", &v.Thumbnail, gone, true)
	got.Metadata = decodeAttributes(d, "metadata", &v.Metadata, gone, gone)
	got.MagicMetadata = decodeMagic(d, "magicMetadata", v.MagicMetadata)
	got.PubMagicMetadata = decodeMagic(d, "pubMagicMetadata", v.PubMagicMetadata)
	if d.err != nil {
		return d.err
	}
	*f = got
	return nil
}

// decodeAttributes reads the attributes of the object at name in d's; the
// header may be empty if gone, the data if dataOptional.
func decodeAttributes(d *decoder, name string, a *entejson.Attributes, gone, dataOptional bool) FileAttributes {
	out := FileAttributes{ObjectKey: a.ObjectKey, Size: a.Size}
	in := &decoder{what: d.what + "." + name}
	in.text("encryptedData", a.EncryptedData, &out.EncryptedData, dataOptional)
	in.text("decryptionHeader", a.DecryptionHeader, &out.DecryptionHeader, gone)
	d.fail(in.err)
	return out
}

// MarshalJSON writes the entry as museum does.
func (f File) MarshalJSON() ([]byte, error) {
	gone := f.IsDeleted
	return json.Marshal(entejson.File{ID: f.ID, OwnerID: f.OwnerID, CollectionID: f.CollectionID, CollectionOwnerID: f.CollectionOwnerID,
		CollectionAddedAt: f.CollectionAddedAt, IsDeleted: f.IsDeleted, UpdationTime: f.UpdationTime,
		Info: (*entejson.FileInfo)(f.Info), Action: f.Action, ActionUser: f.ActionUser,
		EncryptedKey:       encode(f.Key.EncryptedKey, false),
		KeyDecryptionNonce: encode(f.Key.KeyDecryptionNonce, gone && f.Key.KeyDecryptionNonce == secretbox.Nonce{}),
		File:               f.File.encode(gone),
		Thumbnail:          f.Thumbnail.encode(gone),
		Metadata:           f.Metadata.encode(gone),
		MagicMetadata:      encodeMagic(f.MagicMetadata),
		PubMagicMetadata:   encodeMagic(f.PubMagicMetadata),
	})
}

func (a FileAttributes) encode(gone bool) entejson.Attributes {
	return entejson.Attributes{ObjectKey: a.ObjectKey, Size: a.Size,
		EncryptedData:    encode(a.EncryptedData, false),
		DecryptionHeader: encode(a.DecryptionHeader, gone && a.DecryptionHeader == stream.Header{}),
	}
}
