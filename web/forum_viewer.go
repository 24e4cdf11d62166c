package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// forumViewer is the request's viewer as the access rule sees it
// (forum.LoadViewer: its participant and its rights), read once per
// request. With create true (form posts only, after the CSRF check) a guest
// gets a participant row.
func (s *Server) forumViewer(r *http.Request, create bool) (forum.Viewer, error) {
	ri := info(r)
	if ri.forum != nil && (!create || ri.forum.ParticipantID != 0) {
		return *ri.forum, nil
	}
	v := s.viewerOf(r)
	p, err := s.participant(r.Context(), v, create)
	if err != nil {
		return forum.Viewer{}, err
	}
	var pid int64
	if p != nil {
		pid = p.ID
	}
	fv, err := forum.LoadViewer(r.Context(), s.db, v.User, pid)
	if err != nil {
		return forum.Viewer{}, err
	}
	ri.forum = &fv
	return fv, nil
}

// readerViewer is the request's viewer for reading a consultation, a focus
// group or a live session: the user's rights (forum.LoadViewer) without a
// participant, which reading a space does not need, so that a guest's page
// view or websocket join reads nothing from the database.
func (s *Server) readerViewer(r *http.Request) (forum.Viewer, error) {
	ri := info(r)
	if ri.forum != nil {
		return *ri.forum, nil
	}
	if ri.reader != nil {
		return *ri.reader, nil
	}
	v, err := forum.LoadViewer(r.Context(), s.db, s.viewerOf(r).User, 0)
	if err != nil {
		return v, err
	}
	ri.reader = &v
	return v, nil
}

// backTo redirects to the form's local "back" path, or to fallback. Only
// paths on this site are followed (no "//host" or scheme).
func backTo(w http.ResponseWriter, r *http.Request, fallback string) {
	b := r.PostFormValue("back")
	if !strings.HasPrefix(b, "/") || strings.HasPrefix(b, "//") || strings.HasPrefix(b, "/\\") {
		b = fallback
	}
	http.Redirect(w, r, b, http.StatusSeeOther)
}

// proposalURL is the page of proposal p.
func proposalURL(p *forum.Proposal) string { return "/p/" + url.PathEscape(p.Ref()) }

// pathID parses the path value name as a positive id.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.ErrNotFound
	}
	return id, nil
}

// consultationFor loads the {ref} consultation and checks that v sees it
// (drafts only for their moderators).
func (s *Server) consultationFor(r *http.Request, v forum.Viewer) (*forum.Consultation, error) {
	c, err := forum.ConsultationByRef(r.Context(), s.db, r.PathValue("ref"))
	if err != nil {
		return nil, err
	}
	if err := forum.Can(r.Context(), v, forum.ActRead, forum.Item{Kind: forum.ItemConsultation, Consultation: c}); err != nil {
		return nil, err
	}
	return c, nil
}

// viewerAndConsultation is the first step of most consultation handlers:
// who is asking (forumViewer, creating the guest participant when create
// is set) and the {ref} consultation they may see (consultationFor).
func (s *Server) viewerAndConsultation(r *http.Request, create bool) (forum.Viewer, *forum.Consultation, error) {
	v, err := s.forumViewer(r, create)
	if err != nil {
		return forum.Viewer{}, nil, err
	}
	c, err := s.consultationFor(r, v)
	return v, c, err
}

// viewerAndProposal is viewerAndConsultation for proposal pages: who is
// asking and the {ref} proposal (with its consultation) they may see.
func (s *Server) viewerAndProposal(r *http.Request, create bool) (forum.Viewer, *forum.Proposal, *forum.Consultation, error) {
	v, err := s.forumViewer(r, create)
	if err != nil {
		return forum.Viewer{}, nil, nil, err
	}
	p, c, err := s.proposalFor(r, v)
	return v, p, c, err
}

// atoiOr parses s as an int, or returns def.
func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

// allowed reports whether v may do a to it by the access rule (forum.Can),
// for what a page offers (buttons, forms, links). A fault other than a
// refusal is logged and counts as a refusal.
func (s *Server) allowed(r *http.Request, v forum.Viewer, a forum.Action, it forum.Item) bool {
	err := forum.Can(r.Context(), v, a, it)
	if err != nil && errs.KindOf(err) == errs.Internal {
		s.log.Error("access check", "request_id", info(r).id, "action", a, "kind", it.Kind, "err", err)
	}
	return err == nil
}
