package web

import (
	"net/http"
	"net/url"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/realtime/live"
)

// groupSessions lists focus group g's live sessions that v may open
// (live.Service.Authorize: the group's members and the consultation's
// moderators).
func (s *Server) groupSessions(r *http.Request, v forum.Viewer, c *forum.Consultation, g *forum.FocusGroup) ([]live.Session, error) {
	all, err := s.live.svc.SessionsOf(r.Context(), c.ID)
	if err != nil {
		return nil, err
	}
	var out []live.Session
	for _, sess := range all {
		if sess.FocusGroupID == nil || *sess.FocusGroupID != g.ID {
			continue
		}
		switch err := s.live.svc.Authorize(r.Context(), v, forum.ActRead, &sess); {
		case err == nil:
			out = append(out, sess)
		case errs.KindOf(err) == errs.Internal:
			return nil, err
		}
	}
	return out, nil
}

// handleGroupLiveCreate makes a live session inside the {id} focus group
// (moderators of the consultation only: live.Service.CreateSession decides
// inside its transaction): only the group's members and its moderators may
// open it. It opens the session's moderator page.
func (s *Server) handleGroupLiveCreate(w http.ResponseWriter, r *http.Request) {
	v, d, err := s.groupFor(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	gid := d.G.ID
	sess, err := s.live.svc.CreateSession(r.Context(), v, live.SessionInput{ConsultationID: d.C.ID, FocusGroupID: &gid,
		Title: r.PostFormValue("title"), AllowAnonymous: r.PostFormValue("anonymous") == "1",
		Premoderate: r.PostFormValue("premoderate") == "1", PerMinute: atoiOr(r.PostFormValue("per_minute"), 0)})
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, "/live/"+url.PathEscape(sess.Code)+"/mod", http.StatusSeeOther)
}
