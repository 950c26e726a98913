package record_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/e2eekit/e2ee/internal/b64"
	"github.com/e2eekit/e2ee/record"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/secretbox"
	"github.com/e2eekit/e2ee/stream"
)

const (
	nonce24 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" // 24 zero bytes
	box48   = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
)

// liveFile is a minimal live diff entry with members replaced by over.
func liveFile(over map[string]any) []byte {
	m := map[string]any{
		"id": 7, "ownerID": 1, "collectionID": 2, "collectionOwnerID": 1,
		"encryptedKey": box48, "keyDecryptionNonce": nonce24,
		"file":      map[string]any{"decryptionHeader": nonce24, "size": 0},
		"thumbnail": map[string]any{"decryptionHeader": nonce24, "size": 0},
		"metadata":  map[string]any{"encryptedData": "AAAAAAAAAAAAAAAAAAAAAAAA", "decryptionHeader": nonce24, "size": 0},
		"isDeleted": false, "updationTime": 9,
	}
	for k, v := range over {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, _ := json.Marshal(m)
	return b
}

// TestFileRejects: each malformed field is refused with ErrInvalid and its
// name, never its value.
func TestFileRejects(t *testing.T) {
	for name, tc := range map[string]struct {
		doc   []byte
		field string
	}{
		"missing key":        {liveFile(map[string]any{"encryptedKey": nil}), "file.encryptedKey: missing"},
		"URL-safe nonce":     {liveFile(map[string]any{"keyDecryptionNonce": strings.Repeat("_", 32)}), "file.keyDecryptionNonce"},
		"short header":       {liveFile(map[string]any{"file": map[string]any{"decryptionHeader": "AAAA"}}), "file.file.decryptionHeader"},
		"no metadata data":   {liveFile(map[string]any{"metadata": map[string]any{"decryptionHeader": nonce24}}), "file.metadata.encryptedData: missing"},
		"bad magic":          {liveFile(map[string]any{"pubMagicMetadata": map[string]any{"version": 1, "data": "AAAA"}}), "file.pubMagicMetadata.header: missing"},
		"a string for an ID": {liveFile(map[string]any{"id": "7"}), "id"},
		"not an object":      {[]byte(`[]`), "file"},
		"a name twice":       {[]byte(`{"id":1,"id":2}`), "duplicate"},
		"a byte-order mark":  {append([]byte("\ufeff"), liveFile(nil)...), "file"},
	} {
		var f record.File
		err := json.Unmarshal(tc.doc, &f)
		if tc.field == "file" && err != nil && !errors.Is(err, record.ErrInvalid) {
			continue // encoding/json refuses invalid JSON before UnmarshalJSON runs
		}
		if !errors.Is(err, record.ErrInvalid) || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("%s: %v, want ErrInvalid naming %s", name, err, tc.field)
		}
		if err != nil && strings.Contains(err.Error(), box48[:20]) {
			t.Errorf("%s: the error quotes a value: %v", name, err)
		}
	}
	if err := json.Unmarshal(liveFile(nil), new(record.File)); err != nil {
		t.Fatalf("the valid entry: %v", err)
	}
}

// TestDeletedFile: a deleted entry may come with its keys and headers
// empty, and encodes back as it came.
func TestDeletedFile(t *testing.T) {
	doc := `{"id":7,"ownerID":1,"collectionID":2,"collectionOwnerID":null,"encryptedKey":"","keyDecryptionNonce":"",` +
		`"file":{"decryptionHeader":"","size":0},"thumbnail":{"decryptionHeader":"","size":0},` +
		`"metadata":{"decryptionHeader":"","size":0},"isDeleted":true,"updationTime":9}`
	var f record.File
	if err := json.Unmarshal([]byte(doc), &f); err != nil {
		t.Fatal(err)
	}
	if !f.IsDeleted || f.Key.EncryptedKey != nil {
		t.Fatalf("decoded %+v", f)
	}
	back, err := json.Marshal(f)
	if err != nil || string(back) != doc {
		t.Fatalf("re-encoded\n%s, %v\nwant\n%s", back, err, doc)
	}
	var live record.File
	if err := json.Unmarshal([]byte(strings.Replace(doc, `"isDeleted":true`, `"isDeleted":false`, 1)), &live); !errors.Is(err, record.ErrInvalid) {
		t.Errorf("a live entry without a key: %v", err)
	}
}

func TestMagicSealOpen(t *testing.T) {
	k := secret.GenerateKey()
	m, err := record.SealMagic(json.RawMessage(`{"visibility":2,"caption":"x"}`), 3, k)
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != 3 || m.Count != 2 {
		t.Fatalf("version %d count %d, want 3 and 2", m.Version, m.Count)
	}
	wire, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var back record.Magic
	if err := json.Unmarshal(wire, &back); err != nil {
		t.Fatal(err)
	}
	got, err := back.Open(k)
	if err != nil || string(got) != `{"visibility":2,"caption":"x"}` {
		t.Fatalf("Open = %s, %v", got, err)
	}
	if _, err := back.Open(secret.GenerateKey()); !errors.Is(err, stream.ErrOpen) {
		t.Errorf("wrong key: %v, want stream.ErrOpen", err)
	}
	for _, bad := range []string{`[1]`, `"s"`, `{"a":1,"a":2}`, `{`} {
		if _, err := record.SealMagic(json.RawMessage(bad), 0, k); !errors.Is(err, record.ErrInvalid) {
			t.Errorf("SealMagic(%s): %v, want ErrInvalid", bad, err)
		}
		ct, h, _ := stream.EncryptBlob([]byte(bad), k)
		if _, err := (&record.Magic{Data: ct, Header: h}).Open(k); !errors.Is(err, record.ErrInvalid) {
			t.Errorf("Open of %s: %v, want ErrInvalid", bad, err)
		}
	}
}

func TestNewWrappedKey(t *testing.T) {
	w, err := record.NewWrappedKey(box48, nonce24)
	if err != nil || len(w.EncryptedKey) != 48 {
		t.Fatalf("NewWrappedKey = %v, %v", w, err)
	}
	for name, tc := range map[string][2]string{
		"encryptedKey":       {"", nonce24},
		"keyDecryptionNonce": {box48, nonce24[:28] + "===="},
	} {
		if _, err := record.NewWrappedKey(tc[0], tc[1]); !errors.Is(err, record.ErrInvalid) || !strings.Contains(err.Error(), name) {
			t.Errorf("bad %s: %v", name, err)
		}
	}
}

func TestCollectionKeyAndName(t *testing.T) {
	ck := secret.GenerateKey()
	n := secretbox.RandomNonce()
	doc := `{"id":5,"owner":{"id":1,"email":"","name":"","role":""},"encryptedKey":"` + box48 + `",` +
		`"name":"","encryptedName":"` + b64.Encode(secretbox.Seal(nil, []byte("Lisbon"), n, ck)) + `","nameDecryptionNonce":"` + b64.Encode(n[:]) + `",` +
		`"type":"album","attributes":{"version":0},"sharees":null,"publicURLs":[],"updationTime":1,"app":"photos"}`
	var c record.Collection
	if err := json.Unmarshal([]byte(doc), &c); err != nil {
		t.Fatal(err)
	}
	if name, err := c.OpenName(ck); err != nil || name != "Lisbon" {
		t.Errorf("OpenName = %q, %v", name, err)
	}
	if _, err := c.OpenName(secret.GenerateKey()); !errors.Is(err, secretbox.ErrOpen) {
		t.Errorf("OpenName with another key: %v", err)
	}
	// No keyDecryptionNonce: a shared collection, whose key is sealed.
	if _, err := c.OwnerKey(); !errors.Is(err, record.ErrInvalid) {
		t.Errorf("OwnerKey without a nonce: %v", err)
	}
	if back, err := json.Marshal(c); err != nil || string(back) != doc {
		t.Errorf("re-encoded\n%s, %v\nwant\n%s", back, err, doc)
	}
	old := record.Collection{Name: "legacy"}
	if name, err := old.OpenName(ck); err != nil || name != "legacy" {
		t.Errorf("a plaintext name: %q, %v", name, err)
	}
}

// TestExactNames: a member named as Ente's but in another case, which
// encoding/json would read into the field, is refused at any depth.
func TestExactNames(t *testing.T) {
	var f record.File
	for name, doc := range map[string]string{
		"file.encryptedKey":              strings.Replace(string(liveFile(nil)), `"encryptedKey"`, `"EncryptedKey"`, 1),
		"file.metadata.decryptionHeader": string(liveFile(map[string]any{"metadata": map[string]any{"encryptedData": "AAAA", "decryptionheader": nonce24}})),
		"file.pubMagicMetadata.header":   string(liveFile(map[string]any{"pubMagicMetadata": map[string]any{"version": 1, "data": "AAAA", "HEADER": nonce24}})),
		"wrapped key.keyDecryptionNonce": `{"encryptedKey":"` + box48 + `","keydecryptionnonce":"` + nonce24 + `"}`,
		"collection.publicURLs[0].nonce": `{"id":1,"encryptedKey":"` + box48 + `","publicURLs":[{"url":"","Nonce":"AAAAAAAAAAAAAAAAAAAAAA=="}]}`,
	} {
		var v any = &f
		switch {
		case strings.HasPrefix(name, "wrapped"):
			v = new(record.WrappedKey)
		case strings.HasPrefix(name, "collection"):
			v = new(record.Collection)
		}
		err := json.Unmarshal([]byte(doc), v)
		if !errors.Is(err, record.ErrInvalid) || !strings.Contains(err.Error(), name+": a member name in another case") {
			t.Errorf("%s: %v, want ErrInvalid for a name in another case", name, err)
		}
	}
}
