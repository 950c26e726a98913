package record

import (
	"encoding/json"

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

type fileJSON struct {
	ID                 int64           `json:"id"`
	OwnerID            int64           `json:"ownerID"`
	CollectionID       int64           `json:"collectionID"`
	CollectionOwnerID  *int64          `json:"collectionOwnerID"`
	CollectionAddedAt  *int64          `json:"collectionAddedAt,omitempty"`
	EncryptedKey       string          `json:"encryptedKey"`
	KeyDecryptionNonce string          `json:"keyDecryptionNonce"`
	File               attributesJSON  `json:"file"`
	Thumbnail          attributesJSON  `json:"thumbnail"`
	Metadata           attributesJSON  `json:"metadata"`
	IsDeleted          bool            `json:"isDeleted"`
	UpdationTime       int64           `json:"updationTime"`
	MagicMetadata      json.RawMessage `json:"magicMetadata,omitempty"`
	PubMagicMetadata   json.RawMessage `json:"pubMagicMetadata,omitempty"`
	Info               *FileInfo       `json:"info,omitempty"`
	Action             *string         `json:"action,omitempty"`
	ActionUser         *int64          `json:"actionUser,omitempty"`
}

type attributesJSON struct {
	ObjectKey        string `json:"objectKey,omitempty"`
	EncryptedData    string `json:"encryptedData,omitempty"`
	DecryptionHeader string `json:"decryptionHeader"`
	Size             int64  `json:"size"`
}

// UnmarshalJSON decodes a diff entry strictly. A live entry needs its key,
// nonce and three headers (and the metadata's data); a deleted one may
// have them empty. Errors wrap ErrInvalid and name the field.
func (f *File) UnmarshalJSON(data []byte) error {
	var v fileJSON
	if err := unmarshal(data, "file", &v); err != nil {
		return err
	}
	got := File{ID: v.ID, OwnerID: v.OwnerID, CollectionID: v.CollectionID, CollectionOwnerID: v.CollectionOwnerID,
		CollectionAddedAt: v.CollectionAddedAt, IsDeleted: v.IsDeleted, UpdationTime: v.UpdationTime, Info: v.Info,
		Action: v.Action, ActionUser: v.ActionUser}
	d := &decoder{what: "file"}
	gone := v.IsDeleted
	d.text("encryptedKey", v.EncryptedKey, &got.Key.EncryptedKey, gone)
	d.text("keyDecryptionNonce", v.KeyDecryptionNonce, &got.Key.KeyDecryptionNonce, gone)
	got.File = v.File.decode(d, "file", gone, true)
	got.Thumbnail = v.Thumbnail.decode(d, "thumbnail", gone, true)
	got.Metadata = v.Metadata.decode(d, "metadata", gone, gone)
	got.MagicMetadata = decodeMagic(d, "magicMetadata", v.MagicMetadata)
	got.PubMagicMetadata = decodeMagic(d, "pubMagicMetadata", v.PubMagicMetadata)
	if d.err != nil {
		return d.err
	}
	*f = got
	return nil
}

// decode reads the attributes of the object at name in d's; the header
// may be empty if gone, the data if dataOptional.
func (a attributesJSON) decode(d *decoder, name string, gone, dataOptional bool) FileAttributes {
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
	v := fileJSON{ID: f.ID, OwnerID: f.OwnerID, CollectionID: f.CollectionID, CollectionOwnerID: f.CollectionOwnerID,
		CollectionAddedAt: f.CollectionAddedAt, IsDeleted: f.IsDeleted, UpdationTime: f.UpdationTime, Info: f.Info,
		Action: f.Action, ActionUser: f.ActionUser,
		EncryptedKey:       encode(f.Key.EncryptedKey, false),
		KeyDecryptionNonce: encode(f.Key.KeyDecryptionNonce, gone && f.Key.KeyDecryptionNonce == [24]byte{}),
		File:               f.File.encode(gone),
		Thumbnail:          f.Thumbnail.encode(gone),
		Metadata:           f.Metadata.encode(gone),
		MagicMetadata:      rawMagic(f.MagicMetadata),
		PubMagicMetadata:   rawMagic(f.PubMagicMetadata),
	}
	return json.Marshal(v)
}

func (a FileAttributes) encode(gone bool) attributesJSON {
	return attributesJSON{ObjectKey: a.ObjectKey, Size: a.Size,
		EncryptedData:    encode(a.EncryptedData, false),
		DecryptionHeader: encode(a.DecryptionHeader, gone && a.DecryptionHeader == stream.Header{}),
	}
}
