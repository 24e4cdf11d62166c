package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/rembug/rembug/forum/locale"
	"golang.org/x/text/language"
)

// Messages live in locales/<area>.<lang>.json, one file per area of the
// product and language (core.id.json, core.en.json, ...), so that features
// keep their words together.
//
//go:embed locales/*.json
var localeFS embed.FS

// The languages the UI speaks; the first is the default.
const defaultLang = "id"

var languages = []string{"id", "en"}

const langCookie = "rembug_lang"

// catalog holds one localizer per language.
type catalog struct {
	loc map[string]*i18n.Localizer
}

// loadCatalog loads the embedded messages and checks that every key exists
// in every language, so a missing translation stops the boot.
func loadCatalog() (*catalog, error) {
	b := i18n.NewBundle(language.Indonesian)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	keys := map[string]map[string]bool{}
	for _, l := range languages {
		keys[l] = map[string]bool{}
		files, err := fs.Glob(localeFS, "locales/*."+l+".json")
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			mf, err := b.LoadMessageFileFS(localeFS, f)
			if err != nil {
				return nil, err
			}
			for _, m := range mf.Messages {
				if keys[l][m.ID] {
					return nil, fmt.Errorf("message %q is defined twice for %s", m.ID, l)
				}
				keys[l][m.ID] = true
			}
		}
	}
	for _, l := range languages {
		for k := range keys[defaultLang] {
			if !keys[l][k] {
				return nil, fmt.Errorf("message %q has no %s translation", k, l)
			}
		}
		for k := range keys[l] {
			if !keys[defaultLang][k] {
				return nil, fmt.Errorf("message %q has no %s translation", k, defaultLang)
			}
		}
	}
	c := &catalog{loc: map[string]*i18n.Localizer{}}
	for _, l := range languages {
		c.loc[l] = i18n.NewLocalizer(b, l)
	}
	return c, nil
}

// T translates key into lang, filling the message's template from data
// (pairs of name, value). A missing key shows the key itself, loudly.
func (c *catalog) T(lang, key string, data ...any) string {
	loc, ok := c.loc[lang]
	if !ok {
		loc = c.loc[defaultLang]
	}
	cfg := &i18n.LocalizeConfig{MessageID: key}
	if len(data) > 0 {
		td := map[string]any{}
		for i := 0; i+1 < len(data); i += 2 {
			td[fmt.Sprint(data[i])] = data[i+1]
		}
		if n, ok := td["Count"]; ok {
			cfg.PluralCount = n
		}
		// Whole numbers in a message are shown the reader's way
		// ("33.343" / "33,343"); the plural form still sees the number.
		for k, v := range td {
			if isWholeNumber(v) {
				td[k] = locale.In(lang).Int(wholeNumber(v))
			}
		}
		cfg.TemplateData = td
	}
	s, err := loc.Localize(cfg)
	if err != nil && cfg.PluralCount != nil {
		// A message without plural forms ("highest {{.Count}}") has only
		// "other"; English asks for "one" when Count is 1, and a fractional
		// or non-numeric Count has no plural form at all. Use "other".
		cfg.PluralCount = nil
		s, err = loc.Localize(cfg)
	}
	if err != nil {
		return "!" + key
	}
	return s
}

// chooseLang picks the page language: ?lang= (remembered in a cookie), then
// the cookie, then Bahasa Indonesia.
func (s *Server) chooseLang(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); supported(l) {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && supported(c.Value) {
		return c.Value
	}
	return defaultLang
}

func supported(l string) bool {
	for _, x := range languages {
		if l == x {
			return true
		}
	}
	return false
}

// withLang returns the current URL with ?lang=l, for the language switch.
func withLang(u *url.URL, l string) string {
	q := u.Query()
	q.Set("lang", l)
	v := url.URL{Path: u.Path, RawQuery: q.Encode()}
	return v.String()
}

// isWholeNumber reports whether v is a Go integer of any kind.
func isWholeNumber(v any) bool {
	switch v.(type) {
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return true
	}
	return false
}
