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
