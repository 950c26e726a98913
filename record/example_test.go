package record_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/e2eekit/e2ee/keys"
	"github.com/e2eekit/e2ee/record"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/stream"
)

// An entry of a public album's diff, as museum returned it (captured with
// its throwaway album's key, in testdata/museum).
const diffEntry = `{"id":10000211,"ownerID":1580559962386462,"collectionID":1580559962386499,` +
	`"collectionOwnerID":1580559962386462,"collectionAddedAt":1795791642792295,` +
	`"encryptedKey":"uENdVdAqFxWO9AZRpHIunt723F0NZ2ngxAwXPvNKkno8cZBg9e7fxDVGeUvNiLNa",` +
	`"keyDecryptionNonce":"mOqOHb8aY+fi5HpP/3C0h4Gtw/pD0f5C",` +
	`"file":{"decryptionHeader":"yb+3fpqZX3qUToZzifnsoNfjNHm+xNg1","size":0},` +
	`"thumbnail":{"decryptionHeader":"XGFJKHWh946LMqaJniDWijHntAIEWit0","size":0},` +
	`"metadata":{"encryptedData":"hpvEvwY2m5G9wWrAqbRb5G9uO1oLX23hgoKeebMmyR7l9m7o83jr+f1PgsZ01jKOwnEeMH5Jp2PNYxF9JNVEbXDZCL1IBW5d41/qY0E8Pzme75XNfF47kc2U1L2Y7G2E+IJB2Bw+QdsrDW+LvKs1csLmyOI1KA==","decryptionHeader":"QpKf4D/gsATwIkVQ0xYe28MKMZnrW0be","size":0},` +
	`"isDeleted":false,"updationTime":1795791642844056,` +
	`"pubMagicMetadata":{"version":2,"count":2,"data":"/u/Q05zSFBRnjsfiVuF2IvI8/EzrmO7TXLPZZGwA2mRhfW06L2iUgCX202jIbuaoiNUc1HOHLcvm1zrM2Yabh/vyA73LMw==","header":"dEazcZCWCHyR2EkQaxuwpcGlrl8g4PBm"},` +
	`"info":{"fileSize":27,"thumbSize":127}}`

// The album's key, from the link's fragment.
const albumKey = "DyNipZw2QHJ82WGOn2rc63hnYDSSMRdBmCpDVUet88A="

// Read a file of a diff: its key under the album key, its metadata blob
// and its public magic metadata under the file key.
func ExampleFile() {
	var f record.File
	if err := json.Unmarshal([]byte(diffEntry), &f); err != nil {
		fmt.Println(err)
		return
	}
	var raw record.Ciphertext
	_ = raw.UnmarshalText([]byte(albumKey))
	ck, _ := secret.NewKey(raw)
	fk, err := keys.OpenFileKey(&f.Key, ck)
	if err != nil {
		fmt.Println(err)
		return
	}
	md, err := stream.DecryptBlob(f.Metadata.EncryptedData, f.Metadata.DecryptionHeader, fk)
	if err != nil {
		fmt.Println(err)
		return
	}
	pub, err := f.PubMagicMetadata.Open(fk)
	if err != nil {
		fmt.Println(err)
		return
	}
	var meta struct{ Title string }
	_ = json.Unmarshal(md, &meta)
	fmt.Printf("file %d: %s\n", f.ID, meta.Title)
	fmt.Printf("public magic metadata v%d: %s\n", f.PubMagicMetadata.Version, pub)
	// Output:
	// file 10000211: live.bin
	// public magic metadata v2: {"editedTime":1700000000000000,"caption":"a caption"}
}

// Write magic metadata for PUT /files/public-magic-metadata (or
// /collections/magic-metadata: the same record, under the collection key).
func ExampleSealMagic() {
	fk := secret.GenerateKey()
	defer fk.Destroy()
	m, err := record.SealMagic(json.RawMessage(`{"caption":"Lisbon at dusk","editedTime":1795791642844056}`), 2, fk)
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := json.Marshal(map[string]any{"metadataList": []record.MagicUpdate{{ID: 10000211, MagicMetadata: m}}})
	fmt.Println(strings.HasPrefix(string(body), `{"metadataList":[{"id":10000211,"magicMetadata":{"version":2,"count":2,"data":"`), m.Version, m.Count)
	back, err := m.Open(fk)
	fmt.Println(string(back), err)
	// Output:
	// true 2 2
	// {"caption":"Lisbon at dusk","editedTime":1795791642844056} <nil>
}

// A deleted entry may carry no keys; it still decodes.
func ExampleFile_deleted() {
	var f record.File
	err := json.Unmarshal([]byte(`{"id":3,"collectionID":2,"encryptedKey":"","keyDecryptionNonce":"",`+
		`"file":{"decryptionHeader":""},"thumbnail":{"decryptionHeader":""},"metadata":{"decryptionHeader":""},`+
		`"isDeleted":true,"updationTime":9}`), &f)
	fmt.Println(f.ID, f.IsDeleted, err)
	// Output: 3 true <nil>
}

// The album of the same link, as GET /public-collection/info returned it.
const albumInfo = `{"id":1580559962386499,"owner":{"id":1580559962386462,"email":"","name":"","role":""},` +
	`"encryptedKey":"fcvZHPurDLq/4p876LCXcv+7EzrzprXNVQAFu2yYgpoJEMg5hJmcEbWt2t1deLsE",` +
	`"keyDecryptionNonce":"tp2GJsccCze+2vjmSe4iMswKs5CI5bT0","name":"",` +
	`"encryptedName":"qAlHSLIdW0Lk0SFZlsO3wEG/f0POG7pywMcI","nameDecryptionNonce":"h3OD7u3oJ2mPC4/1sV2tVXuYgMBMmKET",` +
	`"type":"album","attributes":{"version":0},"sharees":null,` +
	`"publicURLs":[{"url":"","deviceLimit":0,"validTill":0,"enableDownload":true,"enableCollect":false,"enableComment":false,"passwordEnabled":false,"enableJoin":true}],` +
	`"updationTime":1795791642851249,"app":"photos",` +
	`"pubMagicMetadata":{"version":2,"count":2,"data":"LJ7aoOrKzZxp7N4KhvtFAcDYRenUx8EBDOQmrEtHyO+uLKL3kOQgnBqkV7N9EfQJ","header":"ktFil/FL7/3koTP++CcYZ0yHpCKkuwBA"}}`

// Read an album: its name and public magic metadata under the album key,
// and its link's settings.
func ExampleCollection() {
	var c record.Collection
	if err := json.Unmarshal([]byte(albumInfo), &c); err != nil {
		fmt.Println(err)
		return
	}
	var raw record.Ciphertext
	_ = raw.UnmarshalText([]byte(albumKey))
	ck, _ := secret.NewKey(raw)
	name, err := c.OpenName(ck)
	fmt.Println(name, err)
	pub, err := c.PubMagicMetadata.Open(ck)
	fmt.Println(string(pub), err)
	fmt.Println(c.Type, "downloads:", c.PublicURLs[0].EnableDownload, "password:", c.PublicURLs[0].PasswordEnabled)
	// Output:
	// records ✓ <nil>
	// {"asc":true,"coverID":10000211} <nil>
	// album downloads: true password: false
}
