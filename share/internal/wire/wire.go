// Package wire holds the JSON shapes of Ente's public-collection API, as
// the server (museum, server/ente/collection.go, file.go,
// public_collection.go in ente-io/ente) sends them. Package share decodes
// them and package sharetest serves them. Binary fields are strict padded
// standard base64 strings, decoded one entry at a time so that one bad
// entry does not sink a whole page.
package wire

import "encoding/json"

// Paths of the public-collection API, relative to the API base.
const (
	InfoPath           = "/public-collection/info"
	DiffPath           = "/public-collection/diff"            // ?sinceTime=µs
	VerifyPasswordPath = "/public-collection/verify-password" // POST
	DownloadPath       = "/public-collection/files/download/" // + file ID; 307 to storage
	PreviewPath        = "/public-collection/files/preview/"  // + file ID; thumbnail
	TokenHeader        = "X-Auth-Access-Token"                // the link's access token
	JWTHeader          = "X-Auth-Access-Token-JWT"            // after verify-password
	// DeviceTokenHeader is the link device token a client echoes, so that
	// the server counts it as one device against the link's deviceLimit;
	// the server hands it out (and refreshes it) in NewDeviceTokenHeader
	// on info and diff.
	DeviceTokenHeader    = "X-Auth-Link-Device-Token"
	NewDeviceTokenHeader = "X-Ente-Link-Device-Token"
	// DeviceLimitCode is the "code" of the 403 for a link over its limit.
	DeviceLimitCode = "LINK_DEVICE_LIMIT_EXCEEDED"
	// PasswordProtectedCode is the code of the 401 for a request to a
	// password-protected link without a JWT.
	PasswordProtectedCode = "PASS_PROTECTED_RESOURCE"
)

// InfoResponse is GET /public-collection/info.
type InfoResponse struct {
	Collection json.RawMessage `json:"collection"`
}

// Collection is the album. For a public link the key is the fragment's;
// EncryptedKey (under the owner's master key) is of no use to a viewer.
type Collection struct {
	ID                  int64       `json:"id"`
	Name                string      `json:"name,omitempty"` // legacy plaintext name
	EncryptedName       string      `json:"encryptedName,omitempty"`
	NameDecryptionNonce string      `json:"nameDecryptionNonce,omitempty"`
	Type                string      `json:"type"`
	PublicURLs          []PublicURL `json:"publicURLs"`
	UpdationTime        int64       `json:"updationTime"`
	MagicMetadata       *Magic      `json:"magicMetadata,omitempty"`
	PubMagicMetadata    *Magic      `json:"pubMagicMetadata,omitempty"`
}

// PublicURL describes the link. Nonce (the salt), MemLimit and OpsLimit
// are present when PasswordEnabled.
type PublicURL struct {
	URL             string  `json:"url"`
	DeviceLimit     int     `json:"deviceLimit"`
	ValidTill       int64   `json:"validTill"` // µs since the epoch, 0 = never
	EnableDownload  bool    `json:"enableDownload"`
	EnableCollect   bool    `json:"enableCollect"`
	PasswordEnabled bool    `json:"passwordEnabled"`
	Nonce           *string `json:"nonce,omitempty"`
	MemLimit        *uint64 `json:"memLimit,omitempty"`
	OpsLimit        *uint64 `json:"opsLimit,omitempty"`
}

// Magic is magic metadata: Data is a one-message secretstream blob of JSON
// under the collection key (for a collection) or the file key (for a
// file), Header its secretstream header.
type Magic struct {
	Version int    `json:"version"`
	Count   int    `json:"count"`
	Data    string `json:"data"`
	Header  string `json:"header"`
}

// DiffResponse is GET /public-collection/diff?sinceTime=.
type DiffResponse struct {
	Diff    []json.RawMessage `json:"diff"`
	HasMore bool              `json:"hasMore"`
}

// File is one entry of a diff. A deleted entry carries only ID,
// CollectionID, IsDeleted and UpdationTime.
type File struct {
	ID                 int64      `json:"id"`
	OwnerID            int64      `json:"ownerID,omitempty"`
	CollectionID       int64      `json:"collectionID"`
	EncryptedKey       string     `json:"encryptedKey"` // secretbox of the file key under the collection key
	KeyDecryptionNonce string     `json:"keyDecryptionNonce"`
	File               Attributes `json:"file"`      // header of the chunked file stream
	Thumbnail          Attributes `json:"thumbnail"` // header of the thumbnail blob
	Metadata           Attributes `json:"metadata"`  // EncryptedData + header of the metadata blob
	IsDeleted          bool       `json:"isDeleted"`
	UpdationTime       int64      `json:"updationTime"` // µs since the epoch
	PubMagicMetadata   *Magic     `json:"pubMagicMetadata,omitempty"`
	Info               *FileInfo  `json:"info,omitempty"`
}

// Attributes locate one encrypted object of a file.
type Attributes struct {
	EncryptedData    string `json:"encryptedData,omitempty"`
	DecryptionHeader string `json:"decryptionHeader"`
	Size             int64  `json:"size,omitempty"`
}

// FileInfo holds the encrypted sizes, when the server knows them.
type FileInfo struct {
	FileSize  int64 `json:"fileSize,omitempty"`
	ThumbSize int64 `json:"thumbSize,omitempty"`
}

// VerifyPasswordRequest is the body of POST /public-collection/verify-password.
type VerifyPasswordRequest struct {
	PassHash string `json:"passHash"`
}

// VerifyPasswordResponse carries the JWT sent afterwards in JWTHeader.
type VerifyPasswordResponse struct {
	JWTToken string `json:"jwtToken"`
}

// Metadata is the decrypted metadata blob of a file (the fields a viewer
// shows; the rest is kept as raw JSON).
type Metadata struct {
	Title            string `json:"title"`
	CreationTime     int64  `json:"creationTime"`     // µs since the epoch
	ModificationTime int64  `json:"modificationTime"` // µs since the epoch
	FileType         int    `json:"fileType"`         // 0 image, 1 video, 2 live photo
}

// Paths of the single-file link API (museum's /file-link group).
const (
	FileLinkInfoPath      = "/file-link/info"      // → FileLinkInfoResponse; admits the device
	FileLinkPassInfoPath  = "/file-link/pass-info" // → PassInfoResponse (no JWT needed)
	FileLinkVerifyPath    = "/file-link/verify-password"
	FileLinkFilePath      = "/file-link/file"      // 307 to storage: the file stream
	FileLinkThumbnailPath = "/file-link/thumbnail" // 307 to storage: the thumbnail
)

// FileLinkInfoResponse is GET /file-link/info: the file as the diff
// endpoints return it, and, for a link whose fragment is a secret, what
// the secret unlocks.
type FileLinkInfoResponse struct {
	File json.RawMessage `json:"file"`
	Link *FileLinkSecret `json:"link,omitempty"`
}

// FileLinkSecret holds the file key under a key derived from the link's
// 12-character secret: Argon2id(secret, KdfNonce, KdfOpsLimit,
// KdfMemLimit) opens EncryptedFileKey (secretbox, EncryptedFileKeyNonce).
type FileLinkSecret struct {
	EncryptedFileKey      *string `json:"encryptedFileKey,omitempty"`
	EncryptedFileKeyNonce *string `json:"encryptedFileKeyNonce,omitempty"`
	KdfNonce              *string `json:"kdfNonce,omitempty"`
	KdfMemLimit           *uint64 `json:"kdfMemLimit,omitempty"`
	KdfOpsLimit           *uint64 `json:"kdfOpsLimit,omitempty"`
}

// PassInfoResponse is GET /file-link/pass-info: the link password's
// Argon2id salt ("nonce") and limits.
type PassInfoResponse struct {
	Nonce    *string `json:"nonce"`
	OpsLimit *uint64 `json:"opsLimit"`
	MemLimit *uint64 `json:"memLimit"`
}

// Paths of the collect (anonymous upload) API of a public album.
const (
	UploadURLsPath    = "/public-collection/upload-urls"           // ?count=N → UploadURLsResponse
	MultipartURLsPath = "/public-collection/multipart-upload-urls" // ?count=parts → MultipartURLsResponse
	CreateFilePath    = "/public-collection/file"                  // POST NewFile → File
)

// UploadURL is a presigned PUT for one object.
type UploadURL struct {
	ObjectKey string `json:"objectKey"`
	URL       string `json:"url"`
}

// UploadURLsResponse is GET /public-collection/upload-urls.
type UploadURLsResponse struct {
	URLs []UploadURL `json:"urls"`
}

// MultipartURLs are presigned part PUTs for one object and the POST that
// completes it (S3's CompleteMultipartUpload).
type MultipartURLs struct {
	ObjectKey   string   `json:"objectKey"`
	PartURLs    []string `json:"partURLs"`
	CompleteURL string   `json:"completeURL"`
}

// MultipartURLsResponse is GET /public-collection/multipart-upload-urls.
type MultipartURLsResponse struct {
	URLs MultipartURLs `json:"urls"`
}

// UploadedObject names an uploaded object in NewFile.
type UploadedObject struct {
	ObjectKey        string `json:"objectKey,omitempty"`
	EncryptedData    string `json:"encryptedData,omitempty"`
	DecryptionHeader string `json:"decryptionHeader"`
	Size             int64  `json:"size,omitempty"`
}

// NewFile is the body of POST /public-collection/file.
type NewFile struct {
	CollectionID       int64          `json:"collectionID"`
	EncryptedKey       string         `json:"encryptedKey"`
	KeyDecryptionNonce string         `json:"keyDecryptionNonce"`
	File               UploadedObject `json:"file"`
	Thumbnail          UploadedObject `json:"thumbnail"`
	Metadata           UploadedObject `json:"metadata"`
}
