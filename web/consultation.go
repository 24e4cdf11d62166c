package web

import (
	"net/http"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
)

// publicConsultation loads the consultation named by the {ref} path value,
// treating drafts as missing.
func (s *Server) publicConsultation(r *http.Request) (*forum.Consultation, error) {
	c, err := forum.ConsultationByRef(r.Context(), s.db, r.PathValue("ref"))
	if err != nil {
		return nil, err
	}
	if !c.Public() {
		return nil, forum.ErrNotFound
	}
	return c, nil
}

type statementRow struct {
	polls.Statement
	Mine  int8
	Voted bool
}

type consultationPage struct {
	C         *forum.Consultation
	Counts    polls.Counts
	List      bool
	Next      *polls.Statement
	Remaining int
	Voted     int
	Rows      []statementRow
	// Stage is the consultation's current phase and what it allows;
	// SignedIn and Following drive the follow button (follow.go).
	Stage     forum.Stage
	SignedIn  bool
	Following bool
}

func (s *Server) handleConsultation(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := s.publicConsultation(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	me, err := s.participant(ctx, s.viewerOf(r), false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	var pid int64
	if me != nil {
		pid = me.ID
	}
	counts, err := polls.CountsFor(ctx, s.db, []int64{c.ID})
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	data := consultationPage{C: c, Counts: counts[c.ID], List: r.URL.Query().Get("view") == "list"}
	var mine map[int64]int8
	if pid != 0 {
		if mine, err = polls.VotesOf(ctx, s.db, c.ID, pid); err != nil {
			s.serveError(w, r, err)
			return
		}
	}
	data.Voted = len(mine)
	if data.List {
		ts, err := polls.Tallies(ctx, s.db, c.ID)
		if err != nil {
			s.serveError(w, r, err)
			return
		}
		for _, t := range ts {
			v, ok := mine[t.ID]
			data.Rows = append(data.Rows, statementRow{Statement: polls.Statement{ID: t.ID, Text: t.Text}, Mine: v, Voted: ok})
		}
	} else if data.Next, data.Remaining, err = polls.NextStatement(ctx, s.db, c.ID, pid); err != nil {
		s.serveError(w, r, err)
		return
	}
	if data.Stage, err = forum.StageOf(ctx, s.db, c, s.now()); err != nil {
		s.serveError(w, r, err)
		return
	}
	if u := s.viewerOf(r).User; u != nil {
		data.SignedIn = true
		if data.Following, err = forum.Following(ctx, s.db, forum.Viewer{User: u}, forum.FollowConsultation, c.ID); err != nil {
			s.serveError(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "consultation", c.Title, data)
}
