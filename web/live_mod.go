package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/realtime/live"
)

// handleLiveMod* are the moderator's forms; each redirects back to the
// moderator page (or answers {"ok":true} to live.js).

func (s *Server) liveModDone(w http.ResponseWriter, r *http.Request, sess *live.Session, err error) {
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
		return
	}
	http.Redirect(w, r, "/live/"+url.PathEscape(sess.Code)+"/mod", http.StatusSeeOther)
}

// errBadAction answers a moderator form whose "do" names no action: a
// malformed request (400), not a conflict with the question's state.
var errBadAction = errs.E(errs.Invalid, "error.bad_form", nil)

// knownAction reports whether do is one of actions.
func knownAction(do string, actions ...string) bool {
	return slices.Contains(actions, do)
}

// liveModPost loads the session of a moderator's form and the moderator as
// the access rule and the audit log see them (read once per request); a
// nil session means it answered.
func (s *Server) liveModPost(w http.ResponseWriter, r *http.Request) (*live.Session, forum.Viewer) {
	sess, _ := s.livePost(w, r, true)
	if sess == nil {
		return nil, forum.Viewer{}
	}
	v, err := s.readerViewer(r)
	if err != nil {
		s.serveError(w, r, err)
		return nil, v
	}
	return sess, v
}

func formID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.PostFormValue(name), 10, 64)
	return n
}

// handleLiveModQuestion applies a moderation action ("do") to a question.
func (s *Server) handleLiveModQuestion(w http.ResponseWriter, r *http.Request) {
	sess, v := s.liveModPost(w, r)
	if sess == nil {
		return
	}
	do := r.PostFormValue("do")
	if !knownAction(do, live.ActApprove, live.ActHide, live.ActHighlight, live.ActLower, live.ActAnswered,
		live.ActReopen, live.ActArchive, live.ActEdit, live.ActMerge) {
		s.serveError(w, r, errBadAction)
		return
	}
	err := s.live.svc.Moderate(r.Context(), v, sess, formID(r, "question"), do, r.PostFormValue("text"), formID(r, "into"))
	s.liveModDone(w, r, sess, err)
}

// handleLiveModPoll creates a poll ("do" = "create") or applies a poll
// action to one.
func (s *Server) handleLiveModPoll(w http.ResponseWriter, r *http.Request) {
	sess, v := s.liveModPost(w, r)
	if sess == nil {
		return
	}
	if !knownAction(r.PostFormValue("do"), "create", live.PollLaunch, live.PollClose, live.PollShow, live.PollHide) {
		s.serveError(w, r, errBadAction)
		return
	}
	var err error
	if r.PostFormValue("do") == "create" {
		_, err = s.live.svc.CreatePoll(r.Context(), v, sess, live.PollInput{Kind: r.PostFormValue("kind"),
			Question: r.PostFormValue("question"), Options: strings.Split(r.PostFormValue("options"), "\n")})
	} else {
		err = s.live.svc.PollAction(r.Context(), v, sess, formID(r, "poll"), r.PostFormValue("do"))
	}
	s.liveModDone(w, r, sess, err)
}

// handleLiveModSession ends ("close") or reopens ("open") the session.
func (s *Server) handleLiveModSession(w http.ResponseWriter, r *http.Request) {
	sess, v := s.liveModPost(w, r)
	if sess == nil {
		return
	}
	if !knownAction(r.PostFormValue("do"), "open", "close") {
		s.serveError(w, r, errBadAction)
		return
	}
	_, err := s.live.svc.SetOpen(r.Context(), v, sess.ID, r.PostFormValue("do") == "open")
	s.liveModDone(w, r, sess, err)
}

// liveListPage is the data of a consultation's live sessions page.
type liveListPage struct {
	C         *forum.Consultation
	Sessions  []live.Session
	Moderator bool
	Staff     bool // may export records
}

// handleLiveList lists a consultation's live sessions; moderators get the
// form that creates one.
func (s *Server) handleLiveList(w http.ResponseWriter, r *http.Request) {
	v, c, err := s.viewerAndConsultation(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	all, err := s.live.svc.SessionsOf(r.Context(), c.ID)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	d := liveListPage{C: c, Moderator: s.allowed(r, v, forum.ActModerate, c.Item()), Staff: s.allowed(r, v, forum.ActExport, c.Item())}
	for _, sess := range all {
		if err := s.live.svc.Authorize(r.Context(), v, forum.ActRead, &sess); err == nil {
			d.Sessions = append(d.Sessions, sess)
		} else if errs.KindOf(err) == errs.Internal {
			s.serveError(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "live_list", c.Title, d)
}

// handleLiveCreate makes a session of the consultation (moderators only:
// live.Service.CreateSession decides inside its transaction) and opens its
// moderator page.
func (s *Server) handleLiveCreate(w http.ResponseWriter, r *http.Request) {
	v, c, err := s.viewerAndConsultation(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	per, _ := strconv.Atoi(r.PostFormValue("per_minute"))
	sess, err := s.live.svc.CreateSession(r.Context(), v, live.SessionInput{ConsultationID: c.ID, Title: r.PostFormValue("title"),
		AllowGuests: r.PostFormValue("guests") == "1", AllowAnonymous: r.PostFormValue("anonymous") == "1",
		Premoderate: r.PostFormValue("premoderate") == "1", PerMinute: per})
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, "/live/"+url.PathEscape(sess.Code)+"/mod", http.StatusSeeOther)
}
