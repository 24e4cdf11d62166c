package web

import (
	"net/http"
	"strings"

	"github.com/rembug/rembug/forum"
)

// The embeddable widget (/k/{ref}/widget): a consultation's title, phase
// and call to action for an iframe on the pemda's own website. Only the
// origins an admin lists (/admin/sematan, forum.EmbedOrigins) may frame
// it: its Content-Security-Policy frame-ancestors names them, 'none' while
// the list is empty; every other page keeps frame-ancestors 'none'
// (middleware.go). The widget shows what a guest may read, whoever's
// browser asks, since it sits on another site.

type widgetPage struct {
	C     *forum.Consultation
	Stage forum.Stage
	URL   string
}

// Chromeless: the widget has no site header or footer.
func (widgetPage) Chromeless() bool { return true }

// widgetCSP is the widget's policy: the site's, framed only by origins.
func widgetCSP(origins []string) string {
	fa := "'none'"
	if len(origins) > 0 {
		fa = strings.Join(origins, " ")
	}
	return "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
		"connect-src 'self'; frame-ancestors " + fa + "; base-uri 'self'; form-action 'self'; object-src 'none'"
}

// handleWidget serves the consultation's widget.
func (s *Server) handleWidget(w http.ResponseWriter, r *http.Request) {
	ctx, guest := r.Context(), forum.GuestViewer(0)
	c, err := forum.ConsultationByRef(ctx, s.db, r.PathValue("ref"))
	if err == nil {
		err = forum.Can(ctx, guest, forum.ActRead, c.Item())
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	st, err := forum.StageOf(ctx, s.db, c, s.now())
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	origins, err := forum.EmbedOrigins(ctx, s.db)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	w.Header().Set("Content-Security-Policy", widgetCSP(origins))
	if len(origins) > 0 {
		// frame-ancestors replaces X-Frame-Options (CSP Level 2 §7.7.1);
		// DENY would still block browsers that read only the older header.
		w.Header().Del("X-Frame-Options")
	}
	s.render(w, r, http.StatusOK, "widget", c.Title, widgetPage{C: c, Stage: st, URL: s.publicURL(r, "/k/"+c.Slug)})
}

type embedAdminPage struct {
	Origins string
	Saved   bool
	Err     string
	Max     int
	Example string
}

// handleEmbedAdmin is the admin's list of origins that may embed widgets.
func (s *Server) handleEmbedAdmin(w http.ResponseWriter, r *http.Request) {
	if _, err := s.siteAdmin(r); err != nil {
		s.serveError(w, r, err)
		return
	}
	os, err := forum.EmbedOrigins(r.Context(), s.db)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_embed", s.msgs.T(info(r).lang, "embed.title"),
		embedAdminPage{Origins: strings.Join(os, "\n"), Saved: r.URL.Query().Get("saved") == "1", Max: forum.MaxEmbedOrigins,
			Example: `<iframe src="` + s.publicURL(r, "/k/<slug>/widget") + `" width="360" height="220" title="…"></iframe>`})
}

// handleEmbedAdminSave stores the list; a refused list comes back, 400.
func (s *Server) handleEmbedAdminSave(w http.ResponseWriter, r *http.Request) {
	v, err := s.siteAdmin(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	text := r.PostFormValue("origins")
	if err := s.forum.SaveEmbedOrigins(r.Context(), v, text); err != nil {
		code, _, msg := s.errorText(info(r).lang, err)
		if code != http.StatusBadRequest {
			s.serveError(w, r, err)
			return
		}
		s.render(w, r, code, "admin_embed", s.msgs.T(info(r).lang, "embed.title"), embedAdminPage{Origins: text, Err: msg, Max: forum.MaxEmbedOrigins})
		return
	}
	http.Redirect(w, r, "/admin/sematan?saved=1", http.StatusSeeOther)
}
