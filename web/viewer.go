package web

import (
	"context"
	"net/http"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// sessionCookie holds a signed-in user's session token; the session itself
// lives in the database (forum.Session), so any node can serve any request
// and signing out ends it everywhere.
const sessionCookie = "rembug_s"

// viewer is the request plumbing of who is asking: a signed-in user, or a
// guest known only by the visitor cookie (VisitorID, empty before the first
// page view). It decides nothing: authorization goes through forum.Can with
// the forum.Viewer that forumViewer derives from it.
type viewer struct {
	User      *forum.User
	VisitorID string
}

// SignedIn reports whether the viewer is a signed-in user.
func (v viewer) SignedIn() bool { return v.User != nil }

// viewerOf identifies the request's viewer from its session and visitor
// cookies. A stale or forged session cookie makes a guest, never an error.
func (s *Server) viewerOf(r *http.Request) viewer {
	ri := info(r)
	if ri.viewer != nil {
		return *ri.viewer
	}
	v := viewer{VisitorID: s.visitorID(r)}
	defer func() { ri.viewer = &v }()
	if c, err := r.Cookie(sessionCookie); err == nil {
		u, err := forum.SessionUser(r.Context(), s.db, c.Value, s.now())
		if err == nil {
			v.User = u
		} else if errs.KindOf(err) != errs.NotFound {
			s.log.Error("session lookup", "request_id", info(r).id, "err", err)
		}
	}
	return v
}

// participant returns the participant that acts for v: the user's own, or
// the guest of the visitor cookie. With create false it returns nil when
// the guest has not taken part yet; with create true it makes the row (the
// caller must have checked the CSRF token, which implies a visitor id).
func (s *Server) participant(ctx context.Context, v viewer, create bool) (*forum.Participant, error) {
	now := s.now().UTC()
	if v.User != nil {
		return forum.UserParticipant(ctx, s.db, v.User, now)
	}
	if v.VisitorID == "" {
		return nil, nil
	}
	if create {
		return forum.EnsureParticipant(ctx, s.db, forum.ParticipantGuest, forum.ParticipantGuest, v.VisitorID, now)
	}
	p, err := forum.FindParticipant(ctx, s.db, forum.ParticipantGuest, v.VisitorID)
	if errs.KindOf(err) == errs.NotFound {
		return nil, nil
	}
	return p, err
}
