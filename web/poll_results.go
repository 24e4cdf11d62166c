package web

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"path"

	"github.com/rembug/rembug/forum/locale"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/export"
	"github.com/rembug/rembug/polls/tally"
)

// optionRow is one line of a result's data table, in the result's order.
type optionRow struct {
	Label   string  `json:"label"`
	Votes   int     `json:"votes"`
	Percent float64 `json:"percent"`
	Place   int     `json:"place,omitempty"`
	Text    string  `json:"-"` // the percent as shown, e.g. "33,3%"
}

// resultView is one question's result as every view shows it. All views
// (page, API, CSV, XLSX) derive it from polls.Results.
type resultView struct {
	Code     string                `json:"code"`
	Kind     string                `json:"kind"`
	Text     string                `json:"text"`
	Answered int                   `json:"answered"`
	NoVotes  bool                  `json:"no_votes"`
	Outcome  string                `json:"outcome,omitempty"`
	Label    string                `json:"outcome_label,omitempty"`
	Winners  []string              `json:"winners"`
	Rows     []optionRow           `json:"options"`
	Detail   *polls.QuestionResult `json:"detail"`
	Chart    template.HTML         `json:"-"`
	Groups   []string              `json:"-"` // breakdown columns
	ByGroup  [][]string            `json:"-"` // ByGroup[row][group]: a count, or export.Hidden
	Rounds   []roundView           `json:"-"`
	Subtitle string                `json:"-"`
}

// roundView is one row of the instant-runoff table.
type roundView struct {
	Number     int
	Votes      []string // per option in option order; "" once eliminated
	Exhausted  int
	Eliminated string
	Reason     string
}

func (s *Server) resultViews(lang string, qs []polls.Question, res []polls.QuestionResult) []resultView {
	out := make([]resultView, len(res))
	for i := range res {
		r := &res[i]
		v := resultView{Code: r.Question.Code, Kind: string(r.Question.Kind), Text: r.Question.Text, Answered: r.Answered,
			NoVotes: r.NoVotes(), Detail: r, Winners: []string{}, Rows: []optionRow{}}
		label := func(o int) string { return answerLabel(s, lang, &r.Question, o) }
		if r.Question.Kind == polls.KindRating || r.Question.Kind == polls.KindNPS {
			label = func(o int) string { return export.OptionLabel(r, o, lang) }
		}
		if r.ShowsOutcome() {
			v.Outcome, v.Label = string(r.Summary.Outcome), s.msgs.T(lang, r.Summary.Outcome.Key())
			for _, w := range r.Summary.Winners {
				v.Winners = append(v.Winners, label(w))
			}
		}
		votes := r.Votes()
		pct := tally.Percents(votes, 1)
		if r.Count != nil && r.Question.Kind == polls.KindMultiple {
			pct = r.Count.Percents(1)
		}
		order := make([]int, len(votes))
		for o := range order {
			order[o] = o
		}
		if r.Summary != nil {
			order = r.Summary.Order
		}
		labels := make([]string, len(order))
		values := make([]int, len(order))
		for k, o := range order {
			row := optionRow{Label: label(o), Votes: votes[o], Percent: pct[o], Text: tally.FormatPercent(pct[o], 1, lang)}
			if r.Summary != nil {
				row.Place = r.Summary.Places[o]
			}
			v.Rows = append(v.Rows, row)
			labels[k], values[k] = row.Label, row.Votes
		}
		switch {
		case r.NoVotes():
		case len(votes) > 0:
			v.Chart = barChart(r.Question.Text, labels, values, lang, s.msgs.T(lang, "chart.no_data"))
		case r.Likert != nil:
			dists := make([][]int, len(r.Likert.Items))
			for it := range r.Likert.Items {
				dists[it] = r.Likert.Items[it].Distribution
			}
			v.Chart = stackedChart(r.Question.Text, r.Labels, dists, s.msgs.T(lang, "chart.no_data"))
		case len(r.Words) > 0:
			v.Chart = wordCloud(r.Question.Text, r.Words, s.msgs.T(lang, "chart.no_data"))
		}
		v.Subtitle = s.subtitle(lang, r)
		if r.IRV != nil {
			v.Rounds = s.rounds(lang, r)
		}
		out[i] = v
	}
	return out
}

func (s *Server) subtitle(lang string, r *polls.QuestionResult) string {
	switch {
	case r.NoVotes():
		return ""
	case r.Rating != nil:
		return s.msgs.T(lang, "poll.results.mean", "Mean", locale.In(lang).Dec(r.Rating.Mean, 2))
	case r.NPS != nil:
		return s.msgs.T(lang, "poll.results.nps", "Score", r.NPS.RoundedScore())
	case r.Borda != nil:
		return s.msgs.T(lang, "poll.results.borda")
	case r.Schulze != nil:
		return s.msgs.T(lang, "poll.results.schulze")
	case r.IRV != nil:
		return s.msgs.T(lang, "poll.results.irv")
	}
	return ""
}

func (s *Server) rounds(lang string, r *polls.QuestionResult) []roundView {
	var out []roundView
	for _, rd := range r.IRV.Rounds {
		rv := roundView{Number: rd.Number, Votes: make([]string, r.IRV.Options), Exhausted: rd.Exhausted,
			Reason: s.msgs.T(lang, rd.Reason.Key())}
		for _, t := range rd.Tallies {
			rv.Votes[t.Option] = locale.In(lang).Int(int64(t.Votes))
		}
		for k, e := range rd.Eliminated {
			if k > 0 {
				rv.Eliminated += ", "
			}
			rv.Eliminated += r.Labels[e]
		}
		out = append(out, rv)
	}
	return out
}

// pollResultsPage is the data of poll_results.html.
type pollResultsPage struct {
	Survey    *polls.Survey
	Closes    string
	By        string
	ByChoices []choiceView // the breakdown select: questions, and the region unless anonymous
	Query     string       // "?by=…" for the export links, or ""
	Live      string       // the realtime channel of live updates; "" with a breakdown
	List      resultList
}

// resultList is the data of the "poll_result_list" template: the part of
// the results page that live updates replace (poll_live.go).
type resultList struct {
	Lang        string
	Respondents int
	Results     []resultView
	ByText      string
}

// resultList builds the results part of the page in lang from d.
func (s *Server) resultList(lang string, d *pollResults) resultList {
	l := resultList{Lang: lang, Respondents: len(d.All), Results: s.resultViews(lang, d.Qs, d.Res)}
	if d.Groups != nil {
		l.ByText = s.byText(lang, d)
		s.addBreakdown(lang, d, l.Results)
	}
	return l
}

func (s *Server) handlePollResults(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadResults(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	lang := info(r).lang
	sv := d.Survey
	pg := pollResultsPage{Survey: sv, Closes: locale.For(lang, s.viewerZone(w, r)).Time(sv.ClosesAt), By: d.By,
		List: s.resultList(lang, d)}
	pg.ByChoices = append(pg.ByChoices, choiceView{Value: "", Label: "—"})
	if !sv.Anonymous {
		pg.ByChoices = append(pg.ByChoices, choiceView{Value: byRegion, Label: s.msgs.T(lang, "pollx.by_region"), Checked: d.By == byRegion})
	}
	for _, q := range d.Qs {
		if q.Kind == polls.KindSingle || q.Kind == polls.KindYesNo {
			pg.ByChoices = append(pg.ByChoices, choiceView{Value: q.Code, Label: q.Text, Checked: q.Code == d.By})
		}
	}
	if d.By != "" {
		pg.Query = "?by=" + url.QueryEscape(d.By)
	} else {
		pg.Live = pollChannel(sv.ID)
	}
	s.render(w, r, http.StatusOK, "poll_results", sv.Title, pg)
}

// apiPollResults is GET /api/v1/polls/{id}/results[?by=region|<code>].
type apiPollResults struct {
	Poll        *polls.Survey `json:"poll"`
	Status      string        `json:"status"`
	Respondents int           `json:"respondents"`
	Questions   []resultView  `json:"questions"`
	Breakdown   *apiBreakdown `json:"breakdown,omitempty"`
}

func (s *Server) handleAPIPollResults(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadResults(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	sv, lang := d.Survey, info(r).lang
	status := "open"
	if now := s.now(); now.Before(sv.OpensAt) {
		status = "not_open"
	} else if !sv.Open(now) {
		status = "closed"
	}
	writeJSON(w, http.StatusOK, apiPollResults{Poll: sv, Status: status, Respondents: len(d.All),
		Questions: s.resultViews(lang, d.Qs, d.Res), Breakdown: s.apiBreakdown(lang, d)})
}

func (s *Server) handlePollExport(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadResults(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	lang := info(r).lang
	var buf bytes.Buffer
	name := "poll-" + r.PathValue("id") + "-results"
	tables := []export.Table{export.ResultRows(d.Res, lang)}
	if d.Groups != nil {
		// With ?by=, the CSV holds the breakdown; the workbook both sheets.
		tables = append(tables, export.BreakdownRows(s.byText(lang, d), d.Res, s.groups(lang, d), s.minCell, lang))
		name += "-by-" + safeName(d.By)
	}
	switch path.Base(r.URL.Path) {
	case "results.csv":
		err = export.WriteCSV(&buf, tables[len(tables)-1])
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		name += ".csv"
	case "results.xlsx":
		err = export.WriteXLSX(&buf, tables...)
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		name += ".xlsx"
	default:
		s.serveError(w, r, errs.ErrNotFound)
		return
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}
