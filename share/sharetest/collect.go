package sharetest

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/e2eekit/e2ee/share/internal/wire"
)

// SetCollect turns the link's enableCollect on or off: with it, anyone with
// the link may add files, through museum's upload-urls,
// multipart-upload-urls and file routes, which this Server serves (objects
// go to /storage/up/ on the request's host, or StorageURL).
func (s *Server) SetCollect(on bool) {
	if !s.ok() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wire.PublicURLs[0].EnableCollect = on
}

// Object returns an uploaded object by key (a test's look behind the
// scenes), or nil.
func (s *Server) Object(key string) []byte {
	if !s.ok() {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.objects[key]
}

// serveCollect serves the collect routes. Called with s.mu held.
func (s *Server) serveCollect(w http.ResponseWriter, r *http.Request) {
	if !s.wire.PublicURLs[0].EnableCollect {
		fail(w, http.StatusForbidden, "collect is not enabled")
		return
	}
	storage := "http://" + r.Host
	if s.StorageURL != "" {
		storage = s.StorageURL
	}
	count, _ := strconv.Atoi(r.URL.Query().Get("count"))
	switch r.URL.Path {
	case wire.UploadURLsPath:
		if count < 1 || count > 100 {
			fail(w, http.StatusBadRequest, "bad count")
			return
		}
		var out wire.UploadURLsResponse
		for range count {
			key := "obj-" + randomToken()
			out.URLs = append(out.URLs, wire.UploadURL{ObjectKey: key, URL: storage + "/storage/up/" + key + "?X-Amz-Signature=SIG"})
		}
		reply(w, out)
	case wire.MultipartURLsPath:
		if count < 1 || count > 10000 {
			fail(w, http.StatusBadRequest, "bad count")
			return
		}
		key := "obj-" + randomToken()
		out := wire.MultipartURLsResponse{URLs: wire.MultipartURLs{ObjectKey: key, CompleteURL: storage + "/storage/up/" + key + "?complete&X-Amz-Signature=SIG"}}
		for i := range count {
			out.URLs.PartURLs = append(out.URLs.PartURLs, fmt.Sprintf("%s/storage/up/%s?partNumber=%d&X-Amz-Signature=SIG", storage, key, i+1))
		}
		reply(w, out)
	case wire.CreateFilePath:
		s.createFile(w, r)
	}
}

// serveUpload stores a PUT object or part, or completes a multipart
// upload. Called with s.mu held.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get(wire.TokenHeader) != "" || r.Header.Get(wire.JWTHeader) != "" || r.Header.Get(wire.DeviceTokenHeader) != "" {
		s.log.StorageSawToken = true
	}
	key := strings.TrimPrefix(r.URL.Path, "/storage/up/")
	if r.ContentLength < 0 {
		fail(w, http.StatusLengthRequired, "presigned PUTs need a Content-Length")
		return
	}
	h := md5.New()
	var body []byte
	var err error
	n := int64(0)
	if s.DiscardUploads && r.Method == http.MethodPut {
		n, err = io.Copy(h, r.Body)
		body = make([]byte, 0) // not nil: the object exists
	} else {
		body, err = io.ReadAll(r.Body)
		n = int64(len(body))
		h.Write(body)
	}
	if err != nil || n != r.ContentLength {
		fail(w, http.StatusBadRequest, "short body")
		return
	}
	etag := `"` + hex.EncodeToString(h.Sum(nil)) + `"`
	if s.sizes == nil {
		s.sizes = map[string]int64{}
	}
	s.sizes[key] = n
	if s.objects == nil {
		s.objects, s.parts = map[string][]byte{}, map[string]map[int64][]byte{}
	}
	q := r.URL.Query()
	switch {
	case r.Method == http.MethodPut && q.Get("partNumber") != "":
		num, _ := strconv.ParseInt(q.Get("partNumber"), 10, 64)
		if s.parts[key] == nil {
			s.parts[key] = map[int64][]byte{}
		}
		s.parts[key][num] = body
		s.sizes[key+"#"+q.Get("partNumber")] = n
		s.log.UploadedParts++
	case r.Method == http.MethodPut:
		s.objects[key] = body
	case r.Method == http.MethodPost && q.Has("complete"):
		var done struct {
			Parts []struct {
				PartNumber int64
				ETag       string
			} `xml:"Part"`
		}
		if xml.Unmarshal(body, &done) != nil || len(done.Parts) == 0 {
			fail(w, http.StatusBadRequest, "bad CompleteMultipartUpload")
			return
		}
		whole := []byte{}
		for i, p := range done.Parts {
			part, ok := s.parts[key][p.PartNumber]
			sum := md5.Sum(part)
			if !ok || p.PartNumber != int64(i+1) || (!s.DiscardUploads && p.ETag != `"`+hex.EncodeToString(sum[:])+`"`) {
				fail(w, http.StatusBadRequest, "parts out of order or ETag mismatch")
				return
			}
			whole = append(whole, part...)
		}
		s.objects[key] = whole
		s.sizes[key] = s.partSizes(key)
		delete(s.parts, key)
	default:
		fail(w, http.StatusMethodNotAllowed, "method")
		return
	}
	w.Header().Set("ETag", etag)
	w.WriteHeader(http.StatusOK)
}

// partSizes totals the sizes of a multipart upload's parts.
func (s *Server) partSizes(key string) int64 {
	var n int64
	for k, size := range s.sizes {
		if strings.HasPrefix(k, key+"#") {
			n += size
			delete(s.sizes, k)
		}
	}
	return n
}

// createFile registers an uploaded file, as museum does: objects must
// exist with the sizes given. Called with s.mu held.
func (s *Server) createFile(w http.ResponseWriter, r *http.Request) {
	var f wire.NewFile
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&f) != nil {
		fail(w, http.StatusBadRequest, "bad file")
		return
	}
	data, thumb := s.objects[f.File.ObjectKey], s.objects[f.Thumbnail.ObjectKey]
	switch {
	case f.CollectionID != s.id:
		fail(w, http.StatusBadRequest, "can only update to associated collection")
		return
	case data == nil || thumb == nil || s.sizes[f.File.ObjectKey] != f.File.Size || s.sizes[f.Thumbnail.ObjectKey] != f.Thumbnail.Size:
		fail(w, http.StatusBadRequest, "object missing or size mismatch")
		return
	case f.EncryptedKey == "" || f.Metadata.EncryptedData == "":
		fail(w, http.StatusBadRequest, "missing key or metadata")
		return
	}
	s.nextID++
	s.clock++
	e := &entry{f: wire.File{
		ID: s.nextID, OwnerID: 1, CollectionID: s.id, EncryptedKey: f.EncryptedKey, KeyDecryptionNonce: f.KeyDecryptionNonce,
		File:         wire.Attributes{DecryptionHeader: f.File.DecryptionHeader, Size: f.File.Size},
		Thumbnail:    wire.Attributes{DecryptionHeader: f.Thumbnail.DecryptionHeader, Size: f.Thumbnail.Size},
		Metadata:     wire.Attributes{EncryptedData: f.Metadata.EncryptedData, DecryptionHeader: f.Metadata.DecryptionHeader},
		UpdationTime: s.clock,
	}, data: data, thumb: thumb}
	s.files = append(s.files, e)
	s.log.Collected++
	reply(w, e.f)
}
