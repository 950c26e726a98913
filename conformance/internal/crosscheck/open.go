package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/e2eekit/e2ee/conformance/internal/chunks"
	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
	"github.com/e2eekit/e2ee/share"
	"github.com/e2eekit/e2ee/stream"
)

// opener opens another implementation's objects with the SDK and records
// every mismatch as "kind name.field: what".
type opener struct {
	dir         string
	accounts    map[string]*keys.Secrets
	collections map[string]*secret.Key
	authKeys    map[string]*secret.Key
	problems    []string
	checked     map[string]int // objects opened, by kind
}

// fail records a mismatch of one field of one object.
func (o *opener) fail(obj rawObject, field, format string, args ...any) {
	o.problems = append(o.problems, fmt.Sprintf("%s %s.%s: %s", obj.Kind, obj.Name, field, fmt.Sprintf(format, args...)))
}

// failed records err, if any, as a mismatch of field, and reports whether
// there was one.
func (o *opener) failed(obj rawObject, field string, err error) bool {
	if err != nil {
		o.fail(obj, field, "%v", err)
	}
	return err != nil
}

// same records a mismatch unless got equals want.
func (o *opener) same(obj rawObject, field string, got, want []byte) {
	if !equal(got, want) {
		o.fail(obj, field, "differs (%d bytes, want %d)", len(got), len(want))
	}
}

func open(dir string) (*opener, error) {
	m, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	o := &opener{dir: dir, accounts: map[string]*keys.Secrets{}, collections: map[string]*secret.Key{},
		authKeys: map[string]*secret.Key{}, checked: map[string]int{}}
	kinds := map[string]func(rawObject) error{
		"account": o.account, "authToken": o.authToken, "sharedCollectionKey": o.sharedKey,
		"collection": o.collection, "file": o.file, "authKey": o.authKey, "authEntity": o.authEntity,
		"authExport": o.authExport, "link": o.link, "linkPassword": o.linkPassword,
		"srpExchange": o.srpExchange,
	}
	for _, obj := range m.Objects {
		fn, ok := kinds[obj.Kind]
		if !ok {
			o.fail(obj, "kind", "unknown kind")
			continue
		}
		o.checked[obj.Kind]++
		o.failed(obj, "object", fn(obj))
	}
	for k := range kinds {
		if o.checked[k] == 0 {
			o.problems = append(o.problems, fmt.Sprintf("%s: the producer made none", k))
		}
	}
	return o, nil
}

func decode[T any](obj rawObject) (*T, error) {
	v := new(T)
	if err := json.Unmarshal(obj.raw, v); err != nil {
		return nil, fmt.Errorf("malformed: %w", err)
	}
	return v, nil
}

func (o *opener) account(obj rawObject) error {
	a, err := decode[accountObj](obj)
	if err != nil {
		return err
	}
	var attrs keys.Attributes
	if o.failed(obj, "attributes", json.Unmarshal(a.Attributes, &attrs)) {
		return nil
	}
	kek, err := keys.DeriveKEK([]byte(a.Password), &attrs, pwhash.DefaultLimits)
	if o.failed(obj, "kekSalt/memLimit/opsLimit", err) {
		return nil
	}
	e := &a.Expect
	o.same(obj, "kek", kek.Bytes(), e.KEK)
	o.same(obj, "loginKey", keys.LoginKey(kek), e.LoginKey)
	s, err := keys.Unlock(kek, &attrs)
	if o.failed(obj, "encryptedKey/encryptedSecretKey", err) {
		return nil
	}
	o.accounts[obj.Name] = s
	o.same(obj, "masterKey", s.MasterKey().Bytes(), e.MasterKey)
	o.same(obj, "secretKey", s.PrivateKey().Bytes(), e.SecretKey)
	o.same(obj, "publicKey", s.PublicKey()[:], e.PublicKey)
	rk, err := s.RecoveryKey(&attrs)
	if o.failed(obj, "recoveryKeyEncryptedWithMasterKey", err) {
		return nil
	}
	o.same(obj, "recoveryKey", rk.Bytes(), e.RecoveryKey)
	if rk.Mnemonic() != e.RecoveryPhrase {
		o.fail(obj, "recoveryPhrase", "the SDK's BIP-39 phrase differs")
	}
	parsed, err := keys.ParseRecoveryKey(e.RecoveryPhrase)
	if o.failed(obj, "recoveryPhrase", err) {
		return nil
	}
	rs, err := keys.UnlockWithRecoveryKey(parsed, &attrs)
	if o.failed(obj, "masterKeyEncryptedWithRecoveryKey", err) {
		return nil
	}
	o.same(obj, "masterKey (by recovery key)", rs.MasterKey().Bytes(), e.MasterKey)
	return nil
}

// decodeOwned decodes an object that hangs off an account, and finds that
// account unlocked.
func decodeOwned[T any, P interface {
	*T
	owner() string
}](o *opener, obj rawObject) (P, *keys.Secrets, error) {
	v, err := decode[T](obj)
	if err != nil {
		return nil, nil, err
	}
	s, ok := o.accounts[P(v).owner()]
	if !ok {
		return nil, nil, fmt.Errorf("refers to account %q, which did not unlock", P(v).owner())
	}
	return v, s, nil
}

func (o *opener) authToken(obj rawObject) error {
	t, s, err := decodeOwned[authTokenObj](o, obj)
	if err != nil {
		return err
	}
	tok, err := keys.OpenToken(t.EncryptedToken, s)
	if o.failed(obj, "encryptedToken", err) {
		return nil
	}
	if tok.HeaderValue() != t.Expect.TokenHeader {
		o.fail(obj, "tokenHeader", "the SDK's X-Auth-Token value differs")
	}
	raw, err := base64.URLEncoding.DecodeString(tok.HeaderValue())
	if err != nil {
		return err
	}
	o.same(obj, "token", raw, t.Expect.Token)
	return nil
}

func (o *opener) sharedKey(obj rawObject) error {
	v, s, err := decodeOwned[sharedKeyObj](o, obj)
	if err != nil {
		return err
	}
	k, err := keys.OpenSharedCollectionKey(v.Box, s)
	if o.failed(obj, "encryptedKey", err) {
		return nil
	}
	o.same(obj, "collectionKey", k.Bytes(), v.Expect.CollectionKey)
	return nil
}

// viaJSON decodes fields with the SDK's JSON decoder for T, as a client
// would decode them from the wire.
func viaJSON[T any](fields map[string][]byte) (*T, error) {
	raw, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	v := new(T)
	return v, json.Unmarshal(raw, v)
}

// wrapped decodes a secretbox-wrapped key.
func wrapped(encryptedKey, nonce []byte) (*keys.WrappedKey, error) {
	return viaJSON[keys.WrappedKey](map[string][]byte{"encryptedKey": encryptedKey, "keyDecryptionNonce": nonce})
}

func (o *opener) collection(obj rawObject) error {
	c, s, err := decodeOwned[collectionObj](o, obj)
	if err != nil {
		return err
	}
	w, err := wrapped(c.EncryptedKey, c.KeyDecryptionNonce)
	if o.failed(obj, "encryptedKey/keyDecryptionNonce", err) {
		return nil
	}
	ck, err := keys.OpenCollectionKey(w, s.MasterKey())
	if o.failed(obj, "encryptedKey", err) {
		return nil
	}
	o.collections[obj.Name] = ck
	o.same(obj, "collectionKey", ck.Bytes(), c.Expect.CollectionKey)
	var n secretbox.Nonce
	if len(c.NameDecryptionNonce) != len(n) {
		o.fail(obj, "nameDecryptionNonce", "%d bytes", len(c.NameDecryptionNonce))
		return nil
	}
	copy(n[:], c.NameDecryptionNonce)
	name, err := secretbox.Open(nil, c.EncryptedName, &n, ck)
	if o.failed(obj, "encryptedName", err) {
		return nil
	}
	o.same(obj, "name", name, []byte(c.Expect.Name))
	return nil
}

func header(b []byte) (stream.Header, error) {
	var h stream.Header
	if len(b) != len(h) {
		return h, fmt.Errorf("%d bytes, want %d", len(b), len(h))
	}
	copy(h[:], b)
	return h, nil
}

func (o *opener) file(obj rawObject) error {
	f, err := decode[fileObj](obj)
	if err != nil {
		return err
	}
	ck, ok := o.collections[f.Collection]
	if !ok {
		return fmt.Errorf("refers to collection %q, which did not open", f.Collection)
	}
	w, err := wrapped(f.EncryptedKey, f.KeyDecryptionNonce)
	if o.failed(obj, "encryptedKey/keyDecryptionNonce", err) {
		return nil
	}
	fk, err := keys.OpenFileKey(w, ck)
	if o.failed(obj, "encryptedKey", err) {
		return nil
	}
	o.same(obj, "fileKey", fk.Bytes(), f.Expect.FileKey)
	h, err := header(f.DecryptionHeader)
	if o.failed(obj, "decryptionHeader", err) {
		return nil
	}
	o.fileData(obj, f, h, fk)
	for _, b := range []struct {
		field string
		blob  blobObj
		want  []byte
	}{{"thumbnail", f.Thumbnail, f.Expect.Thumbnail}, {"metadata", f.Metadata, []byte(f.Expect.Metadata)}} {
		h, err := header(b.blob.DecryptionHeader)
		if o.failed(obj, b.field+".decryptionHeader", err) {
			continue
		}
		msg, err := stream.DecryptBlob(b.blob.EncryptedData, h, fk)
		if o.failed(obj, b.field+".encryptedData", err) {
			continue
		}
		o.same(obj, b.field, msg, b.want)
	}
	return nil
}

// fileData reads the file with the streaming reader, then checks its chunk
// layout with the message-level reader.
func (o *opener) fileData(obj rawObject, f *fileObj, h stream.Header, fk *secret.Key) {
	ct, err := os.ReadFile(filepath.Join(o.dir, filepath.Base(f.Data)))
	if o.failed(obj, "data", err) {
		return
	}
	r, err := stream.NewDecryptReader(bytes.NewReader(ct), h, fk)
	if o.failed(obj, "data", err) {
		return
	}
	sum := sha256.New()
	n, err := io.Copy(sum, r)
	if o.failed(obj, "data", err) {
		return
	}
	if n != f.Expect.Size || !equal(sum.Sum(nil), f.Expect.SHA256) {
		o.fail(obj, "data", "plaintext of %d bytes differs (want %d bytes)", n, f.Expect.Size)
	}
	tags, err := chunks.Tags(ct, h, fk)
	if err != nil {
		o.fail(obj, "data", "chunk %d: %v", len(tags), err)
		return
	}
	want := slices.Repeat([]stream.Tag{stream.TagMessage}, f.Expect.Chunks)
	want[len(want)-1] = stream.TagFinal
	if !slices.Equal(tags, want) {
		o.fail(obj, "data", "chunk tags %v, want %v (as Ente's clients write it: a multiple of 4 MiB ends with a full FINAL chunk)", tags, want)
	}
}

func (o *opener) authKey(obj rawObject) error {
	a, s, err := decodeOwned[authKeyObj](o, obj)
	if err != nil {
		return err
	}
	env, err := viaJSON[keys.AuthKeyEnvelope](map[string][]byte{"encryptedKey": a.EncryptedKey, "header": a.Header})
	if o.failed(obj, "encryptedKey/header", err) {
		return nil
	}
	k, err := keys.OpenAuthKey(env, s.MasterKey())
	if o.failed(obj, "encryptedKey", err) {
		return nil
	}
	o.authKeys[obj.Name] = k
	o.same(obj, "authKey", k.Bytes(), a.Expect.AuthKey)
	return nil
}

func (o *opener) authEntity(obj rawObject) error {
	a, err := decode[authEntityObj](obj)
	if err != nil {
		return err
	}
	k, ok := o.authKeys[a.AuthKey]
	if !ok {
		return fmt.Errorf("refers to authKey %q, which did not open", a.AuthKey)
	}
	e, err := viaJSON[keys.AuthEntity](map[string][]byte{"encryptedData": a.EncryptedData, "header": a.Header})
	if o.failed(obj, "encryptedData/header", err) {
		return nil
	}
	uri, err := keys.OpenAuthEntity(e, k)
	if o.failed(obj, "encryptedData", err) {
		return nil
	}
	if uri != a.Expect.URI {
		o.fail(obj, "uri", "differs")
	}
	// Strict readers take only FINAL; a legacy MESSAGE entity must fail them.
	_, err = stream.DecryptBlob(e.EncryptedData, e.Header, k)
	if strict := err == nil; strict != (a.Expect.Tag == int(stream.TagFinal)) {
		o.fail(obj, "tag", "stream.DecryptBlob: %v, producer says tag %d", err, a.Expect.Tag)
	}
	return nil
}

func (o *opener) authExport(obj rawObject) error {
	a, err := decode[authExportObj](obj)
	if err != nil {
		return err
	}
	got, err := keys.DecryptExport(a.Export, []byte(a.Password), pwhash.DefaultLimits)
	if o.failed(obj, "export", err) {
		return nil
	}
	if !slices.Equal(got, a.Expect.URIs) {
		o.fail(obj, "uris", "got %d URIs, want %d, or they differ", len(got), len(a.Expect.URIs))
	}
	return nil
}

func (o *opener) link(obj rawObject) error {
	l, err := decode[linkObj](obj)
	if err != nil {
		return err
	}
	parsed, err := share.ParseAlbumURL(l.URL)
	if o.failed(obj, "url", err) {
		return nil
	}
	if parsed.AccessToken != l.Expect.AccessToken {
		o.fail(obj, "accessToken", "got %q, want %q", parsed.AccessToken, l.Expect.AccessToken)
	}
	if parsed.Base != l.Expect.Host {
		o.fail(obj, "host", "got %q, want %q", parsed.Base, l.Expect.Host)
	}
	o.same(obj, "collectionKey", parsed.Key.Bytes(), l.Expect.CollectionKey)
	u, err := share.AlbumURL(l.Expect.Host, l.Expect.AccessToken, parsed.Key)
	if err != nil || u != l.URL {
		o.fail(obj, "url", "share.AlbumURL does not rebuild it (%v)", err)
	}
	return nil
}

func (o *opener) linkPassword(obj rawObject) error {
	l, err := decode[linkPasswordObj](obj)
	if err != nil {
		return err
	}
	var p share.PasswordParams
	if o.failed(obj, "linkParams", json.Unmarshal(l.LinkParams, &p)) {
		return nil
	}
	var want struct {
		PassHash string `json:"passHash"`
	}
	if err := json.Unmarshal(l.LinkParams, &want); err != nil {
		return err
	}
	h, err := share.LinkPassHash([]byte(l.Password), p)
	if o.failed(obj, "linkParams", err) {
		return nil
	}
	if h.Base64() != want.PassHash {
		o.fail(obj, "passHash", "differs")
	}
	return nil
}
