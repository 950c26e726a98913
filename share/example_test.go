package share_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"

	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/share"
	"github.com/e2eekit/e2ee/share/sharetest"
)

func ExampleEncodeKey() {
	b := make([]byte, 32)
	for i := range b {
		b[i] = byte(i)
	}
	key, _ := secret.NewKey(b)
	fmt.Println(share.EncodeKey(key))
	// Output: 1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE
}

func ExampleParseAlbumURL() {
	// As a messenger might deliver it: in angle brackets, '#' escaped.
	link, err := share.ParseAlbumURL(" <https://albums.ente.com/?t=ABCDE12345%231thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE> ")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(link.AccessToken, link.Base)
	fmt.Println(link) // the key never prints

	_, err = share.ParseAlbumURL("https://albums.ente.com/?t=ABCDE12345#1thX6LZfHDZZ")
	fmt.Println(err)
	// Output:
	// ABCDE12345 https://albums.ente.com
	// https://albums.ente.com/?t=ABCDE12345#xxxxx
	// share: invalid album link: key fragment decodes to 10 bytes, want 32
}

func ExampleViewer() {
	// A server holding an album built with this SDK, in Ente's JSON shapes.
	album := sharetest.New("Lisbon 2026")
	album.AddFile("tram.jpg", []byte("…jpeg bytes…"), []byte("thumb"))
	album.AddFile("pasteis.jpg", []byte("…more jpeg…"), []byte("thumb"))
	srv := httptest.NewServer(album)
	defer srv.Close()
	raw, _ := share.AlbumURL(share.DefaultBase, album.Token, album.Key)

	link, err := share.ParseAlbumURL(raw)
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := share.NewViewer(link, share.Options{APIBase: srv.URL})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer v.Close()
	res, err := v.Sync(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	a := v.Album()
	fmt.Printf("%s: %d files added\n", a.Name, res.Added)
	for _, f := range a.Files {
		fmt.Printf("%s: ", f.Title)
		v.DownloadFile(context.Background(), f.ID, os.Stdout)
		fmt.Println()
	}
	// Output:
	// Lisbon 2026: 2 files added
	// tram.jpg: …jpeg bytes…
	// pasteis.jpg: …more jpeg…
}
