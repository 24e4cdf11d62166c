package web

import (
	"net/http"
)

// handleFlagAuthor reports the author of a proposal or comment (form
// fields kind, id, reason): the report names the content, never the
// author's id, and lands in the consultation's moderation queue.
func (s *Server) handleFlagAuthor(w http.ResponseWriter, r *http.Request) {
	if err := s.limitGuestFlags(r, s.viewerOf(r).User); err != nil {
		s.serveError(w, r, err)
		return
	}
	v, err := s.forumViewer(r, true) // as handleFlag: a guest needs no earlier action
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	t, _ := formTarget(r)
	if err := s.forum.FlagAuthor(r.Context(), v, t, r.PostFormValue("reason")); err != nil {
		s.serveError(w, r, err)
		return
	}
	backTo(w, r, "/")
}
