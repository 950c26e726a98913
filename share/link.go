package share

import (
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/e2eekit/e2ee/secret"
)

// DefaultBase is where Ente's clients point album links.
const DefaultBase = "https://albums.ente.com"

// Bounds on untrusted input.
const (
	maxURLLen   = 4096
	maxTokenLen = 128
)

// redactedFragment replaces the key in printed links, as net/url's
// Redacted replaces a password.
const redactedFragment = "xxxxx"

// Link is a parsed album link: where the album lives, the access token the
// server knows it by, and the collection key that only the fragment holds.
//
// A Link prints with the fragment redacted under every fmt verb and in
// slog, and refuses JSON, text and binary marshalling
// (secret.ErrNotMarshalable). SecretURL returns the whole link.
type Link struct {
	// AccessToken identifies the album to the server; it is sent in the
	// X-Auth-Access-Token header. It is not a key.
	AccessToken string
	// Key is the collection key from the fragment.
	Key *secret.Key
	// Base is the scheme, host and path in front of the token, without a
	// trailing slash, e.g. "https://albums.ente.com".
	Base string
}

// AlbumURL returns {base}/?t={accessToken}#{base58(key)}. base must be an
// http or https URL without query or fragment; its path is kept.
func AlbumURL(base, accessToken string, key *secret.Key) (string, error) {
	u, err := parseBase(base)
	if err != nil {
		return "", err
	}
	if err := checkToken(accessToken); err != nil {
		return "", err
	}
	if key == nil {
		return "", fmt.Errorf("%w: no key", ErrInvalidLink)
	}
	return render(u, accessToken, EncodeKey(key)), nil
}

// ParseAlbumURL parses an album link. The token comes from the "t" query
// parameter or, failing that, the first path segment; the key from the
// fragment (see DecodeKey). It tolerates what messengers and mail clients
// do to links: surrounding whitespace or angle brackets, a trailing slash,
// and '#' escaped as "%23". Every error wraps ErrInvalidLink and leaves the
// key out of its message.
func ParseAlbumURL(raw string) (*Link, error) {
	u, frag, err := splitLink(raw)
	if err != nil {
		return nil, err
	}
	token := u.Query().Get("t")
	path := strings.TrimRight(u.Path, "/")
	if token == "" {
		token, _, _ = strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
		path = ""
	}
	if err := checkToken(token); err != nil {
		return nil, err
	}
	key, err := DecodeKey(frag)
	if err != nil {
		return nil, err
	}
	base := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: path}
	return &Link{AccessToken: token, Key: key, Base: base.String()}, nil
}

// splitLink cleans up a link as messengers deliver it and splits it into
// the URL before the fragment, checked as a link base, and the fragment.
// The fragment is cut off first so that no error can quote it.
func splitLink(raw string) (*url.URL, string, error) {
	if len(raw) > maxURLLen {
		return nil, "", fmt.Errorf("%w: link of %d bytes is longer than %d", ErrInvalidLink, len(raw), maxURLLen)
	}
	s := strings.TrimSpace(raw)
	if len(s) >= 2 && s[0] == '<' && s[len(s)-1] == '>' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	if !strings.Contains(s, "#") {
		// The key alphabets have no '%', so the last "%23" is the one.
		if i := strings.LastIndex(s, "%23"); i >= 0 {
			s = s[:i] + "#" + s[i+3:]
		}
	}
	rest, frag, found := strings.Cut(s, "#")
	if !found {
		return nil, "", fmt.Errorf("%w: no '#' and no key fragment", ErrInvalidLink)
	}
	frag = strings.TrimSuffix(frag, "/")
	u, err := url.Parse(rest)
	if err != nil {
		return nil, "", fmt.Errorf("%w: not a URL", ErrInvalidLink)
	}
	if err := checkBase(u); err != nil {
		return nil, "", err
	}
	return u, frag, nil
}

// SecretURL returns the whole link, key included. Handle it like the key.
func (l Link) SecretURL() (string, error) {
	return AlbumURL(l.base(), l.AccessToken, l.Key)
}

// String returns the link with the key replaced by "xxxxx".
func (l Link) String() string {
	u, err := parseBase(l.base())
	if err != nil {
		return "share.Link(invalid base)#" + redactedFragment
	}
	return render(u, l.AccessToken, redactedFragment)
}

// GoString is String, so that %#v does not reach the key.
func (l Link) GoString() string { return l.String() }

// Format prints String under every verb and flag.
func (l Link) Format(f fmt.State, _ rune) { fmt.Fprint(f, l.String()) }

// LogValue keeps the key out of slog output.
func (l Link) LogValue() slog.Value { return slog.StringValue(l.String()) }

// MarshalJSON refuses: a link holds a key.
func (Link) MarshalJSON() ([]byte, error) { return nil, secret.ErrNotMarshalable }

// MarshalText refuses: a link holds a key.
func (Link) MarshalText() ([]byte, error) { return nil, secret.ErrNotMarshalable }

// MarshalBinary refuses, so that encoding/gob cannot serialise the key.
func (Link) MarshalBinary() ([]byte, error) { return nil, secret.ErrNotMarshalable }

func (l Link) base() string {
	if l.Base == "" {
		return DefaultBase
	}
	return l.Base
}

func render(base *url.URL, token, fragment string) string {
	u := url.URL{Scheme: base.Scheme, Host: base.Host, Path: strings.TrimRight(base.Path, "/") + "/", RawQuery: "t=" + token}
	return u.String() + "#" + fragment
}

func parseBase(base string) (*url.URL, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("%w: base is not a URL", ErrInvalidLink)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return nil, fmt.Errorf("%w: base has a query or fragment", ErrInvalidLink)
	}
	return u, checkBase(u)
}

func checkBase(u *url.URL) error {
	if u.Scheme != "https" && u.Scheme != "http" {
		return fmt.Errorf("%w: scheme %q, want https or http", ErrInvalidLink, u.Scheme)
	}
	if u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("%w: no host", ErrInvalidLink)
	}
	for i := range len(u.Host) {
		// A host that needs escaping renders differently (and longer)
		// than it parsed; real links carry ASCII (punycode) hosts.
		if c := u.Host[i]; c <= ' ' || c >= 0x7f || strings.IndexByte("%\\\"<>^`{|}", c) >= 0 {
			return fmt.Errorf("%w: host is not plain ASCII (use its punycode form)", ErrInvalidLink)
		}
	}
	if u.User != nil {
		return fmt.Errorf("%w: user info in an album link", ErrInvalidLink)
	}
	return nil
}

// checkToken accepts 1 to 128 ASCII letters, digits, '-' and '_'. Ente's
// tokens are 10 upper-case letters and digits; the wider set admits other
// servers, and nothing in it can break a query string or an HTTP header.
func checkToken(t string) error {
	if t == "" {
		return fmt.Errorf("%w: no access token", ErrInvalidLink)
	}
	if len(t) > maxTokenLen {
		return fmt.Errorf("%w: access token of %d characters, at most %d", ErrInvalidLink, len(t), maxTokenLen)
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return fmt.Errorf("%w: access token has a character outside [A-Za-z0-9_-]", ErrInvalidLink)
		}
	}
	return nil
}
