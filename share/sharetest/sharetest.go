// Package sharetest serves an album built with this SDK the way Ente's
// server (museum) serves a public album link: the public-collection API's
// endpoints, JSON shapes, headers and status codes, for tests and demos of
// share.Viewer. Use it with net/http/httptest:
//
//	srv := sharetest.New("Holiday")
//	id, _ := srv.AddFile("beach.jpg", data, thumb)
//	ts := httptest.NewServer(srv)
//	link, _ := share.AlbumURL(share.DefaultBase, srv.Token, srv.Key)
//	v, _ := share.NewViewer(parsed, share.Options{APIBase: ts.URL})
//
// It encrypts exactly as Ente's clients do: the album name is a secretbox
// under the collection key, each file key a secretbox under it, the
// metadata and thumbnail one-message secretstreams and the file the
// chunked secretstream format under the file key.
package sharetest

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/internal/redaction"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
	"github.com/e2eekit/e2ee/share/internal/wire"
	"github.com/e2eekit/e2ee/stream"
)

// redact makes a type print as REDACTED (see redaction.Of).
type redact[T any] = redaction.Of[T]

// Damage is a way Tamper spoils a file.
type Damage int

const (
	// DamageKey flips a bit of the file's encrypted key.
	DamageKey Damage = iota
	// DamageMetadata flips a bit of the file's encrypted metadata.
	DamageMetadata
	// DamageData flips a bit in the file's encrypted content.
	DamageData
	// TruncateData drops the last byte of the file's encrypted content.
	TruncateData
)

// Server is one album behind one access token. Its exported fields may be
// set before serving; its methods are safe for concurrent use.
//
// A nil Server, or one not made by New, holds no album: its methods do
// nothing and return zero values or errors, and it answers every request
// with 500. A file ID the Server never returned is the calling test's bug:
// DeleteFile, Tamper and ShareFile panic on one, as t.Fatal would, rather
// than let the test go on against an album it did not mean.
type Server struct {
	redact[Server] // it holds the album key: prints as REDACTED

	// Key is the collection key, which goes in the link's fragment.
	Key *secret.Key
	// Token is the access token (10 upper-case letters and digits).
	Token string
	// PageSize is the most diff entries per page (default 1000).
	PageSize int
	// StorageURL, if set, is where downloads redirect (307) to, as Ente's
	// server redirects to object storage; the storage requests are served
	// by this Server under /storage/. If empty, files are served directly.
	StorageURL string

	// DeviceLimit, if set, admits at most that many devices, as Ente's
	// server does: info and diff hand out a device token (in
	// X-Ente-Link-Device-Token) that a client echoes (in
	// X-Auth-Link-Device-Token); a request without a known token is a new
	// device, and beyond the limit gets 403 LINK_DEVICE_LIMIT_EXCEEDED.
	DeviceLimit int

	// DiscardUploads makes collect uploads keep only their sizes (for
	// tests of the client's memory); such files cannot be downloaded.
	DiscardUploads bool

	// LegacyTags makes AddFile tag the metadata and thumbnail messages
	// MESSAGE instead of FINAL, as some old clients wrote them.
	LegacyTags bool

	mu       sync.Mutex
	id       int64
	wire     wire.Collection
	files    []*entry // in updationTime order
	nextID   int64
	clock    int64
	status   int
	passHash string
	jwt      string
	devices  map[string]bool // device tokens handed out
	links    map[string]*fileLink
	objects  map[string][]byte           // uploaded objects by key
	parts    map[string]map[int64][]byte // multipart uploads in progress
	sizes    map[string]int64            // object (and "key#part") sizes
	log      Log
}

type entry struct {
	f           wire.File
	data, thumb []byte
	key         *secret.Key // the file key
}

// Log records what clients asked for.
type Log struct {
	// DiffSinceTimes are the sinceTime values of every diff request.
	DiffSinceTimes []int64
	// EntriesServed counts diff entries sent.
	EntriesServed int
	// Downloads counts file and thumbnail bodies served.
	Downloads int
	// StorageSawToken is set if a storage request carried the access
	// token, the JWT or the device token.
	StorageSawToken bool
	// Collected counts files added through the collect routes, and
	// UploadedParts the multipart parts stored.
	Collected, UploadedParts int
	// Devices counts the device tokens handed out; RequestsWithDevice
	// counts requests that carried a known one.
	Devices, RequestsWithDevice int
}

// errNoAlbum is the error of a nil Server or one not made by New.
var errNoAlbum = errors.New("sharetest: nil Server, or not made by New")

// ok reports whether s was made by New.
func (s *Server) ok() bool { return s != nil && len(s.wire.PublicURLs) > 0 }

// New builds an album named name under a fresh collection key and token.
func New(name string) *Server {
	s := &Server{Key: secret.GenerateKey(), Token: randomToken(), PageSize: 1000, id: 1000 + mrand.Int64N(9000), nextID: 10000, clock: 1_700_000_000_000_000}
	nonce := secretbox.RandomNonce()
	meta, hdr := mustBlob([]byte(`{"subType":0,"visibility":0}`), s.Key, false)
	pub, pubHdr := mustBlob([]byte(`{"asc":false,"coverID":0}`), s.Key, false)
	s.wire = wire.Collection{
		ID:                  s.id,
		EncryptedName:       b64.Encode(secretbox.Seal(nil, []byte(name), nonce, s.Key)),
		NameDecryptionNonce: text(nonce),
		Type:                "album",
		PublicURLs:          []wire.PublicURL{{URL: "https://albums.ente.com/?t=" + s.Token, EnableDownload: true}},
		UpdationTime:        s.clock,
		MagicMetadata:       &wire.Magic{Version: 1, Count: 2, Data: b64.Encode(meta), Header: text(hdr)},
		PubMagicMetadata:    &wire.Magic{Version: 1, Count: 2, Data: b64.Encode(pub), Header: text(pubHdr)},
	}
	return s
}

// AddFile encrypts a file, its thumbnail and its metadata under a new file
// key, adds it to the album and returns its ID.
func (s *Server) AddFile(title string, data, thumb []byte) int64 {
	if !s.ok() {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	s.clock++
	id := s.nextID
	fk := secret.GenerateKey() // kept in the entry, for file links
	nonce := secretbox.RandomNonce()

	var ct bytes.Buffer
	w, fileHdr, err := stream.NewEncryptWriter(&ct, fk)
	if err == nil {
		_, err = w.Write(data)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		panic("sharetest: " + err.Error())
	}
	th, thHdr := mustBlob(thumb, fk, s.LegacyTags)
	md, _ := json.Marshal(wire.Metadata{Title: title, CreationTime: s.clock - 1_000_000, ModificationTime: s.clock - 1_000_000})
	mdCt, mdHdr := mustBlob(md, fk, s.LegacyTags)
	s.files = append(s.files, &entry{
		f: wire.File{
			ID: id, OwnerID: 1, CollectionID: s.id,
			EncryptedKey:       b64.Encode(secretbox.Seal(nil, fk.Bytes(), nonce, s.Key)),
			KeyDecryptionNonce: text(nonce),
			File:               wire.Attributes{DecryptionHeader: text(fileHdr), Size: int64(ct.Len())},
			Thumbnail:          wire.Attributes{DecryptionHeader: text(thHdr), Size: int64(len(th))},
			Metadata:           wire.Attributes{EncryptedData: b64.Encode(mdCt), DecryptionHeader: text(mdHdr)},
			UpdationTime:       s.clock,
			Info:               &wire.FileInfo{FileSize: int64(ct.Len()), ThumbSize: int64(len(th))},
		},
		data: ct.Bytes(), thumb: th, key: fk,
	})
	return id
}

// DeleteFile removes a file from the album: its entry becomes a deletion
// in the next diff.
func (s *Server) DeleteFile(id int64) {
	s.touch(id, func(e *entry) {
		e.f = wire.File{ID: e.f.ID, CollectionID: e.f.CollectionID, IsDeleted: true}
		e.data, e.thumb = nil, nil
	})
}

// Tamper spoils a file as d says; key and metadata damage show up in the
// next diff, data damage in the next download.
func (s *Server) Tamper(id int64, d Damage) {
	s.touch(id, func(e *entry) {
		switch d {
		case DamageKey:
			e.f.EncryptedKey = flip(e.f.EncryptedKey)
		case DamageMetadata:
			e.f.Metadata.EncryptedData = flip(e.f.Metadata.EncryptedData)
		case DamageData:
			e.data = slices.Clone(e.data)
			e.data[len(e.data)/2] ^= 1
		case TruncateData:
			e.data = e.data[:len(e.data)-1]
		}
	})
}

// touch changes an entry and moves it to the end of the diff order.
func (s *Server) touch(id int64, change func(*entry)) {
	if !s.ok() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.files, func(e *entry) bool { return e.f.ID == id })
	if i < 0 {
		panic(fmt.Sprintf("sharetest: no file %d", id))
	}
	e := s.files[i]
	s.files = slices.Delete(s.files, i, i+1)
	change(e)
	s.clock++
	e.f.UpdationTime = s.clock
	s.files = append(s.files, e)
}

// SetPassword protects the link with the JSON a share.LinkPassword
// marshals to: {passHash, nonce, memLimit, opsLimit}.
func (s *Server) SetPassword(linkPasswordJSON []byte) error {
	return s.withPassword(linkPasswordJSON, func(p *linkPassword) error {
		s.passHash, s.jwt = p.PassHash, ""
		u := &s.wire.PublicURLs[0]
		u.PasswordEnabled, u.Nonce, u.MemLimit, u.OpsLimit = true, &p.Nonce, &p.MemLimit, &p.OpsLimit
		return nil
	})
}

// withPassword decodes a link password's JSON and calls set with it under
// the lock.
func (s *Server) withPassword(linkPasswordJSON []byte, set func(*linkPassword) error) error {
	if !s.ok() {
		return errNoAlbum
	}
	var p linkPassword
	if err := json.Unmarshal(linkPasswordJSON, &p); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return set(&p)
}

// linkPassword is the JSON a share.LinkPassword marshals to.
type linkPassword struct {
	PassHash string `json:"passHash"`
	Nonce    string `json:"nonce"`
	MemLimit uint64 `json:"memLimit"`
	OpsLimit uint64 `json:"opsLimit"`
}

// SetStatus makes every request fail with code (401, 410, 500, …); 0
// serves normally again.
func (s *Server) SetStatus(code int) {
	if !s.ok() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = code
}

// Log returns a copy of the request log.
func (s *Server) Log() Log {
	if !s.ok() {
		return Log{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.log
	l.DiffSinceTimes = slices.Clone(l.DiffSinceTimes)
	return l
}

// ServeHTTP implements the public-collection API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if w == nil || r == nil || r.URL == nil {
		return // net/http never calls it so; nothing to answer on
	}
	if !s.ok() {
		http.Error(w, errNoAlbum.Error(), http.StatusInternalServerError)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if strings.HasPrefix(r.URL.Path, "/file-link/") {
		s.serveFileLink(w, r)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/storage/up/") {
		s.serveUpload(w, r)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/storage/") {
		if r.Header.Get(wire.TokenHeader) != "" || r.Header.Get(wire.JWTHeader) != "" || r.Header.Get(wire.DeviceTokenHeader) != "" {
			s.log.StorageSawToken = true
		}
		s.serveObject(w, strings.TrimPrefix(r.URL.Path, "/storage/"))
		return
	}
	switch {
	case s.status != 0:
		fail(w, s.status, "forced status")
		return
	case r.Header.Get(wire.TokenHeader) != s.Token:
		fail(w, http.StatusUnauthorized, "invalid token")
		return
	case s.passHash != "" && r.URL.Path != wire.InfoPath && r.URL.Path != wire.VerifyPasswordPath &&
		(s.jwt == "" || r.Header.Get(wire.JWTHeader) != s.jwt):
		fail(w, http.StatusUnauthorized, "password required")
		return
	}
	if !s.admit(w, r) {
		return
	}
	switch p := r.URL.Path; {
	case p == wire.InfoPath && r.Method == http.MethodGet:
		reply(w, map[string]any{"collection": s.wire, "referralCode": "DEMO"})
	case p == wire.DiffPath && r.Method == http.MethodGet:
		s.serveDiff(w, r)
	case p == wire.VerifyPasswordPath && r.Method == http.MethodPost:
		var req wire.VerifyPasswordRequest
		if json.NewDecoder(r.Body).Decode(&req) != nil || s.passHash == "" ||
			subtle.ConstantTimeCompare([]byte(req.PassHash), []byte(s.passHash)) != 1 {
			fail(w, http.StatusUnauthorized, "invalid password")
			return
		}
		s.jwt = "jwt." + randomToken()
		reply(w, wire.VerifyPasswordResponse{JWTToken: s.jwt})
	case p == wire.UploadURLsPath || p == wire.MultipartURLsPath || p == wire.CreateFilePath:
		s.serveCollect(w, r)
	case strings.HasPrefix(p, wire.DownloadPath):
		s.redirectOrServe(w, r, strings.TrimPrefix(p, wire.DownloadPath)+"/file")
	case strings.HasPrefix(p, wire.PreviewPath):
		s.redirectOrServe(w, r, strings.TrimPrefix(p, wire.PreviewPath)+"/thumbnail")
	default:
		fail(w, http.StatusNotFound, "not found")
	}
}

// admit applies DeviceLimit to info and diff, as museum does.
func (s *Server) admit(w http.ResponseWriter, r *http.Request) bool {
	if r.URL.Path != wire.InfoPath && r.URL.Path != wire.DiffPath && r.URL.Path != wire.FileLinkInfoPath {
		return true
	}
	if t := r.Header.Get(wire.DeviceTokenHeader); t != "" && s.devices[t] {
		s.log.RequestsWithDevice++
		return true
	}
	if s.DeviceLimit == 0 {
		return true
	}
	if len(s.devices) >= s.DeviceLimit {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		json.NewEncoder(w).Encode(map[string]string{"code": wire.DeviceLimitCode, "message": "Public link device limit reached"})
		return false
	}
	if s.devices == nil {
		s.devices = map[string]bool{}
	}
	t := "device." + randomToken()
	s.devices[t] = true
	s.log.Devices++
	w.Header().Set(wire.NewDeviceTokenHeader, t)
	return true
}

func (s *Server) serveDiff(w http.ResponseWriter, r *http.Request) {
	since, err := strconv.ParseInt(r.URL.Query().Get("sinceTime"), 10, 64)
	if err != nil {
		fail(w, http.StatusBadRequest, "invalid sinceTime")
		return
	}
	s.log.DiffSinceTimes = append(s.log.DiffSinceTimes, since)
	diff := []wire.File{}
	hasMore := false
	for _, e := range s.files {
		if e.f.UpdationTime <= since {
			continue
		}
		if len(diff) == s.PageSize {
			hasMore = true
			break
		}
		diff = append(diff, e.f)
	}
	s.log.EntriesServed += len(diff)
	reply(w, map[string]any{"diff": diff, "hasMore": hasMore})
}

func (s *Server) redirectOrServe(w http.ResponseWriter, r *http.Request, object string) {
	if s.StorageURL != "" {
		http.Redirect(w, r, s.StorageURL+"/storage/"+object, http.StatusTemporaryRedirect)
		return
	}
	s.serveObject(w, object)
}

// serveObject serves "{id}/file" or "{id}/thumbnail".
func (s *Server) serveObject(w http.ResponseWriter, object string) {
	idStr, kind, _ := strings.Cut(object, "/")
	id, _ := strconv.ParseInt(idStr, 10, 64)
	i := slices.IndexFunc(s.files, func(e *entry) bool { return e.f.ID == id && !e.f.IsDeleted })
	if i < 0 {
		fail(w, http.StatusNotFound, "no such file")
		return
	}
	body := s.files[i].data
	if kind == "thumbnail" {
		body = s.files[i].thumb
	}
	s.log.Downloads++
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

func mustBlob(msg []byte, key *secret.Key, legacy bool) ([]byte, stream.Header) {
	tag := stream.TagFinal
	if legacy {
		tag = stream.TagMessage
	}
	e, h, err := stream.NewEncryptor(key)
	if err != nil {
		panic("sharetest: " + err.Error())
	}
	ct, err := e.Push(nil, msg, tag)
	if err != nil {
		panic("sharetest: " + err.Error())
	}
	return ct, h
}

// text is the strict base64 of a nonce or header (their MarshalText).
func text(v interface{ MarshalText() ([]byte, error) }) string {
	b, _ := v.MarshalText()
	return string(b)
}

// flip changes one bit of the data behind a base64 string.
func flip(s string) string {
	b, err := b64.Decode(s)
	if err != nil || len(b) == 0 {
		return s + "!"
	}
	b[len(b)/2] ^= 1
	return b64.Encode(b)
}

// randomToken is 10 upper-case letters and digits, like Ente's tokens.
func randomToken() string { return rand.Text()[:10] }
