package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"github.com/rembug/rembug/forum/grapheme"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/locale"
)

// brandTTL is how long a node keeps the branding it read: a change saved
// on another node shows within it; on the node that saved it, at once.
const brandTTL = 30 * time.Second

// brandCache holds the installation's branding as pages use it, read from
// the database at most once per brandTTL. Safe for concurrent use.
type brandCache struct {
	mu     sync.Mutex
	at     time.Time
	view   brandView
	loaded bool
}

// brandView is the branding as the layout shows it: the pemda's Name, the
// logo's hashed URL and size, the theme stylesheet's hashed URL (the
// primary colour; "" for the default), the icon for the tab and the home
// screen, and the footer.
type brandView struct {
	Name                  string
	LogoURL               string
	LogoWidth, LogoHeight int
	ThemeURL              string
	theme                 []byte // the theme stylesheet
	IconURL, IconType     string
	Address               []string // lines
	Contact, PrivacyURL   string
	Color                 string
}

// brand returns the current branding view, reading it again when it is
// older than brandTTL. A database error keeps the last one (logged).
func (s *Server) brand(ctx context.Context) brandView {
	c := &s.brandC
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.loaded && time.Since(c.at) < brandTTL {
		return c.view
	}
	b, err := forum.LoadBranding(ctx, s.db)
	if err != nil {
		s.log.Error("branding", "err", err)
		return c.view
	}
	c.view, c.at, c.loaded = s.brandViewOf(b), time.Now(), true
	return c.view
}

// forgetBrand drops the cached branding after a save on this node.
func (s *Server) forgetBrand() {
	s.brandC.mu.Lock()
	s.brandC.loaded = false
	s.brandC.mu.Unlock()
}

func (s *Server) brandViewOf(b forum.Branding) brandView {
	v := brandView{Name: b.Name, Contact: b.Contact, PrivacyURL: b.PrivacyURL, Color: b.Color,
		IconURL: s.static.URL("favicon.svg"), IconType: "image/svg+xml"}
	if b.Address != "" {
		v.Address = strings.Split(b.Address, "\n")
	}
	if b.LogoSHA != "" {
		v.LogoURL = "/static/merek/logo." + b.LogoSHA[:16] + logoExt(b.LogoType)
		v.LogoWidth, v.LogoHeight = b.LogoWidth, b.LogoHeight
		v.IconURL, v.IconType = v.LogoURL, b.LogoType
	}
	if b.Color != "" {
		v.theme = []byte(":root{--primary:" + b.Color + "}\n")
		sum := sha256.Sum256(v.theme)
		v.ThemeURL = "/static/merek/tema." + hex.EncodeToString(sum[:8]) + ".css"
	}
	return v
}

func logoExt(mime string) string {
	if mime == "image/jpeg" {
		return ".jpg"
	}
	return ".png"
}

// SiteName is the name pages show: the pemda's, else "rembug".
func (b brandView) SiteName() string {
	if b.Name != "" {
		return b.Name
	}
	return "rembug"
}

// handleBrandAsset serves the logo and the theme stylesheet under their
// content-hashed names with a year-long immutable cache; an old name is
// 404.
func (s *Server) handleBrandAsset(w http.ResponseWriter, r *http.Request) {
	b := s.brand(r.Context())
	path := r.URL.Path
	switch {
	case b.ThemeURL != "" && path == b.ThemeURL:
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Write(b.theme) //nolint:errcheck // the client went away
	case b.LogoURL != "" && path == b.LogoURL:
		data, ct, err := forum.BrandingLogo(r.Context(), s.db)
		if err != nil {
			s.serveError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Write(data) //nolint:errcheck // the client went away
	default:
		s.serveError(w, r, errs.E(errs.NotFound, "error.not_found", nil))
	}
}

// handleManifest is the web app manifest (installable on Android): the
// pemda's name, the primary colour and the icon.
func (s *Server) handleManifest(w http.ResponseWriter, r *http.Request) {
	b := s.brand(r.Context())
	color := b.Color
	if color == "" {
		color = defaultPrimary
	}
	icon := map[string]string{"src": b.IconURL, "type": b.IconType, "sizes": "any", "purpose": "any"}
	if b.LogoURL != "" && b.LogoWidth > 0 {
		icon["sizes"] = strconv.Itoa(b.LogoWidth) + "x" + strconv.Itoa(b.LogoHeight)
	}
	m := map[string]any{
		"name": b.SiteName(), "short_name": shortName(b.SiteName()), "lang": info(r).lang,
		"start_url": "/", "scope": "/", "display": "standalone",
		"background_color": "#ffffff", "theme_color": color,
		"icons": []map[string]string{icon},
	}
	w.Header().Set("Content-Type", "application/manifest+json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	json.NewEncoder(w).Encode(m) //nolint:errcheck // the client went away
}

// defaultPrimary is the primary colour when an admin set none (style.css).
const defaultPrimary = "#0b5394"

// shortName is a home-screen label: at most the name's first 12
// characters (grapheme clusters), cut after a whole word when the name has
// a space in them, mid-word only when its first word alone is longer.
func shortName(s string) string {
	p := grapheme.Prefix(s, 12, grapheme.Clusters)
	if p == s {
		return s
	}
	if i := strings.LastIndexByte(p, ' '); i > 0 && s[len(p)] != ' ' {
		p = p[:i]
	}
	return strings.TrimSpace(p)
}

// brandPage is the data of admin_branding.html: the saved branding, or the
// form as sent when it was refused, and its error.
type brandPage struct {
	B          forum.Branding
	Logo       string
	Saved      bool
	Err        string
	MaxLogoKiB int
	Ratio      string // the current colour's contrast against white
}

// handleBranding is the admin's branding form (/admin/merek).
func (s *Server) handleBranding(w http.ResponseWriter, r *http.Request) {
	v, err := s.forumViewer(r, false)
	if err == nil {
		err = forum.Can(r.Context(), v, forum.ActAdminister, forum.Item{Kind: forum.ItemSite})
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	b, err := forum.LoadBranding(r.Context(), s.db)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.renderBranding(w, r, http.StatusOK, brandPage{B: b, Saved: r.URL.Query().Get("saved") == "1"})
}

func (s *Server) renderBranding(w http.ResponseWriter, r *http.Request, code int, d brandPage) {
	d.MaxLogoKiB = forum.MaxLogoBytes >> 10
	d.Logo = s.brand(r.Context()).LogoURL
	color := d.B.Color
	if color == "" {
		color = defaultPrimary
	}
	if rgb, ok := forum.ParseColor(color); ok {
		d.Ratio = locale.In(info(r).lang).Dec(forum.ContrastRatio(rgb, [3]uint8{255, 255, 255}), 2)
	}
	s.render(w, r, code, "admin_branding", s.msgs.T(info(r).lang, "brand.title"), d)
}

// handleBrandingSave stores the branding form (multipart, with an optional
// logo). A refused form comes back with its values and the error, 400.
func (s *Server) handleBrandingSave(w http.ResponseWriter, r *http.Request) {
	v, err := s.forumViewer(r, false)
	if err == nil {
		err = forum.Can(r.Context(), v, forum.ActAdminister, forum.Item{Kind: forum.ItemSite})
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	in, err := readBrandForm(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if err := s.forum.SaveBranding(r.Context(), v, in); err != nil {
		if errs.KindOf(err) != errs.Invalid {
			s.serveError(w, r, err)
			return
		}
		lang := info(r).lang
		if e := errs.As(err); e != nil && e.Key == "error.brand_contrast" {
			// The ratio as the reader writes numbers (4,5 in Bahasa Indonesia).
			e.Data["Ratio"] = locale.In(lang).Dec(e.Data["Ratio"].(float64), 2)
			e.Data["Min"] = locale.In(lang).Dec(e.Data["Min"].(float64), 1)
		}
		code, _, msg := s.errorText(lang, err)
		b := forum.Branding{Name: in.Name, Color: in.Color, Address: in.Address, Contact: in.Contact, PrivacyURL: in.PrivacyURL}
		s.renderBranding(w, r, code, brandPage{B: b, Err: msg})
		return
	}
	s.forgetBrand()
	http.Redirect(w, r, "/admin/merek?saved=1", http.StatusSeeOther)
}

// readBrandForm reads the branding form's multipart body: text fields up
// to maxUploadField bytes, the logo up to forum.MaxLogoBytes.
func readBrandForm(r *http.Request) (forum.BrandingInput, error) {
	var in forum.BrandingInput
	mr, err := r.MultipartReader()
	if err != nil {
		return in, errs.Wrap(errs.Invalid, "error.bad_form", err)
	}
	for parts := 0; ; parts++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			return in, nil
		}
		if err != nil || parts >= 12 {
			return in, errs.Wrap(errs.Invalid, "error.bad_form", err)
		}
		limit := int64(maxUploadField)
		if p.FormName() == "file" {
			limit = forum.MaxLogoBytes
		}
		b, err := io.ReadAll(io.LimitReader(p, limit+1))
		if err != nil {
			return in, errs.Wrap(errs.Invalid, "error.bad_form", err)
		}
		if int64(len(b)) > limit {
			if p.FormName() == "file" {
				return in, errs.E(errs.Invalid, "error.brand_logo_size", map[string]any{"Max": forum.MaxLogoBytes >> 10})
			}
			return in, errs.E(errs.Invalid, "error.bad_form", nil)
		}
		switch p.FormName() {
		case "name":
			in.Name = string(b)
		case "color":
			in.Color = string(b)
		case "address":
			in.Address = string(b)
		case "contact":
			in.Contact = string(b)
		case "privacy":
			in.PrivacyURL = string(b)
		case "remove_logo":
			in.RemoveLogo = string(b) == "1"
		case "file":
			if len(b) > 0 {
				in.LogoName, in.Logo = partFileName(p), b
			}
		}
	}
}
