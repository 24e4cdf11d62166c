package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
)

var voteValues = map[string]int8{"agree": polls.Agree, "disagree": polls.Disagree, "pass": polls.Pass}

// handleVote records a guest's vote from a plain form and redirects back:
// to the next statement, or to the statement in the list view.
func (s *Server) handleVote(w http.ResponseWriter, r *http.Request) {
	c, err := s.readableConsultation(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	sid, err := strconv.ParseInt(r.PostFormValue("statement"), 10, 64)
	if err != nil {
		s.serveError(w, r, errs.E(errs.Invalid, "error.bad_form", nil))
		return
	}
	v, ok := voteValues[r.PostFormValue("vote")]
	if !ok {
		s.serveError(w, r, errs.E(errs.Invalid, "error.vote_invalid", nil))
		return
	}
	// Guests vote on statements, as on Pol.is; the right to vote (the
	// phase, the consultation's status, blocks) is decided by CastVote
	// inside its transaction (forum.Can).
	fv, err := s.forumViewer(r, true)
	if err == nil {
		err = s.polls.CastVote(r.Context(), fv, c, sid, v)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	back := "/k/" + url.PathEscape(c.Slug)
	if r.PostFormValue("view") == "list" {
		back += "?view=list#s" + strconv.FormatInt(sid, 10)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
