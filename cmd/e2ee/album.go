package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"github.com/e2eekit/e2ee/share"
)

var albumCmd = &command{
	name:    "album",
	summary: "download or browse a public album",
	help: `Works with a public album link, as a browser does, without an account: the
album is synced, cached (still encrypted) and decrypted here. The link holds the
album's key, so it is never taken from the command line (it would show in ps and
in shell history): it is read from --link-file, the E2EE_ALBUM_LINK environment
variable, standard input, or a prompt that does not echo.`,
	subs: []*command{albumDownloadCmd, albumServeCmd},
}

// albumSource is how an album command finds and opens its album.
type albumSource struct {
	linkFile, api, cache, passwordFile string
}

func (a *albumSource) register(fs *flag.FlagSet) {
	fs.StringVar(&a.linkFile, "link-file", "", "read the album link from `FILE` (\"-\": standard input)")
	fs.StringVar(&a.api, "api", share.DefaultAPIBase, "the API server's `URL` (for self-hosted Ente)")
	fs.StringVar(&a.cache, "cache", "", "keep the album's encrypted state in `DIR` (default: the user cache directory)")
	fs.StringVar(&a.passwordFile, "password-file", "", "read a password-protected link's password from `FILE` instead of a prompt")
}

// maxLinkFile bounds a link read from a file or standard input.
const maxLinkFile = 64 << 10

// readLink finds the link: --link-file, E2EE_ALBUM_LINK, standard input
// when it is not a terminal, else a prompt without echo.
func (a *albumSource) readLink(e *env) (string, error) {
	switch {
	case a.linkFile == "-":
		return readLinkFrom(e.stdin, "standard input")
	case a.linkFile != "":
		f, err := os.Open(a.linkFile)
		if err != nil {
			return "", err
		}
		defer f.Close()
		return readLinkFrom(f, a.linkFile)
	case e.getenv("E2EE_ALBUM_LINK") != "":
		return e.getenv("E2EE_ALBUM_LINK"), nil
	}
	if f, ok := e.stdin.(*os.File); ok && !term.IsTerminal(int(f.Fd())) {
		return readLinkFrom(e.stdin, "standard input")
	}
	b, err := promptSecret(e, "Album link: ")
	if err != nil {
		return "", fmt.Errorf("%w (or use --link-file or E2EE_ALBUM_LINK)", err)
	}
	defer clear(b)
	return string(b), nil
}

func readLinkFrom(r interface{ Read([]byte) (int, error) }, what string) (string, error) {
	b, err := readSmall(r, maxLinkFile, what)
	if err != nil {
		return "", err
	}
	defer clear(b)
	return strings.TrimSpace(string(b)), nil
}

// open parses the link, syncs the album (asking for the link's password
// if it has one) and returns the Viewer, which the caller closes.
// Entries that do not decrypt are reported on standard error, not fatal.
func (a *albumSource) open(ctx context.Context, e *env) (*share.Viewer, error) {
	raw, err := a.readLink(e)
	if err != nil {
		return nil, err
	}
	link, err := share.ParseAlbumURL(raw)
	if err != nil {
		return nil, err
	}
	defer link.Key.Destroy()
	cache := a.cache
	if cache == "" {
		if dir, err := os.UserCacheDir(); err == nil {
			cache = filepath.Join(dir, "e2ee", "albums")
		}
	}
	v, err := share.NewViewer(link, share.Options{APIBase: a.api, CacheDir: cache, UserAgent: "e2ee-cli/" + version()})
	if err != nil {
		return nil, err
	}
	_, err = v.Sync(ctx)
	if errors.Is(err, share.ErrPasswordRequired) {
		if err = a.unlock(ctx, e, v); err == nil {
			_, err = v.Sync(ctx)
		}
	}
	if errors.Is(err, share.ErrUndecryptable) {
		fmt.Fprintf(e.stderr, "e2ee: warning: %v\n", err)
		err = nil
	}
	if err != nil {
		v.Close()
		return nil, err
	}
	return v, nil
}

func (a *albumSource) unlock(ctx context.Context, e *env, v *share.Viewer) error {
	var pw []byte
	var err error
	if a.passwordFile != "" {
		f, ferr := os.Open(a.passwordFile)
		if ferr != nil {
			return ferr
		}
		pw, err = readPasswordLine(f)
		f.Close()
	} else {
		pw, err = promptSecret(e, "Link password: ")
		if err != nil {
			err = fmt.Errorf("the link is password protected: %w (or use --password-file)", err)
		}
	}
	if err != nil {
		return err
	}
	defer clear(pw)
	return v.Unlock(ctx, pw)
}
