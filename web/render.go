package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/grapheme"
	"github.com/rembug/rembug/forum/locale"
	"github.com/rembug/rembug/forum/markup"
)

//go:embed templates/*.html
var templateFS embed.FS

// pages holds one parsed template set per page, each with the layout.
type pages struct {
	set map[string]*template.Template
}

// voteForm is the data of the "voteform" template: one statement's
// agree / disagree / pass buttons.
type voteForm struct {
	Page  page
	ID    int64
	View  string
	Voted bool
	Mine  int8
}

// staffToolsData is the data of the "staff_tools" template (layout.html):
// the staff tools of the page's subject that the viewer may use
// (consultationTools).
type staffToolsData struct {
	Page  page
	Tools []staffLink
}

// page is the data every template gets; Data is the handler's own.
type page struct {
	Lang      string
	Title     string
	CSRF      string
	Path      string
	LangURL   map[string]string
	RequestID string
	// User is the signed-in user, for the header; nil for guests.
	User *forum.User
	// Unread is the user's unread notifications that they may see, for
	// the header's bell (notifications.go).
	Unread int
	// Zone is the viewer's time zone (zone.go), for When and Day.
	Zone zone
	// StaffHome says whether the header links the admin home (/admin):
	// the user holds a staff role or moderates a consultation by name.
	StaffHome bool
	// Brand is the installation's name, logo, colour and footer (branding.go).
	Brand brandView
	Data  any
}

// Chromeless says the page leaves out the site's header and footer (the
// live presenter view on a projector).
func (p page) Chromeless() bool {
	c, ok := p.Data.(interface{ Chromeless() bool })
	return ok && c.Chromeless()
}

// Kiosk is the kiosk page's data (kiosk.go) for the layout's large text
// and idle return, nil on other pages.
func (p page) Kiosk() *kioskPage {
	k, _ := p.Data.(*kioskPage)
	return k
}

// ConsultationFeed is the path of the Atom feed of the consultation whose
// page this is ("/k/{ref}/feed.atom"), for the head's rel="alternate"
// link; "" off consultation pages. The feed itself checks who may read.
func (p page) ConsultationFeed() string {
	rest, ok := strings.CutPrefix(p.Path, "/k/")
	if !ok {
		return ""
	}
	ref, _, _ := strings.Cut(rest, "/")
	if ref == "" {
		return ""
	}
	return "/k/" + ref + "/feed.atom"
}

// When shows t in the viewer's language and zone with the zone's label
// ("2 Des 2026 13.04 WIB"); in templates {{$.When .CreatedAt}}.
func (p page) When(t time.Time) string { return locale.For(p.Lang, p.Zone).Time(t) }

// Day shows the calendar day of t in the viewer's language and zone.
func (p page) Day(t time.Time) string { return locale.For(p.Lang, p.Zone).Date(t) }

// wholeNumber converts a template's integer of any kind for locale.Int; a
// float is rounded.
func wholeNumber(v any) int64 {
	switch n := v.(type) {
	case int:
		return int64(n)
	case int8:
		return int64(n)
	case int16:
		return int64(n)
	case int32:
		return int64(n)
	case int64:
		return n
	case uint:
		return int64(n)
	case uint8:
		return int64(n)
	case uint16:
		return int64(n)
	case uint32:
		return int64(n)
	case uint64:
		return int64(n)
	case float64:
		return int64(math.Round(n))
	}
	panic(fmt.Sprintf("num: %T is not a number", v))
}

// langOf is the lang attribute (with its leading space) of an item whose
// import source or key is source, in a consultation whose imported content
// is in tag, on a page in page: empty for content written here, an
// unknown language or the page's own.
func langOf(tag, source, page string) template.HTMLAttr {
	if source == "" || tag == "" || strings.EqualFold(tag, page) {
		return ""
	}
	return template.HTMLAttr(` lang="` + template.HTMLEscapeString(tag) + `"`) //nolint:gosec // escaped
}

// excerpt is Markdown body src as plain text, cut to n grapheme clusters.
func excerpt(mk *markup.Renderer, src string, n int) string {
	return grapheme.Truncate(mk.Text(src), n)
}

func loadPages(c *catalog, sf *staticFiles, mk *markup.Renderer) (*pages, error) {
	funcs := template.FuncMap{
		"T": c.T,
		"voteForm": func(p page, id int64, view string, voted bool, mine int8) voteForm {
			return voteForm{Page: p, ID: id, View: view, Voted: voted, Mine: mine}
		},
		"qform":        questionFormOf, // poll_builder_page.go
		"proposalMeta": proposalMetaOf, // proposal.go
		"ferr":         fieldErrorOf,
		"asset":        sf.URL,
		"staffTools":   func(p page, tools []staffLink) staffToolsData { return staffToolsData{Page: p, Tools: tools} },
		// Numbers for people go through forum/locale: {{num $.Lang .Count}},
		// {{dec $.Lang .Mean 2}}, {{pct $.Lang .Share}}; times through the
		// page's zone: {{$.When .CreatedAt}}, {{$.Day .Date}}.
		"num":         func(lang string, v any) string { return locale.In(lang).Int(wholeNumber(v)) },
		"dec":         func(lang string, f float64, digits int) string { return locale.In(lang).Dec(f, digits) },
		"pct":         func(lang string, share float64) string { return locale.In(lang).Pct(share, 0) },
		"auditLabel":  c.auditLabel,
		"stateReason": func(lang, reason string) string { return stateReason(c, lang, reason) },
		"stateLabel":  func(lang, state, reason string) string { return stateLabel(c, lang, state, reason) },
		// excerpt is a markdown body as plain text, cut to n grapheme clusters.
		"excerpt": func(src string, n int) string { return excerpt(mk, src, n) },
		// langOf marks imported content with its language: lang="…" when
		// source (the item's import source or key; "" for content written
		// here) is set and the consultation's ContentLang differs from the
		// page's (WCAG 2.1 SC 3.1.2).
		"langOf": langOf,
		"markdown": func(src string) template.HTML {
			return template.HTML(mk.HTML(src)) //nolint:gosec // sanitized by markup's allow-list
		},
	}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/part_*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{set: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimPrefix(n, "templates/")
		if name == "layout.html" || strings.HasPrefix(name, "part_") {
			continue // shared by every page (part_*.html: templates several pages include)
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, err
		}
		p.set[strings.TrimSuffix(name, ".html")] = t
	}
	return p, nil
}

// render writes page name with status code. It renders into a buffer first
// so a template error becomes a clean 500, never half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name, title string, data any) {
	t, ok := s.pages.set[name]
	if !ok {
		s.log.Error("no such template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	ri := info(r)
	// Only successful pages hand out a visitor cookie: an error page (a
	// browser's /favicon.ico 404 racing the first page, say) must never
	// replace the cookie whose token the page's forms carry.
	vid := s.visitorID(r)
	if code < http.StatusBadRequest {
		vid = s.ensureVisitor(w, r)
	}
	pg := page{Lang: ri.lang, Zone: s.viewerZone(w, r), Title: title, CSRF: s.csrfToken(vid), Path: r.URL.Path, RequestID: ri.id, Data: data,
		User: s.viewerOf(r).User, Brand: s.brand(r.Context()), LangURL: map[string]string{"id": withLang(r.URL, "id"), "en": withLang(r.URL, "en")}}
	if pg.User != nil {
		n, err := forum.UnreadCount(r.Context(), s.db, forum.Viewer{User: pg.User})
		if err != nil {
			s.log.Error("unread notifications", "request_id", ri.id, "err", err)
		}
		m, err := s.complaints.UnreadStaffNotifications(r.Context(), pg.User.ID)
		if err != nil {
			s.log.Error("unread complaint notifications", "request_id", ri.id, "err", err)
		}
		pg.Unread = n + m + s.unreadDraftNotices(r)
		pg.StaffHome = s.hasStaffHome(r, pg.User)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", pg); err != nil {
		s.log.Error("render", "template", name, "request_id", ri.id, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-cache")
	if ns, ok := data.(interface{ NoStore() bool }); ok && ns.NoStore() {
		// Nothing of the page is kept for the back button (kiosk.go).
		w.Header().Set("Cache-Control", "no-store")
	}
	w.Header().Set("Vary", "Cookie")
	w.WriteHeader(code)
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}
