package web

import (
	"net/http"
	"strconv"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/rancangan"
)

// handleDraftInput stores a citizen's input on a unit and returns to it.
func (s *Server) handleDraftInput(w http.ResponseWriter, r *http.Request) {
	v, c, d, err := s.viewerAndDraft(r, true)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	in, err := s.drafts.AddInput(r.Context(), v, c, d, rancangan.NewInput{Anchor: r.PostFormValue("anchor"),
		Stance: r.PostFormValue("stance"), Body: r.PostFormValue("body"), Amendment: r.PostFormValue("amendment")})
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, unitURL(c.Slug, d.ID, in.Anchor)+"#m"+strconv.FormatInt(in.ID, 10), http.StatusSeeOther)
}

// unitURL is the page of one unit of a draft.
func unitURL(slug string, draft int64, anchor string) string {
	return rancangan.Path(slug, draft, "") + "/u/" + anchor
}

// handleDraftSupport records the viewer's support of an amendment; a
// repeat changes nothing and still returns.
func (s *Server) handleDraftSupport(w http.ResponseWriter, r *http.Request) {
	v, c, d, err := s.viewerAndDraft(r, true)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	id, err := pathID(r, "input")
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	in, err := rancangan.InputFor(r.Context(), s.db, v, c, d, id)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if _, err := s.drafts.Support(r.Context(), v, c, in); err != nil {
		s.serveError(w, r, err)
		return
	}
	backTo(w, r, unitURL(c.Slug, d.ID, in.Anchor)+"#m"+strconv.FormatInt(in.ID, 10))
}

// handleDraftHide hides (or with restore=1 restores) an input (drafters).
func (s *Server) handleDraftHide(w http.ResponseWriter, r *http.Request) {
	v, c, d, err := s.viewerAndDraft(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	id, err := pathID(r, "input")
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	in, err := rancangan.InputFor(r.Context(), s.db, v, c, d, id)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if err := s.drafts.SetHidden(r.Context(), v, c, d, in, r.PostFormValue("restore") != "1"); err != nil {
		s.serveError(w, r, err)
		return
	}
	backTo(w, r, unitURL(c.Slug, d.ID, in.Anchor)+"#m"+strconv.FormatInt(in.ID, 10))
}

// ownDraftInput loads the draft and the input named by the path for a
// write by the viewer on their own input.
func (s *Server) ownDraftInput(r *http.Request) (forum.Viewer, *forum.Consultation, *rancangan.Draft, *rancangan.Input, error) {
	v, c, d, err := s.viewerAndDraft(r, true)
	if err != nil {
		return v, nil, nil, nil, err
	}
	id, err := pathID(r, "input")
	if err != nil {
		return v, nil, nil, nil, err
	}
	in, err := rancangan.InputFor(r.Context(), s.db, v, c, d, id)
	return v, c, d, in, err
}

// handleDraftInputEdit replaces the stance, comment and amendment of the
// viewer's own unanswered input while the consultation takes inputs.
func (s *Server) handleDraftInputEdit(w http.ResponseWriter, r *http.Request) {
	v, c, d, in, err := s.ownDraftInput(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if err := s.drafts.EditInput(r.Context(), v, c, d, in, rancangan.NewInput{Stance: r.PostFormValue("stance"),
		Body: r.PostFormValue("body"), Amendment: r.PostFormValue("amendment")}); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, unitURL(c.Slug, d.ID, in.Anchor)+"#m"+strconv.FormatInt(in.ID, 10), http.StatusSeeOther)
}

// handleDraftInputDelete deletes the viewer's own unanswered input while
// the consultation takes inputs.
func (s *Server) handleDraftInputDelete(w http.ResponseWriter, r *http.Request) {
	v, c, d, in, err := s.ownDraftInput(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if err := s.drafts.DeleteInput(r.Context(), v, c, d, in); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, unitURL(c.Slug, d.ID, in.Anchor)+"#mt", http.StatusSeeOther)
}
