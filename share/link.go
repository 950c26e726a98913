package share

import (
	"errors"
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

// ErrInvalidBase reports a base given to AlbumURL that is not an http or
// https URL with a host and without query, fragment or user info. It is
// the base that is wrong, not a link: the message says so.
var ErrInvalidBase = errors.New("share: invalid album base URL")

// AlbumURL returns {base}/?t={accessToken}#{base58(key)}. base must be an
// http or https URL without query or fragment (else ErrInvalidBase); its
// path is kept. A bad token or a nil key is ErrInvalidLink.
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
// fragment (see DecodeKey). Every error wraps ErrInvalidLink and leaves the
// key out of its message.
//
// It takes the link out of what messengers, mail clients and editors do to
// it: text around it, quotes, parentheses, brackets or angle brackets
// around it (also typographic ones), markdown's [text](url), Slack's
// <url|text>, punctuation after it (". , ; : ! ?"), a trailing slash,
// parameters appended to the fragment (#key&utm_source=x), '#' escaped as
// "%23", a link broken across lines (continuation lines may carry "> "
// quoting), and a link wrapped by a redirector (Outlook Safe Links,
// google.com/url?q=, l.facebook.com/l.php?u=). When the text holds several
// links, the first that parses is taken.
func ParseAlbumURL(raw string) (*Link, error) {
	return findLink(raw, func(c string) (*Link, error) { return parseLink(c, true) })
}

// findLink tries parse on each candidate link in text (see
// linkCandidates) and returns the first that parses, or the first error.
func findLink[T any](raw string, parse func(string) (T, error)) (T, error) {
	var zero T
	if len(raw) > maxURLLen {
		return zero, fmt.Errorf("%w: link of %d bytes is longer than %d", ErrInvalidLink, len(raw), maxURLLen)
	}
	var firstErr error
	for _, joins := range linkCandidates(raw) {
		// joins is the link as found, then joined with each line that
		// follows: the first that parses is the link. A key cut short by a
		// line break does not decode to 32 bytes (it loses a factor of 58),
		// while joining a line too many might.
		for _, c := range joins {
			l, err := parse(c)
			if err == nil {
				return l, nil
			}
			if firstErr == nil {
				firstErr = err
			}
		}
	}
	return zero, firstErr
}

// Bounds on the search for a link in text.
const (
	maxLinkStarts = 16 // "http://" occurrences tried
	maxLineJoins  = 8  // lines a link may be broken over, after the first
)

// linkCandidates finds the links in text: for each "http://" or "https://"
// (in any case), the link up to the first character that cannot be part of
// one, then that link joined with each following line in turn. Without
// any, the whole text is the one candidate.
func linkCandidates(text string) [][]string {
	var out [][]string
	for i := 0; i < len(text) && len(out) < maxLinkStarts; i++ {
		if !hasPrefixFold(text[i:], "http://") && !hasPrefixFold(text[i:], "https://") {
			continue
		}
		link, rest := scanLink(text[i:])
		joins := []string{trimLinkEnd(link)}
		for range maxLineJoins {
			next, ok := continuation(rest)
			if !ok {
				break
			}
			var piece string
			piece, rest = scanLink(next)
			link += piece
			joins = append(joins, trimLinkEnd(link))
		}
		out = append(out, joins)
		i += len(link) - 1
	}
	if len(out) == 0 {
		out = append(out, []string{text})
	}
	return out
}

// scanLink splits s at the first character that ends a link in text:
// white space, a control character, a quote, a bracket of any kind, '|'
// (Slack's <url|text>), '*' (markdown emphasis), a backslash, '^', or any
// non-ASCII character (typographic quotes, "…"). None of them can be in an
// album link unescaped.
func scanLink(s string) (link, rest string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("<>\"'`()[]{}|*\\^", c) >= 0 {
			return s[:i], s[i:]
		}
	}
	return s, ""
}

// continuation returns the next line of a link broken across lines: rest
// must start with a line break (after spaces), and the next line, once its
// indentation and "> " mail quoting are skipped, with a link character.
func continuation(rest string) (string, bool) {
	i := 0
	for i < len(rest) && (rest[i] == ' ' || rest[i] == '\t' || rest[i] == '\r') {
		i++
	}
	if i == len(rest) || rest[i] != '\n' {
		return "", false
	}
	rest = strings.TrimLeft(rest[i:], " \t\r\n>")
	if link, _ := scanLink(rest); link == "" {
		return "", false
	}
	return rest, true
}

// trimLinkEnd removes the punctuation that ends a sentence around a link.
func trimLinkEnd(link string) string {
	return strings.TrimRight(link, ".,;:!?")
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// parseLink parses one candidate album link; unwrap allows one
// redirector around it.
func parseLink(s string, unwrap bool) (*Link, error) {
	u, frag, err := splitCandidate(s, unwrap)
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

// splitCandidate cleans up one candidate link and splits it into the URL
// before the fragment, checked as a link base, and the fragment's key
// material. The fragment is cut off first so that no error can quote it.
func splitCandidate(s string, unwrap bool) (*url.URL, string, error) {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '<' && s[len(s)-1] == '>' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	if unwrap {
		if inner, ok := redirectTarget(s); ok {
			return splitCandidate(inner, false)
		}
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
	// The key is the fragment's leading letters and digits (both key
	// alphabets, and a file link's secret, have nothing else): what
	// follows is a slash, a "-" suffix, parameters or punctuation added on
	// the way.
	n := 0
	for n < len(frag) && isAlnum(frag[n]) {
		n++
	}
	if strings.Contains(frag[n:], "#") {
		return nil, "", fmt.Errorf("%w: more than one '#'", ErrInvalidLink)
	}
	u, err := url.Parse(rest)
	if err != nil {
		return nil, "", fmt.Errorf("%w: not a URL", ErrInvalidLink)
	}
	if err := checkBase(u); err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrInvalidLink, err)
	}
	return u, frag[:n], nil
}

// redirectTarget returns the link a redirector wraps: the value of a
// url, q, u, target or link query parameter that is itself a URL, in a URL
// with no "t" parameter of its own. Outlook's Safe Links (url=), Google
// (q=) and Facebook (u=) wrap links so. A wrapped URL that is no album link
// fails as such rather than being read as one of the redirector's.
func redirectTarget(s string) (string, bool) {
	outer, _, _ := strings.Cut(s, "#")
	u, err := url.Parse(outer)
	if err != nil {
		return "", false
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil || q.Has("t") {
		return "", false
	}
	for _, name := range []string{"url", "q", "u", "target", "link"} {
		if v := q.Get(name); strings.Contains(v, "://") {
			return v, true
		}
	}
	return "", false
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
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
		return nil, fmt.Errorf("%w: not a URL", ErrInvalidBase)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return nil, fmt.Errorf("%w: it has a query or fragment", ErrInvalidBase)
	}
	if err := checkBase(u); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidBase, err)
	}
	return u, nil
}

// checkBase says what is wrong with the scheme, host and user info of a
// link or base; the caller wraps it in its sentinel.
func checkBase(u *url.URL) error {
	if u.Scheme != "https" && u.Scheme != "http" {
		return fmt.Errorf("scheme %q, want https or http", u.Scheme)
	}
	if u.Host == "" || u.Opaque != "" {
		return errors.New("no host")
	}
	for i := range len(u.Host) {
		// A host that needs escaping renders differently (and longer)
		// than it parsed; real links carry ASCII (punycode) hosts.
		if c := u.Host[i]; c <= ' ' || c >= 0x7f || strings.IndexByte("%\\\"<>^`{|}", c) >= 0 {
			return errors.New("host is not plain ASCII (use its punycode form)")
		}
	}
	if u.User != nil {
		return errors.New("user info in the URL")
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
