package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"github.com/rembug/rembug/forum/locale"

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
	Slug  string
	Title string
	Sort  string
	Sorts []string
	Rows  []resultRow
}

// resultRow is a statement's tally with its shares formatted once in Go:
// a conversation can have hundreds of rows, and template calls per cell
// cost more than the page's queries.
type resultRow struct {
	polls.StatementTally
	Votes                          int
	AgreePct, DisagreePct, PassPct string
	// Bar is the stacked bar's segments in the 0–100 units of its
	// viewBox: agree from 0, disagree after it, pass last.
	Bar struct{ Agree, DisagreeX, Disagree, PassX, Pass string }
}

func newResultRow(t polls.StatementTally, lang string) resultRow {
	pct := func(n int) string { return locale.In(lang).Pct(t.Share(n), 0) }
	row := resultRow{StatementTally: t, Votes: t.Total(),
		AgreePct: pct(t.Agree), DisagreePct: pct(t.Disagree), PassPct: pct(t.Pass)}
	w := func(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }
	a, d := 100*t.Share(t.Agree), 100*t.Share(t.Disagree)
	row.Bar.Agree, row.Bar.DisagreeX, row.Bar.Disagree = w(a), w(a), w(d)
	row.Bar.PassX, row.Bar.Pass = w(a+d), w(100*t.Share(t.Pass))
	return row
}

func (s *Server) handleResults(w http.ResponseWriter, r *http.Request) {
	c, err := s.readableConsultation(r)
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
	rows := make([]resultRow, len(ts))
	for i, t := range ts {
		rows[i] = newResultRow(t, info(r).lang)
	}
	s.render(w, r, http.StatusOK, "results", c.Title, resultsPage{
		Slug: c.Slug, Title: c.Title, Sort: sortKey, Sorts: []string{"", "agree", "disagree", "pass", "votes"}, Rows: rows,
	})
}
