package web

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/rembug/rembug/polls"
)

// resultSorts are the results page's sort keys: each orders statements by
// a share (or the vote total), highest first, ties by statement order.
var resultSorts = map[string]func(t polls.StatementTally) float64{
	"agree":    func(t polls.StatementTally) float64 { return t.Share(t.Agree) },
	"disagree": func(t polls.StatementTally) float64 { return t.Share(t.Disagree) },
	"pass":     func(t polls.StatementTally) float64 { return t.Share(t.Pass) },
	"votes":    func(t polls.StatementTally) float64 { return float64(t.Total()) },
}

type resultsPage struct {
	Slug    string
	Title   string
	Sort    string
	Sorts   []string
	Tallies []polls.StatementTally
}

func (s *Server) handleResults(w http.ResponseWriter, r *http.Request) {
	c, err := s.publicConsultation(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	ts, err := polls.Tallies(r.Context(), s.db, c.ID)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	sortKey := r.URL.Query().Get("sort")
	if key, ok := resultSorts[sortKey]; ok {
		slices.SortStableFunc(ts, func(a, b polls.StatementTally) int { return cmp.Compare(key(b), key(a)) })
	} else {
		sortKey = ""
	}
	s.render(w, r, http.StatusOK, "results", c.Title, resultsPage{
		Slug: c.Slug, Title: c.Title, Sort: sortKey, Sorts: []string{"", "agree", "disagree", "pass", "votes"}, Tallies: ts,
	})
}
