package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
)

// handleStatementSubmit is POST /k/{ref}/pernyataan/kirim: a signed-in
// participant submits a statement when the consultation's rules allow it
// (polls.Store.SubmitStatement decides, with forum.Can). Under
// pre-moderation it waits for a moderator and its author sees it as
// pending on the consultation page; otherwise it is listed at once.
func (s *Server) handleStatementSubmit(w http.ResponseWriter, r *http.Request) {
	v, c, err := s.viewerAndConsultation(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	stage, err := forum.StageOf(r.Context(), s.db, c, s.now())
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	st, err := s.polls.SubmitStatement(r.Context(), v, c, stage, r.PostFormValue("text"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, "/k/"+url.PathEscape(c.Slug)+"?view=list#s"+strconv.FormatInt(st.ID, 10), http.StatusSeeOther)
}

// statementQueue is the statements part of consultation c's moderation
// queue for v (polls.StatementsToModerate): pending ones first, then the
// newest hidden ones and the newest public ones participants wrote, as
// queue items with kind "statement".
func (s *Server) statementQueue(r *http.Request, v forum.Viewer, c *forum.Consultation) ([]forum.QueueItem, error) {
	pending, hidden, submitted, err := polls.StatementsToModerate(r.Context(), s.db, v, c, 50)
	if err != nil {
		return nil, err
	}
	var out []forum.QueueItem
	for _, list := range [][]polls.Statement{pending, hidden, submitted} {
		for _, st := range list {
			out = append(out, forum.QueueItem{Target: forum.Target{Kind: polls.TargetStatement, ID: st.ID},
				Text: st.Text, State: st.State(), StateReason: st.StateReason})
		}
	}
	return out, nil
}

// statementForm is what the consultation page offers for writing a
// statement: Open when the rules and the phase take participants'
// statements, SignedIn whether the form posts it (otherwise it keeps the
// guest's text while they sign in, draft.go), Premoderated whether it
// waits for a moderator. Own lists the viewer's statements the public does
// not see, with their state.
type statementForm struct {
	Open, SignedIn, Premoderated bool
	Own                          []polls.Statement
}

// statementFormFor fills the statement form of consultation c for v.
func (s *Server) statementFormFor(r *http.Request, v forum.Viewer, c *forum.Consultation, stage forum.Stage) (statementForm, error) {
	rules, err := forum.RulesOf(r.Context(), s.db, c.ID)
	if err != nil {
		return statementForm{}, err
	}
	f := statementForm{Open: rules.ParticipantStatements && stage.Features[forum.FeatureStatements],
		SignedIn: v.User != nil, Premoderated: rules.Premoderation}
	if f.Own, err = polls.OwnStatements(r.Context(), s.db, c.ID, v.ParticipantID); err != nil {
		return statementForm{}, err
	}
	return f, nil
}
