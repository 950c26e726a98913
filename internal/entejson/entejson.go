// Package entejson is the one model of museum's photos JSON (a file and a
// collection as the diff endpoints return them, with their magic metadata,
// encrypted objects and links), as the server writes it: member names,
// which members are omitted when empty (museum's omitempty), binary fields
// as base64 strings (server/ente/file.go, collection.go,
// public_collection.go in ente-io/ente).
//
// Two packages read it: record, which turns it into typed values and
// back, strictly, and share's viewer (through share/internal/wire), which
// decodes each entry's strings itself so that one malformed entry is
// skipped rather than failing a page.
package entejson

// File is a diff entry.
type File struct {
	ID                 int64      `json:"id"`
	OwnerID            int64      `json:"ownerID"`
	CollectionID       int64      `json:"collectionID"`
	CollectionOwnerID  *int64     `json:"collectionOwnerID"`
	CollectionAddedAt  *int64     `json:"collectionAddedAt,omitempty"`
	EncryptedKey       string     `json:"encryptedKey"` // secretbox of the file key under the collection key
	KeyDecryptionNonce string     `json:"keyDecryptionNonce"`
	File               Attributes `json:"file"`      // header of the chunked file stream
	Thumbnail          Attributes `json:"thumbnail"` // header of the thumbnail blob
	Metadata           Attributes `json:"metadata"`  // EncryptedData + header of the metadata blob
	IsDeleted          bool       `json:"isDeleted"`
	UpdationTime       int64      `json:"updationTime"` // µs since the epoch
	MagicMetadata      *Magic     `json:"magicMetadata,omitempty"`
	PubMagicMetadata   *Magic     `json:"pubMagicMetadata,omitempty"`
	Info               *FileInfo  `json:"info,omitempty"`
	Action             *string    `json:"action,omitempty"`
	ActionUser         *int64     `json:"actionUser,omitempty"`
}

// Attributes locate one encrypted object of a file.
type Attributes struct {
	ObjectKey        string `json:"objectKey,omitempty"`
	EncryptedData    string `json:"encryptedData,omitempty"`
	DecryptionHeader string `json:"decryptionHeader"`
	Size             int64  `json:"size"`
}

// FileInfo holds the encrypted sizes, when the server knows them.
type FileInfo struct {
	FileSize  int64 `json:"fileSize,omitempty"`
	ThumbSize int64 `json:"thumbSize,omitempty"`
}

// Magic is magic metadata: Data is a one-message secretstream blob of JSON
// under the collection key (a collection's) or the file key (a file's),
// Header its secretstream header.
type Magic struct {
	Version int    `json:"version,omitempty"`
	Count   int    `json:"count,omitempty"`
	Data    string `json:"data,omitempty"`
	Header  string `json:"header,omitempty"`
}

// Collection is an album as its owner, a sharee or a public link gets it.
type Collection struct {
	ID                  int64                `json:"id"`
	Owner               CollectionUser       `json:"owner"`
	EncryptedKey        string               `json:"encryptedKey"`
	KeyDecryptionNonce  string               `json:"keyDecryptionNonce,omitempty"`
	Name                string               `json:"name"` // legacy plaintext name
	EncryptedName       string               `json:"encryptedName"`
	NameDecryptionNonce string               `json:"nameDecryptionNonce"`
	Type                string               `json:"type"`
	Attributes          CollectionAttributes `json:"attributes"`
	Sharees             []CollectionUser     `json:"sharees"`
	PublicURLs          []PublicURL          `json:"publicURLs"`
	UpdationTime        int64                `json:"updationTime"`
	SharedAt            *int64               `json:"sharedAt,omitempty"`
	IsDeleted           bool                 `json:"isDeleted,omitempty"`
	MagicMetadata       *Magic               `json:"magicMetadata,omitempty"`
	App                 string               `json:"app"`
	PubMagicMetadata    *Magic               `json:"pubMagicMetadata,omitempty"`
	SharedMagicMetadata *Magic               `json:"sharedMagicMetadata,omitempty"`
}

// CollectionUser is a collection's owner or one of its sharees.
type CollectionUser struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  string `json:"role"`
}

// CollectionAttributes are a folder's encrypted device path and the
// collection's version.
type CollectionAttributes struct {
	EncryptedPath       string `json:"encryptedPath,omitempty"`
	PathDecryptionNonce string `json:"pathDecryptionNonce,omitempty"`
	Version             int    `json:"version"`
}

// PublicURL describes a collection's link. Nonce (the password's salt),
// MemLimit and OpsLimit come with PasswordEnabled.
type PublicURL struct {
	URL             string  `json:"url"`
	DeviceLimit     int     `json:"deviceLimit"`
	ValidTill       int64   `json:"validTill"` // µs since the epoch, 0 = never
	EnableDownload  bool    `json:"enableDownload"`
	EnableCollect   bool    `json:"enableCollect"`
	EnableComment   bool    `json:"enableComment"`
	PasswordEnabled bool    `json:"passwordEnabled"`
	Nonce           *string `json:"nonce,omitempty"`
	MemLimit        *uint64 `json:"memLimit,omitempty"`
	OpsLimit        *uint64 `json:"opsLimit,omitempty"`
	EnableJoin      bool    `json:"enableJoin"`
	MinRole         *string `json:"minRole,omitempty"`
}
