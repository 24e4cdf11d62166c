package web

import (
	"cmp"
	"html/template"
	"net/http"
	"slices"

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
	// Lang and Source are the consultation's ContentLang and Source, for
	// the lang attribute of its imported title and statements (langOf).
	Lang, Source string
	Sort         string
	Sorts        []string
	Rows         []resultRow
	// Labels are the cell labels a phone shows before each number,
	// translated once for all rows.
	Labels struct{ Agree, Disagree, Pass, Votes string }
}

// resultRow is a statement's tally with its counts and shares formatted
// once in Go: a conversation can have hundreds of rows, and template calls
// per cell cost more than the page's queries.
type resultRow struct {
	polls.StatementTally
	Votes                            int
	AgreeN, DisagreeN, PassN, VotesN string
	AgreePct, DisagreePct, PassPct   string
	Bar                              template.HTML // stackBar of the shares
}

func newResultRow(t polls.StatementTally, f locale.Format) resultRow {
	pct := func(n int) string { return f.Pct(t.Share(n), 0) }
	n := func(x int) string { return f.Int(int64(x)) }
	row := resultRow{StatementTally: t, Votes: t.Total(),
		AgreeN: n(t.Agree), DisagreeN: n(t.Disagree), PassN: n(t.Pass), VotesN: n(t.Total()),
		AgreePct: pct(t.Agree), DisagreePct: pct(t.Disagree), PassPct: pct(t.Pass)}
	row.Bar = stackBar(100*t.Share(t.Agree), 100*t.Share(t.Disagree), 100*t.Share(t.Pass))
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
	lang := info(r).lang
	f := locale.In(lang)
	page := resultsPage{Slug: c.Slug, Title: c.Title, Lang: c.ContentLang, Source: c.Source, Sort: sortKey, Sorts: []string{"", "agree", "disagree", "pass", "votes"},
		Rows: make([]resultRow, len(ts))}
	for i, t := range ts {
		page.Rows[i] = newResultRow(t, f)
	}
	page.Labels.Agree, page.Labels.Disagree = s.msgs.T(lang, "vote.agree"), s.msgs.T(lang, "vote.disagree")
	page.Labels.Pass, page.Labels.Votes = s.msgs.T(lang, "vote.pass"), s.msgs.T(lang, "results.votes")
	s.render(w, r, http.StatusOK, "results", c.Title, page)
}
