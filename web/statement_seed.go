package web

import (
	"net/http"
	"net/url"

	"github.com/rembug/rembug/forum"
)

// handleStatementSeed is POST /k/{ref}/pernyataan: staff who may moderate
// the consultation (forum.Can, ActModerate) add a seeded statement from the
// form on the consultation page, then return to the statement list. The
// statement and its audit entry are written together (polls.Store).
func (s *Server) handleStatementSeed(w http.ResponseWriter, r *http.Request) {
	v, err := s.forumViewer(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	c, err := s.consultationFor(r, v)
	if err == nil {
		err = forum.Can(r.Context(), v, forum.ActModerate, c.Item())
	}
	if err == nil {
		_, err = s.polls.SeedStatement(r.Context(), v, c.ID, r.PostFormValue("text"))
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, "/k/"+url.PathEscape(c.Slug)+"?view=list", http.StatusSeeOther)
}
