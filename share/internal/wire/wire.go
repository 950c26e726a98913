// Package wire holds the JSON shapes of Ente's public-collection API, as
// the server (museum, server/ente/collection.go, file.go,
// public_collection.go in ente-io/ente) sends them. Package share decodes
// them and package sharetest serves them. Binary fields are strict padded
// standard base64 strings, decoded one entry at a time so that one bad
// entry does not sink a whole page.
//
// Package record has the same server objects as typed, strictly decoded
// values for apps. The viewer keeps these string shapes on purpose: it
// must tell a malformed entry (skipped and counted as ErrUndecryptable,
// the rest of the page synced) from a malformed page (ErrBadResponse),
// and record's strict decoding refuses an entry's bad base64 as a whole.
package wire

import (
	"encoding/json"

	"github.com/e2eekit/e2ee/internal/entejson"
)

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

// The shapes of museum's files and collections are package entejson's,
// shared with package record.
type (
	// Collection is the album. For a public link the key is the
	// fragment's; EncryptedKey (under the owner's master key) is of no use
	// to a viewer.
	Collection = entejson.Collection
	// PublicURL describes the link.
	PublicURL = entejson.PublicURL
	// Magic is magic metadata.
	Magic = entejson.Magic
	// File is one entry of a diff. A deleted entry may carry only ID,
	// CollectionID, IsDeleted and UpdationTime.
	File = entejson.File
	// Attributes locate one encrypted object of a file.
	Attributes = entejson.Attributes
	// FileInfo holds the encrypted sizes, when the server knows them.
	FileInfo = entejson.FileInfo
)

// DiffResponse is GET /public-collection/diff?sinceTime=.
type DiffResponse struct {
	Diff    []json.RawMessage `json:"diff"`
	HasMore bool              `json:"hasMore"`
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
