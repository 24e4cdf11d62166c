package web

import (
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/tz"
	"github.com/rembug/rembug/polls/evaluation"
	"github.com/rembug/rembug/polls/indicators"
)

// evalData is what a cycle's report shows, read once for the page and the
// exports: the cycle, its figures (the snapshot once closed, the live
// figures while open), the previous closed cycle with its figures and
// recommendations, the cycle's findings and recommendations, and its
// instruments as the request's viewer may see them, in its language. For
// the public every report went through indicators.Report.Redacted.
type evalData struct {
	c, prev       *evaluation.Cycle
	rep, prevRep  *indicators.Report
	rows          []evaluation.Row
	findings      []evaluation.Finding
	recs, prevRec []evaluation.Recommendation
	instruments   []evalInstrumentView
	viewer        forum.Viewer
}

func (s *Server) loadEval(r *http.Request, c *evaluation.Cycle, public bool) (*evalData, error) {
	ctx := r.Context()
	d := &evalData{c: c}
	var err error
	if d.viewer, err = s.readerViewer(r); err != nil {
		return nil, err
	}
	if d.instruments, err = s.evalInstruments(ctx, d.viewer, c, public, info(r).lang); err != nil {
		return nil, err
	}
	if d.rep, err = c.Report(); err != nil {
		return nil, err
	}
	if d.rep == nil {
		if d.rep, err = s.indicators.Fresh(ctx, indicators.Query{From: c.From, To: c.To}); err != nil {
			return nil, err
		}
	}
	if d.prev, err = evaluation.Previous(ctx, s.db, c); err != nil {
		return nil, err
	}
	if d.prev != nil {
		if d.prevRep, err = d.prev.Report(); err != nil {
			return nil, err
		}
		if d.prevRec, err = evaluation.Recommendations(ctx, s.db, d.prev.ID); err != nil {
			return nil, err
		}
	}
	if public {
		d.rep = d.rep.Redacted(indicators.Sections)
		if d.prevRep != nil {
			d.prevRep = d.prevRep.Redacted(indicators.Sections)
		}
	}
	d.rows = evaluation.Analyse(d.rep, d.prevRep, c.Targets())
	if d.findings, err = evaluation.Findings(ctx, s.db, c.ID); err != nil {
		return nil, err
	}
	if d.recs, err = evaluation.Recommendations(ctx, s.db, c.ID); err != nil {
		return nil, err
	}
	return d, nil
}

// evalReportPage is the data of evaluation.html.
type evalReportPage struct {
	Public, Admin, Saved, Frozen bool
	Cycle                        *evaluation.Cycle
	Base                         string // "/admin/evaluasi/ID" or "/evaluasi/ID"
	Period, AsOf, Zone, Today    string
	Error                        string
	Rows                         []evalRowView
	Previous                     *evaluation.Cycle
	PrevRecs, Recs               []evalRecView
	Findings                     []evaluation.Finding
	Appendix                     []dashSection
	Sections, Statuses           []string
	Agencies                     []complaint.Agency
	CSV, XLSX                    string
	// Instruments are the cycle's surveys and interviews; Choices what
	// the admin's forms offer to link (nil for other readers).
	Instruments []evalInstrumentView
	Choices     *evalInstrumentChoices
}

// evalRowView is one analysed metric as shown.
type evalRowView struct {
	Key, Value, Target, Previous, Change string
	Met                                  string // "", "yes", "no"
	Worse                                bool
	// Chart draws the value (and the previous cycle's) against the
	// target (targetChart); the analysis table has the same numbers.
	Chart template.HTML
}

// evalRecView is one recommendation as shown, its updates' times in the
// installation's zone.
type evalRecView struct {
	evaluation.Recommendation
	Overdue bool
	When    []string // of each update
}

// OwnerID is the owning agency's id, 0 for an old free-text owner.
func (v evalRecView) OwnerID() int64 {
	if v.OwnerAgencyID == nil {
		return 0
	}
	return *v.OwnerAgencyID
}

// handleEvalReport shows a cycle: /admin/evaluasi/{id} to staff (with the
// forms for admins), /evaluasi/{id} to everyone once published.
func (s *Server) handleEvalReport(w http.ResponseWriter, r *http.Request) {
	staff := strings.HasPrefix(r.URL.Path, "/admin/")
	c, err := s.evalReadable(r, staff)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.serveEvalReport(w, r, c, staff, http.StatusOK, "")
}

// evalReadable reads the path's cycle and checks the viewer may see it on
// this path: staff any cycle on the admin path, everyone a published one
// on the public path.
func (s *Server) evalReadable(r *http.Request, staff bool) (*evaluation.Cycle, error) {
	if staff {
		if _, err := s.evalStaff(r); err != nil {
			return nil, err
		}
	}
	c, err := s.evalCycle(r)
	if err != nil {
		return nil, err
	}
	if !staff && !c.Published() {
		return nil, errs.ErrNotFound
	}
	v, err := s.readerViewer(r)
	if err != nil {
		return nil, err
	}
	if err := forum.Can(r.Context(), v, forum.ActRead, forum.Item{Kind: forum.ItemEvaluation, Published: c.Published()}); err != nil {
		return nil, err
	}
	return c, nil
}

func (s *Server) serveEvalReport(w http.ResponseWriter, r *http.Request, c *evaluation.Cycle, staff bool, code int, msg string) {
	d, err := s.loadEval(r, c, !staff)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	lang := info(r).lang
	z := tz.Default()
	id := strconv.FormatInt(c.ID, 10)
	pg := &evalReportPage{Public: !staff, Cycle: c, Base: "/evaluasi/" + id, Error: msg, Zone: z.Name,
		Saved: r.URL.Query().Get("saved") == "1", Frozen: c.Snapshot != nil, Previous: d.prev, Findings: d.findings,
		Period: evalPeriod(c),
		AsOf:   d.rep.ComputedAt.In(z.Loc).Format("2006-01-02 15:04"), Today: s.now().In(z.Loc).Format(time.DateOnly)}
	pg.Instruments = d.instruments
	v := d.viewer
	if staff {
		pg.Base = "/admin/evaluasi/" + id
		pg.Admin = evalAdmin(r, v)
		if pg.Admin && !pg.Frozen {
			if pg.Choices, err = s.evalChoices(r.Context(), v, c); err != nil {
				s.serveError(w, r, err)
				return
			}
		}
		pg.Sections, pg.Statuses = evalSections(), evaluation.RecStatuses
		if pg.Agencies, err = s.complaints.Agencies(r.Context()); err != nil {
			s.serveError(w, r, err)
			return
		}
	}
	pg.CSV, pg.XLSX = pg.Base+"/ekspor.csv", pg.Base+"/ekspor.xlsx"
	for _, row := range d.rows {
		pg.Rows = append(pg.Rows, s.evalRow(row, lang))
	}
	pg.Recs, pg.PrevRecs = s.evalRecs(d.recs, pg.Today), s.evalRecs(d.prevRec, pg.Today)
	for _, t := range dashTables(d.rep, indicators.Sections, z.Loc) {
		if n := len(pg.Appendix); n == 0 || pg.Appendix[n-1].Key != t.Section {
			pg.Appendix = append(pg.Appendix, dashSection{Key: t.Section})
		}
		sec := &pg.Appendix[len(pg.Appendix)-1]
		sec.Tables = append(sec.Tables, s.dashView(t, lang, d.rep.SectionAsOf(t.Section)))
	}
	s.render(w, r, code, "evaluation", c.Name, pg)
}

// evalValue is f in lang with its unit, "—" for none.
func (s *Server) evalValue(f *float64, unit, lang string) string {
	if f == nil {
		return "—"
	}
	return strings.TrimSpace(s.msgs.T(lang, "eval.unit."+unit, "Value", dashNumber(*f, lang)))
}

func (s *Server) evalRow(row evaluation.Row, lang string) evalRowView {
	v := evalRowView{Key: row.Metric.Key, Worse: row.Worse,
		Value: s.evalValue(row.Value, row.Metric.Unit, lang), Target: s.evalValue(row.Target, row.Metric.Unit, lang),
		Previous: s.evalValue(row.Previous, row.Metric.Unit, lang), Change: "—"}
	if row.Change != nil {
		sign := ""
		if *row.Change > 0 {
			sign = "+"
		}
		v.Change = sign + dashNumber(*row.Change, lang)
	}
	if row.Met != nil {
		v.Met = map[bool]string{true: "yes", false: "no"}[*row.Met]
	}
	nan := func(f *float64) float64 {
		if f == nil {
			return math.NaN()
		}
		return *f
	}
	labels, values := []string{s.msgs.T(lang, "eval.col.value")}, []float64{nan(row.Value)}
	if row.Previous != nil {
		labels, values = append(labels, s.msgs.T(lang, "eval.col.previous")), append(values, *row.Previous)
	}
	show := func(f float64) string { return s.evalValue(&f, row.Metric.Unit, lang) }
	v.Chart = targetChart(s.msgs.T(lang, "eval.metric."+row.Metric.Key), labels, values, nan(row.Target),
		s.msgs.T(lang, "eval.col.target")+": "+v.Target, show, s.msgs.T(lang, "chart.no_data"))
	return v
}

func (s *Server) evalRecs(recs []evaluation.Recommendation, today string) []evalRecView {
	loc := tz.Default().Loc
	out := make([]evalRecView, 0, len(recs))
	for _, r := range recs {
		v := evalRecView{Recommendation: r, Overdue: r.Overdue(today)}
		for _, u := range r.Updates {
			v.When = append(v.When, u.CreatedAt.In(loc).Format("2006-01-02 15:04"))
		}
		out = append(out, v)
	}
	return out
}

// handleEvalExport writes a cycle's report as CSV (one long table) or
// XLSX (a sheet per table): the analysis, the follow-up of the previous
// cycle, findings, recommendations, the instruments and every indicator
// table.
func (s *Server) handleEvalExport(w http.ResponseWriter, r *http.Request) {
	staff := strings.HasPrefix(r.URL.Path, "/admin/")
	c, err := s.evalReadable(r, staff)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	d, err := s.loadEval(r, c, !staff)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	lang := info(r).lang
	loc := tz.Default().Loc
	tables := s.exportTables(append(evalTables(d), dashTables(d.rep, indicators.Sections, loc)...), lang)
	name := "evaluasi-" + strconv.FormatInt(c.ID, 10)
	s.serveTables(w, r, name, tables, lang)
}

// evalTables lays out the evaluation's own tables for the exports: the
// analysis (numbers as numbers, in each metric's unit), the previous
// cycle's recommendations, the findings, the recommendations and the
// instruments.
func evalTables(d *evalData) []dashTable {
	an := dashTable{Key: "eval_analysis", Head: []string{"eval.col.metric", "eval.col.unit", "eval.col.value", "eval.col.target",
		"eval.col.met", "eval.col.previous", "eval.col.change", "eval.col.worse"}}
	yes := func(b bool) any { return map[bool]dashKey{true: "dash.yes", false: "dash.no"}[b] }
	for _, row := range d.rows {
		var met any
		if row.Met != nil {
			met = yes(*row.Met)
		}
		an.Rows = append(an.Rows, []any{dashKey("eval.metric." + row.Metric.Key), dashKey("eval.unit_name." + row.Metric.Unit),
			fptr(row.Value), fptr(row.Target), met, fptr(row.Previous), fptr(row.Change), yes(row.Worse)})
	}
	recTable := func(key string, recs []evaluation.Recommendation) dashTable {
		t := dashTable{Key: key, Head: []string{"eval.col.recommendation", "eval.col.owner", "eval.col.due", "eval.col.status", "eval.col.progress"}}
		for _, r := range recs {
			var notes []string
			for _, u := range r.Updates {
				if u.Note != "" {
					notes = append(notes, u.Note)
				}
			}
			t.Rows = append(t.Rows, []any{r.Body, r.Owner, r.Due, dashKey("eval.status." + r.Status), strings.Join(notes, "\n")})
		}
		return t
	}
	fi := dashTable{Key: "eval_findings", Head: []string{"eval.col.finding", "eval.col.section"}}
	for _, f := range d.findings {
		fi.Rows = append(fi.Rows, []any{f.Body, dashKey(evalSectionKey(f.Section))})
	}
	return []dashTable{an, recTable("eval_followup", d.prevRec), fi, recTable("eval_recommendations", d.recs), evalInstrumentTable(d.instruments)}
}

// evalSectionKey is the translation key naming a finding's section.
func evalSectionKey(section string) string {
	if section == "" {
		return "eval.section.all"
	}
	return "dash.section." + section
}

// SectionKey is the translation key naming a finding's section.
func (p *evalReportPage) SectionKey(section string) string { return evalSectionKey(section) }

// evalRecBlock is the data of the "eval-recs" template: a table of
// recommendations, with the progress form when Admin.
type evalRecBlock struct {
	L, CSRF, Base string
	Recs          []evalRecView
	Admin         bool
	Statuses      []string
	Agencies      []complaint.Agency
}

// RecBlock is the cycle's recommendations (current) or the previous
// cycle's (read-only) for the "eval-recs" template.
func (p *evalReportPage) RecBlock(lang, csrf string, current bool) evalRecBlock {
	if !current {
		return evalRecBlock{L: lang, Recs: p.PrevRecs}
	}
	return evalRecBlock{L: lang, CSRF: csrf, Base: p.Base, Recs: p.Recs, Admin: p.Admin, Statuses: p.Statuses, Agencies: p.Agencies}
}
