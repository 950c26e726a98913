package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/sealed"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
	"github.com/e2eekit/e2ee/share"
	"github.com/e2eekit/e2ee/stream"
)

// cheap keeps sign-ups and exports fast: Argon2id at 1 MiB, 2 passes.
var cheap = pwhash.Policy{Start: pwhash.Params{OpsLimit: 2, MemLimit: 1 << 20}, FloorMemLimit: pwhash.MinMemLimit}

// fileSizes cover 1, 2 and 3 chunks, the empty file and an exact multiple
// of the chunk size; the random part is added per run.
var fileSizes = []struct {
	base   int64
	random int64 // up to this many extra bytes
}{
	{0, 0}, {1, 5000}, {stream.ChunkSize, 0}, {stream.ChunkSize + 1, 100000}, {2 * stream.ChunkSize, 100000},
}

var uris = []string{
	"otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
	"otpauth://hotp/ACME%20Co:bob?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&counter=7",
	"otpauth://totp/Zürich%20Bank:čarli?secret=GEZDGNBVGY3TQOJQ&issuer=Zürich%20Bank&algorithm=SHA256",
}

// producer collects the objects it makes.
type producer struct {
	dir string
	m   manifest
}

func (p *producer) add(kind, name string, v any) {
	p.m.Objects = append(p.m.Objects, object(kind, name, v))
}

func randInt(n int64) int64 {
	if n <= 0 {
		return 0
	}
	var b [8]byte
	rand.Read(b[:])
	return int64(uint64(b[0])|uint64(b[1])<<8|uint64(b[2])<<16|uint64(b[3])<<24) % (n + 1)
}

func randBytes(n int64) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func produce(dir string) error {
	p := &producer{dir: dir, m: manifest{Producer: "go github.com/e2eekit/e2ee"}}
	s1, err := p.account("go-account-1", "correct horse battery staple")
	if err != nil {
		return fmt.Errorf("go-account-1: %w", err)
	}
	if err := p.accountObjects("go-account-1", s1); err != nil {
		return err
	}
	attrs, s2, rk, err := keys.Generate([]byte("pässwörd ✓ with\ttab"), cheap)
	if err != nil {
		return fmt.Errorf("go-account-2: %w", err)
	}
	if err := p.addAccount("go-account-2", "pässwörd ✓ with\ttab", attrs, s2, rk); err != nil {
		return err
	}
	if err := p.sharedKey("go-shared-1", "go-account-2", s2); err != nil {
		return err
	}
	if err := p.recovered("go-account-2-recovered", "new pässword", attrs, rk); err != nil {
		return fmt.Errorf("go-account-2-recovered: %w", err)
	}
	if err := p.export("go-export-1"); err != nil {
		return err
	}
	if err := p.links(); err != nil {
		return err
	}
	lp, err := share.NewLinkPassword([]byte("link pässword"))
	if err != nil {
		return err
	}
	params, err := json.Marshal(lp)
	if err != nil {
		return err
	}
	p.add("linkPassword", "go-linkpass-1", linkPasswordObj{Password: "link pässword", LinkParams: params})
	for i, s := range []*keys.Secrets{s1, s2} {
		if err := p.srpExchange(fmt.Sprintf("go-srp-%d", i+1), s.KEK()); err != nil {
			return err
		}
	}
	return writeManifest(dir, &p.m)
}

// account signs up and records the attributes and every key they hold.
func (p *producer) account(name, pw string) (*keys.Secrets, error) {
	attrs, s, rk, err := keys.Generate([]byte(pw), cheap)
	if err != nil {
		return nil, err
	}
	return s, p.addAccount(name, pw, attrs, s, rk)
}

// recovered runs the lost-password flow on an account: unlock with the
// recovery key, set a new password, rotate the recovery key. Only the
// fields that change are replaced, as the server does.
func (p *producer) recovered(name, pw string, attrs *keys.Attributes, rk *keys.RecoveryKey) error {
	s, err := keys.UnlockWithRecoveryKey(rk, attrs)
	if err != nil {
		return err
	}
	pa, err := s.ChangePassword([]byte(pw), cheap)
	if err != nil {
		return err
	}
	attrs.SetPassword(pa)
	ra, newRK := s.RotateRecoveryKey()
	attrs.SetRecovery(ra)
	return p.addAccount(name, pw, attrs, s, newRK)
}

func (p *producer) addAccount(name, pw string, attrs *keys.Attributes, s *keys.Secrets, rk *keys.RecoveryKey) error {
	raw, err := json.Marshal(attrs)
	if err != nil {
		return err
	}
	var o accountObj
	o.Password, o.Attributes = pw, raw
	e := &o.Expect
	e.KEK, e.LoginKey = s.KEK().Bytes(), keys.LoginKey(s.KEK())
	e.MasterKey, e.SecretKey, e.PublicKey = s.MasterKey().Bytes(), s.PrivateKey().Bytes(), s.PublicKey()[:]
	e.RecoveryKey, e.RecoveryPhrase = rk.Bytes(), rk.Mnemonic()
	p.add("account", name, o)
	return nil
}

// accountObjects makes what hangs off an account: an auth token, a
// collection with files, and a token vault.
func (p *producer) accountObjects(acc string, s *keys.Secrets) error {
	token := randBytes(keys.AuthTokenSize)
	box, err := sealed.Seal(nil, token, s.PublicKey())
	if err != nil {
		return err
	}
	var t authTokenObj
	t.Account, t.EncryptedToken = acc, box
	// The header value is the SDK's; Node checks it against the token.
	tok, err := keys.OpenToken(t.EncryptedToken, s)
	if err != nil {
		return err
	}
	t.Expect.Token, t.Expect.TokenHeader = token, tok.HeaderValue()
	p.add("authToken", "go-token-1", t)

	ck := secret.GenerateKey()
	w := keys.WrapCollectionKey(ck, s.MasterKey())
	var c collectionObj
	c.Account, c.EncryptedKey, c.KeyDecryptionNonce = acc, w.EncryptedKey, w.KeyDecryptionNonce[:]
	nonce := secretbox.RandomNonce()
	c.Expect.Name = "Holidays ☀ 2026"
	c.EncryptedName, c.NameDecryptionNonce = secretbox.Seal(nil, []byte(c.Expect.Name), nonce, ck), nonce[:]
	c.Expect.CollectionKey = ck.Bytes()
	p.add("collection", "go-collection-1", c)
	for i, fs := range fileSizes {
		if err := p.file(fmt.Sprintf("go-file-%d", i+1), "go-collection-1", ck, fs.base+randInt(fs.random)); err != nil {
			return err
		}
	}

	authKey, env := keys.NewAuthKey(s.MasterKey())
	var a authKeyObj
	a.Account, a.EncryptedKey, a.Header, a.Expect.AuthKey = acc, env.EncryptedKey, env.Header[:], authKey.Bytes()
	p.add("authKey", "go-authkey-1", a)
	for i, u := range uris {
		e, err := keys.SealAuthEntity(u, authKey)
		if err != nil {
			return err
		}
		var o authEntityObj
		o.AuthKey, o.EncryptedData, o.Header = "go-authkey-1", e.EncryptedData, e.Header[:]
		o.Expect.URI, o.Expect.Tag = u, int(stream.TagFinal)
		p.add("authEntity", fmt.Sprintf("go-entity-%d", i+1), o)
	}
	return nil
}

func (p *producer) sharedKey(name, acc string, s *keys.Secrets) error {
	ck := secret.GenerateKey()
	box, err := keys.ShareCollectionKey(ck, s.PublicKey())
	if err != nil {
		return err
	}
	var o sharedKeyObj
	o.Account, o.Box, o.Expect.CollectionKey = acc, box, ck.Bytes()
	p.add("sharedCollectionKey", name, o)
	return nil
}

// file encrypts size random bytes with the file writer, plus a thumbnail
// and a metadata blob, under a fresh file key wrapped by the collection key.
func (p *producer) file(name, coll string, ck *secret.Key, size int64) error {
	fk := secret.GenerateKey()
	w := keys.WrapFileKey(fk, ck)
	var o fileObj
	o.Collection, o.EncryptedKey, o.KeyDecryptionNonce = coll, w.EncryptedKey, w.KeyDecryptionNonce[:]
	o.Data = name + ".bin"
	f, err := os.Create(filepath.Join(p.dir, o.Data))
	if err != nil {
		return err
	}
	defer f.Close()
	ew, h, err := stream.NewEncryptWriter(f, fk)
	if err != nil {
		return err
	}
	sum := sha256.New()
	if _, err := io.CopyN(io.MultiWriter(ew, sum), rand.Reader, size); err != nil {
		return err
	}
	if err := ew.Close(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	o.DecryptionHeader = h[:]
	o.Expect.FileKey, o.Expect.Size, o.Expect.SHA256 = fk.Bytes(), size, sum.Sum(nil)
	o.Expect.Chunks = int(max(1, (size+stream.ChunkSize-1)/stream.ChunkSize))

	o.Expect.Thumbnail = randBytes(1 + randInt(5000))
	o.Expect.Metadata = fmt.Sprintf(`{"title":"IMG_%04d.HEIC","creationTime":%d,"fileType":0}`, randInt(9999), 1700000000000000+randInt(1e12))
	for _, b := range []struct {
		dst *blobObj
		msg []byte
	}{{&o.Thumbnail, o.Expect.Thumbnail}, {&o.Metadata, []byte(o.Expect.Metadata)}} {
		ct, h, err := stream.EncryptBlob(b.msg, fk)
		if err != nil {
			return err
		}
		b.dst.EncryptedData, b.dst.DecryptionHeader = ct, h[:]
	}
	p.add("file", name, o)
	return nil
}

func (p *producer) export(name string) error {
	pw := "export pässword"
	raw, err := keys.EncryptExport(uris, []byte(pw), cheap)
	if err != nil {
		return err
	}
	var o authExportObj
	o.Password, o.Export, o.Expect.URIs = pw, raw, uris
	p.add("authExport", name, o)
	return nil
}

func (p *producer) links() error {
	hosts := []string{share.DefaultBase, "https://photos.example.org:8443/albums", share.DefaultBase}
	for i, host := range hosts {
		kb := randBytes(secret.KeySize)
		if i == 2 {
			kb[0], kb[1] = 0, 0 // leading zero bytes: leading '1's in base58
		}
		k, err := secret.NewKey(kb)
		if err != nil {
			return err
		}
		token := make([]byte, 10)
		for j := range token {
			token[j] = 'A' + byte(randInt(25))
		}
		u, err := share.AlbumURL(host, string(token), k)
		if err != nil {
			return err
		}
		var o linkObj
		o.URL = u
		o.Expect.Host, o.Expect.AccessToken, o.Expect.CollectionKey = host, string(token), kb
		p.add("link", fmt.Sprintf("go-link-%d", i+1), o)
	}
	return nil
}
