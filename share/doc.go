// Package share implements Ente's shareable album links: the album's
// collection key carried in the URL fragment (base58), optional link
// passwords (Argon2id via pwhash), and a Viewer that syncs a public album
// differentially and decrypts it (secretbox for keys and names, stream for
// metadata, thumbnails and files), as the seed document "Building shareable
// links for encrypted albums" describes.
//
// # Links
//
//	https://albums.ente.com/?t=ABCDE12345#1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE
//	\_______ Base _______/    \_ token _/ \______ base58(collection key) ______/
//
// Browsers never send the fragment, so the server that stores the album and
// answers to the token never sees the key. EncodeKey and DecodeKey convert
// the fragment; AlbumURL and ParseAlbumURL the whole link. ParseAlbumURL
// finds the link in what people paste: quotes, brackets, trailing
// punctuation, markdown, parameters appended to the fragment, lines broken
// by a mail client, redirectors' wrappers. A link that does not parse is
// ErrInvalidLink; a base AlbumURL cannot use is ErrInvalidBase.
//
// # Password-protected links
//
// The owner picks a 16-byte salt and stores with the server
//
//	{"passHash": b64(Argon2id(password, salt, 64 MiB, 2)), "nonce": b64(salt),
//	 "memLimit": 67108864, "opsLimit": 2}
//
// ("nonce" is really the salt). A viewer reads salt and limits from the
// album's info, re-derives passHash (LinkPassHash), POSTs it to
// /public-collection/verify-password, and sends the JWT it gets back as
// X-Auth-Access-Token-JWT.
//
// passHash is a password equivalent that the server stores: whoever holds
// it, the server included, can replay it without knowing the password. The
// password only gates access to the ciphertext; it adds nothing to its
// confidentiality. The real secret of a link is its fragment, and anyone
// with the full link can decrypt the album, password or not.
//
// # Single-file links
//
// A link to one file: {host}/file/?t={token}#{fragment} (Ente Photos) or
// {host}/{token}#{fragment} (Ente Locker). The fragment, up to any '-', is
// key bytes (base58 or legacy hex) that open the file's encryptedKey or
// are the file key itself, or a 12-character base62 secret whose
// Argon2id (with the link's kdfNonce, kdfOpsLimit, kdfMemLimit, capped by
// FileSecretLimits) opens the link's encryptedFileKey. ParseFileURL and
// FileURL convert links; FileViewer opens them over /file-link/info,
// pass-info, verify-password, file and thumbnail; FileLink.FileKey does
// the key part for apps with their own transport; NewFileLinkSecret makes
// an owner's secret link. (Museum at a621d73 sends no encryptedKey in
// /file-link/info, so there the key bytes are the file key itself; the
// other reading is kept for what Ente's share page accepts.)
//
// # Collect links
//
// An album whose link has enableCollect lets anyone with the link add
// files: Viewer.Upload encrypts a file as it reads it and streams it up
// (GET /public-collection/upload-urls or multipart-upload-urls, presigned
// PUTs, POST /public-collection/file).
//
// # The viewer's API (Ente's museum server)
//
// Every request carries X-Auth-Access-Token: {token} (and the JWT after
// Unlock). 401 means an unknown token (ErrAccessDenied) or a missing JWT
// (ErrPasswordRequired); 410 an expired or disabled link (ErrLinkExpired).
//
//	GET  /public-collection/info             → {"collection": {id, name | encryptedName +
//	     nameDecryptionNonce, magicMetadata and pubMagicMetadata {version, count,
//	     data, header},
//	     publicURLs [{passwordEnabled, nonce, memLimit, opsLimit, validTill, …}], …}}
//	GET  /public-collection/diff?sinceTime=µs → {"diff": [file], "hasMore": bool}
//	     file = {id, collectionID, encryptedKey, keyDecryptionNonce,
//	             file {decryptionHeader}, thumbnail {decryptionHeader},
//	             metadata {encryptedData, decryptionHeader}, pubMagicMetadata,
//	             isDeleted, updationTime}
//	POST /public-collection/verify-password  {"passHash"} → {"jwtToken"}
//	GET  /public-collection/files/download/{id}  → 307 to storage: the file stream
//	GET  /public-collection/files/preview/{id}   → 307 to storage: the thumbnail
//
// Keys: album name and file keys are secretboxes under the collection key;
// metadata (JSON: title, creationTime, …) and magic metadata are one-message
// secretstreams under the file key (the album's under the collection key);
// files are the chunked stream format, thumbnails one message.
//
// # Security
//
// Errors never contain the key, the fragment, a passHash or plaintext.
// Link, PassHash, LinkPassword and Viewer print redacted under every fmt
// verb and slog; all but LinkPassword refuse marshalling (it marshals to
// the server's JSON on purpose). Server-supplied Argon2id limits are
// capped (PasswordLimits) before deriving. Every decrypted entry is
// authenticated; entries that fail are skipped and reported
// (ErrUndecryptable), never shown and never silently dropped (beyond
// Options.MaxSkipped they are counted, not kept). Downloads release only
// authenticated chunks and detect truncation and trailing data. Redirects
// to storage do not carry the access token or JWT. The cache directory
// holds only what the server sent, still encrypted and without the link's
// URL: no key, token, name, title or metadata.
//
// A server cannot make a Viewer run, grow or wait without end: see the
// bounds in Options (ErrServerMisbehaving, ErrStalled). Album,
// Undecryptable, PasswordProtected and Close never wait on the network.
//
// # Compatibility
//
// Emitted: base58 fragments; links of the form {base}/?t={token}#{key};
// passwords at Argon2id INTERACTIVE. Accepted: base58 or (50 characters or
// more) legacy hex fragments; the token in ?t= or the first path segment;
// links wrapped in whitespace or <…>, with a trailing slash, or with '#'
// escaped as %23; an album with a plaintext legacy name; PUSH-tagged file
// chunks (stream); metadata, public magic metadata and thumbnails tagged
// MESSAGE rather than FINAL, as Ente's web client accepts them (still one
// message, no trailing bytes; counted in SyncResult.LegacyTags). Base64 fields must be canonical padded standard base64.
//
// # Units
//
// Times (updationTime, sinceTime, creationTime, validTill) are microseconds
// since the Unix epoch, as in Ente's JSON. memLimit is in bytes.
package share
