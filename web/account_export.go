package web

import (
	"net/http"
	"strconv"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
)

// exportPolicy is stated inside every export (CASES C18): what it holds and
// what it leaves out, so the owner and an auditor read the same rule.
const exportPolicy = "This file holds only data about you: your account, sign-in providers (no tokens), " +
	"session times, consents, optional profile answers, your votes on statements that are still " +
	"visible in public consultations, and the statements you wrote, with their moderation state. It never " +
	"holds other people's content, nor names of private spaces (such as focus groups) or other people's " +
	"hidden statements."

// userExport is "Unduh data saya": the forum's record of the user plus
// their own votes.
type userExport struct {
	Policy string `json:"policy"`
	*forum.UserExport
	Votes []polls.ParticipantVote `json:"votes"`
	// Statements are the statements the user wrote (polls.AuthoredStatements).
	Statements []polls.AuthoredStatement `json:"statements"`
}

// handleAccountExport sends the signed-in user's own data as a JSON file.
func (s *Server) handleAccountExport(w http.ResponseWriter, r *http.Request) {
	v, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	x, err := forum.ExportUser(ctx, s.db, v.User.ID)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	out := userExport{Policy: exportPolicy, UserExport: x, Votes: []polls.ParticipantVote{}, Statements: []polls.AuthoredStatement{}}
	p, err := forum.FindParticipant(ctx, s.db, forum.ParticipantUser, strconv.FormatInt(v.User.ID, 10))
	if err == nil {
		out.Votes, err = polls.ParticipantVotes(ctx, s.db, p.ID)
		if err == nil {
			out.Statements, err = polls.AuthoredStatements(ctx, s.db, p.ID)
		}
	} else if errs.KindOf(err) == errs.NotFound {
		err = nil
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="rembug-data-saya.json"`)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}
