package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
)

// Reports by guests (no account) per client address: they never hide
// content (forum.Store.Flag), but a flood of them would still fill the
// moderation queue.
const (
	guestFlagsPerIP    = 10
	guestFlagsIPWindow = time.Hour
)

// formTarget reads the target of a report or a moderation form.
func formTarget(r *http.Request) (forum.Target, int64) {
	id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	cons, _ := strconv.ParseInt(r.PostFormValue("consultation"), 10, 64)
	return forum.Target{Kind: r.PostFormValue("kind"), ID: id}, cons
}

// handleFlag records a report (kind, id, reason) and goes back.
func (s *Server) handleFlag(w http.ResponseWriter, r *http.Request) {
	// The limit comes before the guest's participant is made, so that a
	// flood of new visitors writes nothing once refused. A guest may report
	// without having voted or commented first: the report needs a
	// participant (one report per person and item), made here as a vote or
	// comment would make it.
	if err := s.limitGuestFlags(r, s.viewerOf(r).User); err != nil {
		s.serveError(w, r, err)
		return
	}
	v, err := s.forumViewer(r, true)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	t, cons := formTarget(r)
	if err := s.forum.Flag(r.Context(), v, t, cons, r.PostFormValue("reason")); err != nil {
		s.serveError(w, r, err)
		return
	}
	backTo(w, r, "/")
}

// limitGuestFlags counts one report by a guest at the client's address
// (forum.Store.CountAttempt, the limiter of sign-in and complaint intake):
// errs.RateLimited (error.flag_rate_limited, with the wait, a 429) after
// guestFlagsPerIP in guestFlagsIPWindow. Account holders are not limited
// here: they report once per item, and their reports are accountable.
func (s *Server) limitGuestFlags(r *http.Request, user *forum.User) error {
	if user != nil {
		return nil
	}
	ok, wait, err := s.forum.CountAttempt(r.Context(), "flag-ip:"+clientIP(r), guestFlagsPerIP, guestFlagsIPWindow)
	if err != nil {
		return err
	}
	if !ok {
		return errs.Limited("error.flag_rate_limited", wait, nil)
	}
	return nil
}

// handleQueue shows a consultation's moderation queue to its moderators
// and (read-only) to analysts.
func (s *Server) handleQueue(w http.ResponseWriter, r *http.Request) {
	v, c, err := s.viewerAndConsultation(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	items, err := forum.Queue(r.Context(), s.db, v, c)
	if err == nil {
		var sts []forum.QueueItem
		sts, err = s.statementQueue(r, v, c)
		items = append(items, sts...)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	mod := s.allowed(r, v, forum.ActModerate, c.Item())
	// Reported participants show by name; blocked ones are listed below
	// the queue (flag_author.go).
	var pids []int64
	for _, it := range items {
		if it.Kind == forum.TargetUser {
			pids = append(pids, it.ID)
		}
	}
	names, err := forum.ParticipantNames(r.Context(), s.db, pids)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	for i := range items {
		if items[i].Kind == forum.TargetUser {
			items[i].Text = names[items[i].ID]
		}
	}
	blocked, err := forum.BlockedIn(r.Context(), s.db, v, c)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "moderation", s.msgs.T(info(r).lang, "moderation.title")+" · "+c.Title,
		map[string]any{"C": c, "Items": items, "Moderator": mod, "Blocked": blocked})
}

// handleModerate applies a moderation action from the queue.
func (s *Server) handleModerate(w http.ResponseWriter, r *http.Request) {
	v, c, err := s.viewerAndConsultation(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	t, _ := formTarget(r)
	action, reason := r.PostFormValue("action"), r.PostFormValue("reason")
	if t.Kind == polls.TargetStatement {
		err = s.moderateStatement(r, v, c, t.ID, action, reason)
	} else {
		err = s.forum.Moderate(r.Context(), v, t, c.ID, action, reason)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, "/k/"+c.Slug+"/moderation", http.StatusSeeOther)
}

// moderateStatement applies a queue action to statement id of c: approve,
// hide and restore through polls.Store.ModerateStatement; block blocks the
// statement's author in c through forum.Store.Moderate, as for a proposal's
// author (a statement without an author, seeded or imported, is
// errs.Invalid).
func (s *Server) moderateStatement(r *http.Request, v forum.Viewer, c *forum.Consultation, id int64, action, reason string) error {
	if action != forum.ActionBlock {
		return s.polls.ModerateStatement(r.Context(), v, c, id, action, reason)
	}
	st, err := polls.StatementIn(r.Context(), s.db, c.ID, id)
	if err != nil {
		return err
	}
	if st.AuthorID == 0 {
		return errs.E(errs.Invalid, "error.bad_form", nil)
	}
	return s.forum.Moderate(r.Context(), v, forum.Target{Kind: forum.TargetUser, ID: st.AuthorID}, c.ID, action, reason)
}

// handleAudit shows the audit log to admins.
func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) {
	v, err := s.forumViewer(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	log, err := forum.AuditLog(r.Context(), s.db, v, 500)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "audit", s.msgs.T(info(r).lang, "audit.title"), log)
}

// stateLabel is a content state as pages show it (state.<state>), except
// that content hidden automatically after reports (forum.ParseAutoHide on
// its reason) is "hidden pending review" (state.under_review): no moderator
// has decided yet, so it is neither removed nor a moderator's hide.
func stateLabel(c *catalog, lang, state, reason string) string {
	if _, auto := forum.ParseAutoHide(reason); auto && state == forum.StateHidden {
		return c.T(lang, "state.under_review")
	}
	return c.T(lang, "state."+state)
}

// stateReason is a moderation reason as pages show it: an automatic hide
// after reports (forum.ParseAutoHide) is translated into lang with its
// count; a moderator's own words are shown as written.
func stateReason(c *catalog, lang, reason string) string {
	n, ok := forum.ParseAutoHide(reason)
	switch {
	case !ok:
		return reason
	case n == 0:
		return c.T(lang, "moderation.auto_hidden_some")
	}
	return c.T(lang, "moderation.auto_hidden", "Count", n)
}
