package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/rembug/rembug/forum/draft"
	"github.com/rembug/rembug/forum/errs"
)

// draftTarget is where a guest's draft may be sent once they are signed
// in: a proposal's comment form.
var draftTarget = regexp.MustCompile(`^/p/[^/?#]+/comments$`)

// handleDraftSave keeps the comment a guest typed and sends them to sign
// in; the sign-in returns to the draft (handleDraft).
func (s *Server) handleDraftSave(w http.ResponseWriter, r *http.Request) {
	target, back := r.PostFormValue("target"), localPath(r.PostFormValue("back"))
	body := r.PostFormValue("body")
	if !draftTarget.MatchString(target) {
		s.serveError(w, r, errs.E(errs.Invalid, "error.bad_form", nil))
		return
	}
	next := back + "#ct"
	if strings.TrimSpace(body) != "" {
		d := &draft.Draft{Target: target, Back: back, Fields: map[string]string{"body": body, "parent": r.PostFormValue("parent")}}
		tok, err := draft.Save(r.Context(), s.db, d, s.now().UTC())
		if err != nil {
			s.serveError(w, r, err)
			return
		}
		next = "/masuk/draf/" + tok
	}
	http.Redirect(w, r, "/masuk?next="+url.QueryEscape(next), http.StatusSeeOther)
}

// handleDraft shows a saved draft, filled in, for the signed-in person to
// send.
func (s *Server) handleDraft(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	d, err := draft.Load(r.Context(), s.db, r.PathValue("token"), s.now().UTC())
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "draft", s.msgs.T(info(r).lang, "draft.title"), d)
}
