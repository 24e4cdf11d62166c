package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/realtime"
	"github.com/rembug/rembug/realtime/live"
)

// liveRuntime is the server's part of live sessions: the Service (writes,
// then publishes), its Hub and the websocket endpoint. When Config.Live is
// nil the server makes an in-process one and closes it in Close.
type liveRuntime struct {
	svc   *live.Service
	hub   *realtime.Hub
	ws    http.Handler
	owned []func() error // closed in order by Server.Close
	parts *participantCache
}

func (s *Server) newLiveRuntime(cfg Config) *liveRuntime {
	rt := &liveRuntime{svc: cfg.Live, parts: newParticipantCache()}
	if rt.svc == nil || rt.svc.Hub() == nil {
		b := realtime.NewMemoryBroker(realtime.HistoryOptions{Start: realtime.ClockStart})
		hub := realtime.NewHub(b, realtime.Options{Logger: s.log})
		rt.svc = live.NewService(s.db, hub, live.Options{Now: s.now, Logger: s.log})
		rt.owned = []func() error{rt.svc.Close, hub.Close, b.Close}
	}
	rt.hub = rt.svc.Hub()
	rt.ws = rt.hub.Handler(realtime.HandlerOptions{
		Authorize: s.liveAuthorize,
		Snapshot:  rt.svc.Snapshot,
		User:      func(r *http.Request) string { return liveUser(s.viewerOf(r)) },
		Recheck:   s.liveRecheck,
	})
	return rt
}

// Close stops what New started for live sessions (when Config.Live was nil):
// websocket clients are disconnected. Call it after the HTTP server stopped.
func (s *Server) Close() error {
	var errs []error
	for _, f := range s.live.owned {
		errs = append(errs, f())
	}
	return errors.Join(errs...)
}

// liveUser is the identity of v's websocket connections, for private
// messages (Hub.SendToUser): one per user or per guest cookie.
func liveUser(v viewer) string {
	if v.User != nil {
		return "u:" + strconv.FormatInt(v.User.ID, 10)
	}
	if v.VisitorID != "" {
		return "v:" + v.VisitorID
	}
	return ""
}

// liveAction is what a live page or channel needs: moderation for the
// moderator page and channel, reading otherwise.
func liveAction(mod bool) forum.Action {
	if mod {
		return forum.ActModerate
	}
	return forum.ActRead
}

// liveAuthorize lets a request join a live channel when the access rule
// lets its viewer read the session (the public channel) or moderate it
// (the moderation channel).
func (s *Server) liveAuthorize(r *http.Request, channel string) bool {
	id, mod, ok := live.ParseChannel(channel)
	if !ok {
		return false
	}
	sess, err := s.live.svc.CachedSession(r.Context(), id)
	if err != nil {
		return false
	}
	v, err := s.readerViewer(r)
	if err != nil {
		s.log.Error("live viewer", "request_id", info(r).id, "err", err)
		return false
	}
	return s.live.svc.Authorize(r.Context(), v, liveAction(mod), sess) == nil
}

// liveSession loads the session of the {code} path value that the viewer
// may read; with mod, that the viewer moderates. It answers the request
// itself when it returns nil.
func (s *Server) liveSession(w http.ResponseWriter, r *http.Request, mod bool) (*live.Session, viewer) {
	v := s.viewerOf(r)
	sess, err := s.live.svc.CachedSessionByCode(r.Context(), r.PathValue("code"))
	if err == nil {
		var fv forum.Viewer
		if fv, err = s.readerViewer(r); err == nil {
			err = s.live.svc.Authorize(r.Context(), fv, liveAction(mod), sess)
		}
	}
	if err != nil {
		s.serveError(w, r, err)
		return nil, v
	}
	return sess, v
}

// livePost loads the session of a live form (parsed and CSRF-checked by
// guard); nil means it answered.
func (s *Server) livePost(w http.ResponseWriter, r *http.Request, mod bool) (*live.Session, viewer) {
	return s.liveSession(w, r, mod)
}

// liveParticipant returns the viewer acting for v in sess, with the
// participant that takes part for them (a guest participant is created
// when the session lets guests take part). It does not decide whether they
// may: the live Service's writes (Ask, Upvote, AnswerPoll) ask the access
// rule inside their transaction, and the handler renders their error. The
// viewer is cached per user or guest (participantCache).
func (s *Server) liveParticipant(ctx context.Context, sess *live.Session, v viewer) (forum.Viewer, error) {
	if v.User == nil && !sess.AllowGuests {
		return forum.Viewer{}, live.ErrGuests // before a guest participant is made for nothing
	}
	key := liveUser(v)
	if fv, ok := s.live.parts.get(key); ok {
		return fv, nil
	}
	p, err := s.participant(ctx, v, false) // a read; creating is a write
	if err == nil && p == nil {
		p, err = s.participant(ctx, v, true)
	}
	if err == nil && p == nil {
		err = errs.E(errs.Forbidden, "error.csrf", nil)
	}
	if err != nil {
		return forum.Viewer{}, err
	}
	fv, err := forum.LoadViewer(ctx, s.db, v.User, p.ID)
	if err != nil {
		return forum.Viewer{}, err
	}
	s.live.parts.put(key, fv)
	return fv, nil
}

// liveDone answers a successful live form: the viewer's own state for
// live.js, otherwise a redirect back to the page (fragment optional).
func (s *Server) liveDone(w http.ResponseWriter, r *http.Request, sess *live.Session, v viewer, pid int64, back string) {
	m, err := s.live.svc.SendMine(r.Context(), sess.ID, pid, liveUser(v))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, map[string]any{"mine": m})
		return
	}
	http.Redirect(w, r, "/live/"+url.PathEscape(sess.Code)+back, http.StatusSeeOther)
}
