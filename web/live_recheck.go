package web

import (
	"context"
	"strconv"
	"strings"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/realtime/live"
)

// accessChanged re-checks every open websocket that reads consultation id:
// its live sessions' channels (public and moderation) and its polls'
// results channels. forum.Store runs it after the commit of every change
// that can take rights away (the consultation's status, a phase, a
// focus-group membership or role: Store.OnAccessChange); each node
// closes the connections whose viewer lost the right with close code
// realtime.CloseRevoked (Hub.Recheck goes through the broker). Failures are
// logged: the change itself is committed.
func (s *Server) accessChanged(ctx context.Context, id int64) {
	var channels []string
	sessions, err := s.live.svc.SessionsOf(ctx, id)
	if err == nil {
		for _, sess := range sessions {
			channels = append(channels, live.Channel(sess.ID, false), live.Channel(sess.ID, true))
		}
		var surveys []polls.Survey
		if surveys, err = polls.SurveysOf(ctx, s.db, id); err == nil {
			for _, sv := range surveys {
				channels = append(channels, pollChannel(sv.ID))
			}
		}
	}
	if err != nil {
		s.log.Error("access re-check", "consultation", id, "err", err)
		return
	}
	s.live.parts.clear()
	for _, ch := range channels {
		if err := s.live.hub.Recheck(ctx, ch); err != nil {
			s.log.Error("access re-check", "consultation", id, "channel", ch, "err", err)
		}
	}
}

// recheckViewer is the viewer named user (liveUser: "u:<id>" or a guest)
// with rights read from the database now. A user that no longer exists
// reads as a guest.
func (s *Server) recheckViewer(ctx context.Context, user string) (forum.Viewer, error) {
	var u *forum.User
	if rest, ok := strings.CutPrefix(user, "u:"); ok {
		id, err := strconv.ParseInt(rest, 10, 64)
		if err == nil {
			u, err = forum.UserByID(ctx, s.db, id)
		}
		if err != nil && errs.KindOf(err) != errs.NotFound {
			return forum.Viewer{}, err
		}
		if u != nil && !u.DeletedAt.IsZero() {
			u = nil
		}
	}
	return forum.LoadViewer(ctx, s.db, u, 0)
}

// liveRecheck answers the hub's re-check of an open live-session
// connection: whether user may still read (or, on the moderation channel,
// moderate) the session, by the access rule with rights and the
// consultation read now. A database fault keeps the connection (logged):
// only a refusal closes it. It also drops this node's cached participant
// rights.
func (s *Server) liveRecheck(ctx context.Context, user, channel string) bool {
	s.live.parts.clear()
	id, mod, ok := live.ParseChannel(channel)
	if !ok {
		return false
	}
	sess, err := s.live.svc.SessionByID(ctx, id)
	if errs.KindOf(err) == errs.NotFound {
		return false
	}
	var v forum.Viewer
	if err == nil {
		s.live.svc.Recheck(sess.ConsultationID)
		v, err = s.recheckViewer(ctx, user)
	}
	if err == nil {
		err = s.live.svc.Authorize(ctx, v, liveAction(mod), sess)
	}
	if errs.KindOf(err) == errs.Internal && err != nil {
		s.log.Error("live re-check", "channel", channel, "err", err)
		return true
	}
	return err == nil
}
