package sharetest

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/mr-tron/base58"

	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
	"github.com/e2eekit/e2ee/share/internal/wire"
)

// FileLinkKind says what a single-file link's fragment holds.
type FileLinkKind int

const (
	// LinkKeyOpensFileKey: a fresh key, under which the served entry's
	// encryptedKey holds the file key.
	LinkKeyOpensFileKey FileLinkKind = iota
	// LinkFileKey: the file key itself (the served entry's encryptedKey,
	// under the album key, does not open with it).
	LinkFileKey
	// LinkSecret: a 12-character secret; Argon2id (8 MiB, 1 pass here) of
	// it opens the link's encryptedFileKey.
	LinkSecret
)

type fileLink struct {
	id       int64
	entry    wire.File
	secret   *wire.FileLinkSecret
	passHash string
	pass     wire.PassInfoResponse
	jwt      string
}

// ShareFile makes a single-file link to file id of the kind given, served
// under /file-link/, and returns its access token and the fragment that
// goes after '#' (base58 key bytes or the secret).
func (s *Server) ShareFile(id int64, kind FileLinkKind) (token, fragment string) {
	if !s.ok() {
		return "", ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.files, func(e *entry) bool { return e.f.ID == id && e.key != nil })
	if i < 0 {
		panic("sharetest: no file " + strconv.FormatInt(id, 10))
	}
	e := s.files[i]
	l := &fileLink{id: id, entry: e.f}
	switch kind {
	case LinkKeyOpensFileKey:
		lk := secret.GenerateKey()
		nonce := secretbox.RandomNonce()
		l.entry.EncryptedKey = b64.Encode(secretbox.Seal(nil, e.key.Bytes(), nonce, lk))
		l.entry.KeyDecryptionNonce = text(nonce)
		fragment = base58Key(lk)
	case LinkFileKey:
		fragment = base58Key(e.key)
	case LinkSecret:
		fragment = rand.Text()[:12] // base32 letters and digits: within base62
		salt := pwhash.RandomSalt()
		p := pwhash.Params{OpsLimit: 1, MemLimit: 8 << 20}
		k, err := pwhash.DeriveKey([]byte(fragment), salt, p, pwhash.DefaultLimits)
		if err != nil {
			panic("sharetest: " + err.Error())
		}
		nonce := secretbox.RandomNonce()
		box, n, kdfNonce := b64.Encode(secretbox.Seal(nil, e.key.Bytes(), nonce, k)), text(nonce), text(salt)
		l.secret = &wire.FileLinkSecret{EncryptedFileKey: &box, EncryptedFileKeyNonce: &n, KdfNonce: &kdfNonce,
			KdfMemLimit: &p.MemLimit, KdfOpsLimit: &p.OpsLimit}
	}
	if s.links == nil {
		s.links = map[string]*fileLink{}
	}
	token = randomToken()
	s.links[token] = l
	return token, fragment
}

// SetFileLinkPassword protects a file link with the JSON a
// share.LinkPassword marshals to.
func (s *Server) SetFileLinkPassword(token string, linkPasswordJSON []byte) error {
	return s.withPassword(linkPasswordJSON, func(p *linkPassword) error {
		l := s.links[token]
		if l == nil {
			return fmt.Errorf("sharetest: no file link with token %q", token)
		}
		l.passHash, l.jwt = p.PassHash, ""
		l.pass = wire.PassInfoResponse{Nonce: &p.Nonce, MemLimit: &p.MemLimit, OpsLimit: &p.OpsLimit}
		return nil
	})
}

// serveFileLink implements museum's /file-link API. Called with s.mu held.
func (s *Server) serveFileLink(w http.ResponseWriter, r *http.Request) {
	l := s.links[r.Header.Get(wire.TokenHeader)]
	p := r.URL.Path
	switch {
	case s.status != 0:
		fail(w, s.status, "forced status")
		return
	case l == nil:
		fail(w, http.StatusUnauthorized, "invalid token")
		return
	case l.passHash != "" && p != wire.FileLinkPassInfoPath && p != wire.FileLinkVerifyPath &&
		(l.jwt == "" || r.Header.Get(wire.JWTHeader) != l.jwt):
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": wire.PasswordProtectedCode, "message": "This resource is password protected"}})
		return
	}
	if p == wire.FileLinkInfoPath && !s.admit(w, r) {
		return
	}
	switch p {
	case wire.FileLinkInfoPath:
		reply(w, wire.FileLinkInfoResponse{File: must(json.Marshal(l.entry)), Link: l.secret})
	case wire.FileLinkPassInfoPath:
		reply(w, l.pass)
	case wire.FileLinkVerifyPath:
		var req wire.VerifyPasswordRequest
		if json.NewDecoder(r.Body).Decode(&req) != nil || l.passHash == "" ||
			subtle.ConstantTimeCompare([]byte(req.PassHash), []byte(l.passHash)) != 1 {
			fail(w, http.StatusUnauthorized, "invalid password")
			return
		}
		l.jwt = "jwt." + randomToken()
		reply(w, wire.VerifyPasswordResponse{JWTToken: l.jwt})
	case wire.FileLinkFilePath:
		s.redirectOrServe(w, r, strconv.FormatInt(l.id, 10)+"/file")
	case wire.FileLinkThumbnailPath:
		s.redirectOrServe(w, r, strconv.FormatInt(l.id, 10)+"/thumbnail")
	default:
		fail(w, http.StatusNotFound, "not found")
	}
}

func must(b []byte, err error) json.RawMessage {
	if err != nil {
		panic("sharetest: " + err.Error())
	}
	return b
}

// base58Key is the fragment form of a key (share.EncodeKey, which this
// package cannot import).
func base58Key(k *secret.Key) string {
	b := k.Bytes()
	defer clear(b)
	return base58.Encode(b)
}
