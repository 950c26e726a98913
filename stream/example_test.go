package stream_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/stream"
)

// encryptFile encrypts the file at src into dst and returns the header to
// store with it (Ente's decryptionHeader).
func encryptFile(dst, src string, key *secret.Key) (stream.Header, error) {
	in, err := os.Open(src)
	if err != nil {
		return stream.Header{}, err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return stream.Header{}, err
	}
	defer out.Close()
	w, hdr, err := stream.NewEncryptWriter(out, key)
	if err != nil {
		return stream.Header{}, err
	}
	if _, err := io.Copy(w, in); err != nil {
		return stream.Header{}, err
	}
	if err := w.Close(); err != nil { // writes the FINAL chunk
		return stream.Header{}, err
	}
	return hdr, out.Close()
}

// decryptFile decrypts src into dst through a temporary file in the same
// directory, renamed only once the whole stream has authenticated: a
// truncated, extended or tampered file never appears under dst.
func decryptFile(dst, src string, hdr stream.Header, key *secret.Key) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".decrypt-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	r, err := stream.NewDecryptReader(in, hdr, key)
	if err != nil {
		return err
	}
	defer r.Close()
	if _, err := io.Copy(tmp, r); err != nil { // io.EOF only after FINAL
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

func Example_files() {
	dir, err := os.MkdirTemp("", "stream-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	photo := filepath.Join(dir, "photo.jpg")
	os.WriteFile(photo, bytes.Repeat([]byte("pixels"), 1_000_000), 0o600)

	key := secret.GenerateKey() // the file key
	hdr, err := encryptFile(photo+".enc", photo, key)
	if err != nil {
		log.Fatal(err)
	}
	fi, _ := os.Stat(photo + ".enc")
	fmt.Println("encrypted bytes:", fi.Size())

	if err := decryptFile(filepath.Join(dir, "copy.jpg"), photo+".enc", hdr, key); err != nil {
		log.Fatal(err)
	}
	a, _ := os.ReadFile(photo)
	b, _ := os.ReadFile(filepath.Join(dir, "copy.jpg"))
	fmt.Println("round trip ok:", bytes.Equal(a, b))

	// Cut the last chunk off: decryption fails and copy2.jpg never appears.
	ct, _ := os.ReadFile(photo + ".enc")
	os.WriteFile(photo+".cut", ct[:stream.EncryptedChunkSize], 0o600)
	err = decryptFile(filepath.Join(dir, "copy2.jpg"), photo+".cut", hdr, key)
	_, statErr := os.Stat(filepath.Join(dir, "copy2.jpg"))
	fmt.Println(errors.Is(err, stream.ErrTruncated), os.IsNotExist(statErr))
	// Output:
	// encrypted bytes: 6000034
	// round trip ok: true
	// true true
}

func ExampleNewEncryptWriter() {
	key := secret.GenerateKey()
	var ct bytes.Buffer
	w, hdr, err := stream.NewEncryptWriter(&ct, key)
	if err != nil {
		log.Fatal(err)
	}
	io.WriteString(w, "hello, ")
	io.WriteString(w, "world")
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(ct.Len(), "bytes, header of", len(hdr))

	r, err := stream.NewDecryptReader(&ct, hdr, key)
	if err != nil {
		log.Fatal(err)
	}
	msg, err := io.ReadAll(r)
	fmt.Printf("%s %v\n", msg, err)
	// Output:
	// 29 bytes, header of 24
	// hello, world <nil>
}

func ExampleEncryptBlob() {
	key := secret.GenerateKey()
	ct, hdr, err := stream.EncryptBlob([]byte(`{"title":"IMG_0001.jpg"}`), key)
	if err != nil {
		log.Fatal(err)
	}
	// Stored as {encryptedData, decryptionHeader}: Header marshals as base64.
	h, _ := hdr.MarshalText()
	fmt.Println(len(ct), len(h))

	var back stream.Header
	back.UnmarshalText(h)
	msg, err := stream.DecryptBlob(ct, back, key)
	fmt.Printf("%s %v\n", msg, err)
	_, err = stream.DecryptBlob(ct, back, secret.GenerateKey())
	fmt.Println(errors.Is(err, stream.ErrOpen))
	// Output:
	// 41 32
	// {"title":"IMG_0001.jpg"} <nil>
	// true
}

func ExampleDecryptor() {
	key := secret.GenerateKey()
	enc, hdr, _ := stream.NewEncryptor(key)
	m1, _ := enc.Push(nil, []byte("first"), stream.TagMessage)
	m2, _ := enc.Push(nil, []byte("last"), stream.TagFinal)

	dec, _ := stream.NewDecryptor(hdr, key)
	for _, m := range [][]byte{m1, m2} {
		msg, tag, err := dec.Pull(nil, m)
		fmt.Println(string(msg), tag, err)
	}
	fmt.Println(dec.Finish())
	// Output:
	// first MESSAGE <nil>
	// last FINAL <nil>
	// <nil>
}
