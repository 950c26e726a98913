package conformance

import (
	"encoding/json"

	"github.com/e2eekit/e2ee/pwhash"
	"github.com/e2eekit/e2ee/secret"
	"github.com/e2eekit/e2ee/share"
)

// links.json: AlbumLinkTest.

type albumLinkTest struct {
	testCase
	URL         *string `json:"url"`
	Host        *string `json:"host"`
	AccessToken *string `json:"accessToken"`
	Key         bin     `json:"key"`
}

func runAlbumLink(g *group, tests []json.RawMessage) {
	each(g, tests, func(t *albumLinkTest) {
		valid := t.Result == "valid"
		canonical := t.has("CanonicalForm")
		if err := need(req{"url", t.URL != nil}, req{"accessToken", !valid || t.AccessToken != nil},
			req{"key", !valid || t.Key != nil}, req{"host", !canonical || t.Host != nil}); err != nil {
			g.malformed(t.testCase, err)
			return
		}
		l, err := share.ParseAlbumURL(*t.URL)
		var m []string
		if err == nil {
			m = append(m, diffString("accessToken", l.AccessToken, deref(t.AccessToken)),
				diff("key", l.Key.Bytes(), t.Key))
			if canonical {
				m = append(m, diffString("host", l.Base, *t.Host))
			}
		}
		g.verdict(&t.testCase, "share.ParseAlbumURL", err, m...)
		if !valid || !canonical {
			return
		}
		key, err := secret.NewKey(t.Key)
		var u string
		if err == nil {
			u, err = share.AlbumURL(*t.Host, *t.AccessToken, key)
			key.Destroy()
		}
		g.verdict(&t.testCase, "share.AlbumURL", err, diffString("url", u, *t.URL))
	})
}

// linkpass.json: LinkPasswordTest.

type linkPasswordTest struct {
	testCase
	Password   *string         `json:"password"`
	LinkParams json.RawMessage `json:"linkParams"`
}

func runLinkPassword(g *group, tests []json.RawMessage) {
	each(g, tests, func(t *linkPasswordTest) {
		var want struct {
			PassHash *string `json:"passHash"`
		}
		err := need(req{"password", t.Password != nil}, req{"linkParams", t.LinkParams != nil})
		if err == nil {
			err = json.Unmarshal(t.LinkParams, &want)
		}
		if err == nil {
			err = need(req{"linkParams.passHash", want.PassHash != nil})
		}
		if err != nil {
			g.malformed(t.testCase, err)
			return
		}
		// The params come from the server: the SDK decodes them itself and
		// share.LinkPassHash caps their cost (share.PasswordLimits).
		var p share.PasswordParams
		err = json.Unmarshal(t.LinkParams, &p)
		if err == nil {
			cost := pwhash.Params{OpsLimit: p.OpsLimit, MemLimit: p.MemLimit}
			if reason := g.tooCostly(cost, share.PasswordLimits); reason != "" {
				g.skip(&t.testCase, "share.LinkPassHash", reason)
				return
			}
		}
		var h *share.PassHash
		if err == nil {
			h, err = share.LinkPassHash([]byte(*t.Password), p)
		}
		var m []string
		if err == nil {
			m = append(m, diffString("passHash", h.Base64(), *want.PassHash))
			// An owner setting this password with this salt emits linkParams.
			out, merr := json.Marshal(share.LinkPassword{Hash: h, Params: p})
			m = append(m, sameJSON("linkParams", out, merr, t.LinkParams))
		}
		g.verdict(&t.testCase, "share.LinkPassHash", err, m...)
	})
}

// filelinks.json: FileLinkTest.

type fileLinkTest struct {
	testCase
	Link        *string         `json:"link"`
	AccessToken *string         `json:"accessToken"`
	File        json.RawMessage `json:"file"`
	LinkSecret  json.RawMessage `json:"linkSecret"`
	FileKey     bin             `json:"fileKey"`
}

func runFileLink(g *group, tests []json.RawMessage) {
	each(g, tests, func(t *fileLinkTest) {
		valid := t.Result == "valid"
		if err := need(req{"link", t.Link != nil}, req{"accessToken", t.AccessToken != nil},
			req{"fileKey", !valid || t.FileKey != nil}); err != nil {
			g.malformed(t.testCase, err)
			return
		}
		l, err := share.ParseFileURL(*t.Link)
		if err != nil {
			g.verdict(&t.testCase, "share.ParseFileURL", err)
			return
		}
		// The body of GET /file-link/info, as museum sends it.
		info := map[string]json.RawMessage{"file": json.RawMessage(`{"id":1}`)}
		if t.File != nil {
			info["file"] = t.File
		}
		if t.LinkSecret != nil {
			info["link"] = t.LinkSecret
		}
		body, err := json.Marshal(info)
		var key *secret.Key
		if err == nil {
			key, err = l.FileKey(body)
		}
		var m []string
		if err == nil {
			m = append(m, diffString("accessToken", l.AccessToken, *t.AccessToken), diff("fileKey", key.Bytes(), t.FileKey))
			key.Destroy()
		}
		g.verdict(&t.testCase, "share.FileLink.FileKey", err, m...)
	})
}
