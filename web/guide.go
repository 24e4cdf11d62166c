package web

import (
	"net/http"

	"github.com/rembug/rembug/forum"
)

// Guides (panduan): plain-language pages on taking part, personal data and
// useful feedback (forum/guide.go), at /panduan/{slug}, linked with a "?"
// next to the forms they explain; admins edit them at
// /admin/panduan/{slug}/{lang}. Each prints on one A4 page.

// guideLink is a guide in the index: its slug and title.
type guideLink struct{ Slug, Title string }

type guidePage struct {
	G forum.Guide
	// Admin says the viewer may edit the guide (a link under it).
	Admin bool
}

// handleGuides lists the guides in the reader's language.
func (s *Server) handleGuides(w http.ResponseWriter, r *http.Request) {
	lang := info(r).lang
	var ls []guideLink
	for _, slug := range forum.GuideSlugs {
		g, err := forum.LoadGuide(r.Context(), s.db, slug, lang)
		if err != nil {
			s.serveError(w, r, err)
			return
		}
		ls = append(ls, guideLink{Slug: slug, Title: g.Title()})
	}
	s.render(w, r, http.StatusOK, "guides", s.msgs.T(lang, "guide.index"), ls)
}

// handleGuide shows one guide in the reader's language.
func (s *Server) handleGuide(w http.ResponseWriter, r *http.Request) {
	g, err := forum.LoadGuide(r.Context(), s.db, r.PathValue("slug"), info(r).lang)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	d := guidePage{G: g}
	if v, err := s.forumViewer(r, false); err == nil {
		d.Admin = forum.Can(r.Context(), v, forum.ActAdminister, forum.Item{Kind: forum.ItemSite}) == nil
	}
	s.render(w, r, http.StatusOK, "guide", g.Title(), d)
}

type guideEdit struct {
	G     forum.Guide
	Saved bool
	Err   string
	Max   int
}

// siteAdmin loads the viewer when they may administer the site (guides,
// the embedding origins).
func (s *Server) siteAdmin(r *http.Request) (forum.Viewer, error) {
	v, err := s.forumViewer(r, false)
	if err == nil {
		err = forum.Can(r.Context(), v, forum.ActAdminister, forum.Item{Kind: forum.ItemSite})
	}
	return v, err
}

// handleGuideEdit is the admin's form for one guide in one language.
func (s *Server) handleGuideEdit(w http.ResponseWriter, r *http.Request) {
	if _, err := s.siteAdmin(r); err != nil {
		s.serveError(w, r, err)
		return
	}
	g, err := forum.LoadGuide(r.Context(), s.db, r.PathValue("slug"), r.PathValue("lang"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_guide", s.msgs.T(info(r).lang, "guide.edit_title", "Title", g.Title()),
		guideEdit{G: g, Saved: r.URL.Query().Get("saved") == "1", Max: forum.MaxGuideBody})
}

// handleGuideSave stores the guide form; an empty body returns to the
// built-in text. A refused form comes back with its text and the error, 400.
func (s *Server) handleGuideSave(w http.ResponseWriter, r *http.Request) {
	v, err := s.siteAdmin(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	slug, lang, body := r.PathValue("slug"), r.PathValue("lang"), r.PostFormValue("body")
	if err := s.forum.SaveGuide(r.Context(), v, slug, lang, body); err != nil {
		code, _, msg := s.errorText(info(r).lang, err)
		if code != http.StatusBadRequest {
			s.serveError(w, r, err)
			return
		}
		g := forum.Guide{Slug: slug, Lang: lang, Body: body}
		s.render(w, r, code, "admin_guide", s.msgs.T(info(r).lang, "guide.edit_title", "Title", g.Title()),
			guideEdit{G: g, Err: msg, Max: forum.MaxGuideBody})
		return
	}
	http.Redirect(w, r, "/admin/panduan/"+slug+"/"+lang+"?saved=1", http.StatusSeeOther)
}
