package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/rancangan"
	"github.com/rembug/rembug/forum/tz"
	"github.com/rembug/rembug/polls/export"
	"github.com/rembug/rembug/polls/report"
)

// The participation matrix (matriks tanggapan): every input on a draft,
// the unit it concerns, the drafters' decision and reason, public to
// whoever reads the draft, as a page (printable on A4) and an XLSX file
// with the same rows. UU 13/2022 gives the public the right to an
// explanation of how its views were considered; this is that explanation.

// matrixPage is the data of rancangan_matrix.html.
type matrixPage struct {
	Tabs      draftTabs
	C         *forum.Consultation
	D         *rancangan.Draft
	Rows      []matrixRow
	Doc       *rancangan.Document // current version, for the unit filter
	Filter    rancangan.Filter
	Decisions []string
	Moderator bool
	Total     int
	Answered  int
	Query     string // the filter as a query string, for the export link
	// Page and Pages number the pages of matrixPageSize rows; All shows
	// every row on one page (?semua=1, for printing). Prev, Next and
	// AllURL are links ("" for none).
	Page, Pages        int
	All                bool
	Prev, Next, AllURL string
	// Words holds the page's repeated words, translated once per request
	// ("stance.<stance>", "decision.<decision>", "col<column>").
	Words map[string]string
}

// matrixPageSize is how many rows one matrix page shows.
const matrixPageSize = 100

// matrixRow is a row of the matrix with its number (1, 2, …), as printed,
// and its words already translated (Stance, Decision, Author, Supports),
// so the template does no look-ups per row.
type matrixRow struct {
	rancangan.Row
	No                                   int
	StanceWord, DecisionWord, AuthorName string
	SupportsWord                         string
}

// matrixWords translates the matrix's repeated words once.
func (s *Server) matrixWords(lang string) map[string]string {
	w := map[string]string{}
	for _, x := range rancangan.Stances {
		w["stance."+x] = s.msgs.T(lang, "rancangan.stance."+x)
	}
	for _, x := range append(slices.Clone(rancangan.Decisions), "belum") {
		w["decision."+x] = s.msgs.T(lang, "rancangan.decision."+x)
	}
	for _, x := range []string{"no", "unit", "input", "author", "decision", "reason"} {
		w["col"+x] = s.msgs.T(lang, "rancangan.col_"+x)
	}
	w["proposed"] = s.msgs.T(lang, "rancangan.proposed_text")
	w["guest"] = s.msgs.T(lang, "comments.author_guest", "ID", "")
	w["deleted"] = s.msgs.T(lang, "comments.author_deleted")
	return w
}

// matrixFilter reads the matrix filter from the query: unit=<anchor>,
// decision=<decision> or decision=belum (unanswered).
func matrixFilter(r *http.Request) rancangan.Filter {
	q := r.URL.Query()
	f := rancangan.Filter{Anchor: q.Get("unit"), Mine: q.Get("mine") == "1"}
	if d := q.Get("decision"); d == "belum" {
		f.Unanswered = true
	} else {
		f.Decision = d
	}
	return f
}

// handleDraftMatrix shows the participation matrix.
func (s *Server) handleDraftMatrix(w http.ResponseWriter, r *http.Request) {
	v, c, d, err := s.viewerAndDraft(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	p := matrixPage{C: c, D: d, Filter: matrixFilter(r), Decisions: rancangan.Decisions, All: q.Get("semua") == "1",
		Moderator: s.allowed(r, v, forum.ActModerate, d.Item(c)), Tabs: s.tabs(r, v, c, d, "matriks"), Words: s.matrixWords(info(r).lang)}
	if p.Total, p.Answered, err = rancangan.MatrixCount(ctx, s.db, v, c, d, p.Filter); err != nil {
		s.serveError(w, r, err)
		return
	}
	p.Pages = max(1, (p.Total+matrixPageSize-1)/matrixPageSize)
	p.Page = min(max(1, atoiOr(q.Get("hal"), 1)), p.Pages)
	f := p.Filter
	if !p.All {
		f.Limit, f.Offset = matrixPageSize, (p.Page-1)*matrixPageSize
	}
	rows, err := rancangan.Matrix(ctx, s.db, v, c, d, f)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	lang := info(r).lang
	p.Rows = make([]matrixRow, len(rows))
	for i, row := range rows {
		mr := matrixRow{Row: row, No: f.Offset + i + 1, StanceWord: p.Words["stance."+row.Stance],
			DecisionWord: p.Words["decision.belum"], AuthorName: row.Author.Name}
		if row.Decision != "" {
			mr.DecisionWord = p.Words["decision."+row.Decision]
		}
		switch {
		case mr.AuthorName != "":
		case row.Author.Deleted:
			mr.AuthorName = p.Words["deleted"]
		default:
			mr.AuthorName = p.Words["guest"] + row.Author.ShortID()
		}
		if row.Amendment != "" {
			mr.SupportsWord = s.msgs.T(lang, "rancangan.supports_n", "Count", row.Supports)
		}
		p.Rows[i] = mr
	}
	link := func(set func(url.Values)) string {
		v := url.Values{}
		for k, x := range q {
			v[k] = x
		}
		v.Del("hal")
		v.Del("semua")
		set(v)
		return "?" + v.Encode()
	}
	filterOnly := link(func(url.Values) {})
	p.Query = strings.TrimPrefix(filterOnly, "?")
	if !p.All {
		if p.Page > 1 {
			p.Prev = link(func(v url.Values) { v.Set("hal", strconv.Itoa(p.Page-1)) })
		}
		if p.Page < p.Pages {
			p.Next = link(func(v url.Values) { v.Set("hal", strconv.Itoa(p.Page+1)) })
		}
		p.AllURL = link(func(v url.Values) { v.Set("semua", "1") })
	}
	if p.Doc, err = s.drafts.Document(ctx, d, d.CurrentVersion); err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "rancangan_matrix", s.msgs.T(info(r).lang, "rancangan.matrix")+" — "+d.Title, p)
}

// handleDraftMatrixXLSX writes the matrix, with the page's filter, as an
// XLSX workbook: the same rows the page shows the viewer, strings stored
// as text (export.Safe), never formulas.
func (s *Server) handleDraftMatrixXLSX(w http.ResponseWriter, r *http.Request) {
	v, c, d, err := s.viewerAndDraft(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	rows, err := rancangan.Matrix(r.Context(), s.db, v, c, d, matrixFilter(r))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	lang := info(r).lang
	t := func(key string) string { return s.msgs.T(lang, key) }
	loc := tz.Default().Loc
	table := export.Table{Name: t("rancangan.matrix"), Rows: []export.Row{{
		t("rancangan.col_no"), t("rancangan.col_unit"), t("rancangan.col_stance"), t("rancangan.col_input"),
		t("rancangan.col_amendment"), t("rancangan.col_author"), t("rancangan.col_supports"), t("rancangan.col_date"),
		t("rancangan.col_decision"), t("rancangan.col_reason"), t("rancangan.col_version")}}}
	for i, row := range rows {
		decision, version := t("rancangan.decision.belum"), ""
		if row.Answered() {
			decision = t("rancangan.decision." + row.Decision)
		}
		if row.EffectiveVersion > 0 {
			version = "v" + strconv.Itoa(row.EffectiveVersion)
		}
		table.Rows = append(table.Rows, export.Row{i + 1, row.Label, t("rancangan.stance." + row.Stance), row.Body,
			row.Amendment, s.authorName(lang, row.Author), row.Supports, row.CreatedAt.In(loc).Format("2006-01-02 15:04"),
			decision, row.Reason, version})
	}
	var buf bytes.Buffer
	if err := export.WriteXLSX(&buf, table); err != nil {
		s.serveError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="matriks-tanggapan-`+strconv.FormatInt(d.ID, 10)+`.xlsx"`)
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}

// authorName is how an author is named in exports, as pages name them.
func (s *Server) authorName(lang string, a forum.Author) string {
	switch {
	case a.Name != "":
		return a.Name
	case a.Deleted:
		return s.msgs.T(lang, "comments.author_deleted")
	}
	return s.msgs.T(lang, "comments.author_guest", "ID", a.ShortID())
}

// reportPage is the data of rancangan_report.html.
type reportPage struct {
	Tabs    draftTabs
	C       *forum.Consultation
	D       *rancangan.Draft
	Units   []rancangan.UnitReport
	Totals  rancangan.UnitReport
	Changed int
	Prev    int // the version before the current one
	// ByGroup is the inputs by the opinion groups of the consultation's
	// statement voters (nil when the statements form no groups).
	ByGroup *draftGroupTable
}

// draftGroupTable is the report's "inputs by opinion group" table: one
// column per group (Letter, authors) and one for authors in no group, the
// draft's total row, then a row per unit with inputs.
type draftGroupTable struct {
	Columns []draftGroupColumn
	Total   []rancangan.StanceCount
	Units   []draftGroupRow
}

type draftGroupColumn struct {
	Letter  string // "" for the authors in no group
	Authors int
}

type draftGroupRow struct {
	Anchor, Label string
	Removed       bool
	Cells         []rancangan.StanceCount
}

// handleDraftReport shows the per-unit report: counts by stance, answers,
// the most supported amendments and what changed since the last version.
// Units without inputs or changes are left out.
func (s *Server) handleDraftReport(w http.ResponseWriter, r *http.Request) {
	v, c, d, err := s.viewerAndDraft(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	units, err := rancangan.Report(r.Context(), s.db, d)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	p := reportPage{C: c, D: d, Tabs: s.tabs(r, v, c, d, "laporan"), Prev: d.CurrentVersion - 1, Totals: rancangan.UnitReport{ByDecision: map[string]int{}}}
	for _, u := range units {
		p.Totals.Agree += u.Agree
		p.Totals.Disagree += u.Disagree
		p.Totals.Amend += u.Amend
		p.Totals.Answered += u.Answered
		if u.Change != rancangan.ChangeSame {
			p.Changed++
		}
		if u.Total() > 0 || u.Change != rancangan.ChangeSame {
			p.Units = append(p.Units, u)
		}
	}
	// The groups come from the consultation report, so they show only to
	// those who may read that report (published, or staff).
	if forum.Can(r.Context(), v, forum.ActRead, reportItem(c)) == nil {
		if p.ByGroup, err = s.draftGroupTable(r.Context(), c, d, p.Units); err != nil {
			s.serveError(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "rancangan_report", s.msgs.T(info(r).lang, "rancangan.report")+" — "+d.Title, p)
}

// draftGroupTable tallies draft d's inputs by the opinion groups of
// consultation c's statement voters, as the consultation report computes
// them (polls/opinion through the report cache), so a drafter sees
// whether a Pasal divides the groups that the statements revealed. Nil
// when the statements form fewer than two groups. units are the report's
// rows, in order.
func (s *Server) draftGroupTable(ctx context.Context, c *forum.Consultation, d *rancangan.Draft, units []rancangan.UnitReport) (*draftGroupTable, error) {
	a, err := s.reports.Get(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	groups := a.Opinion.Groups
	if a.Opinion.Reason != "" || len(groups) < 2 {
		return nil, nil
	}
	groupOf := make(map[int64]int, len(a.Opinion.Participants))
	for _, pt := range a.Opinion.Participants {
		if pt.Group >= 0 {
			groupOf[pt.ID] = pt.Group
		}
	}
	gs, err := rancangan.StancesByGroup(ctx, s.db, d, groupOf, len(groups))
	if err != nil {
		return nil, err
	}
	t := &draftGroupTable{Total: gs.Total}
	for _, g := range groups {
		t.Columns = append(t.Columns, draftGroupColumn{Letter: report.GroupLetter(g.ID), Authors: gs.Authors[g.ID]})
	}
	t.Columns = append(t.Columns, draftGroupColumn{Authors: gs.Authors[len(groups)]})
	for _, u := range units {
		if cells, ok := gs.ByUnit[u.Anchor]; ok {
			t.Units = append(t.Units, draftGroupRow{Anchor: u.Anchor, Label: u.Label, Removed: u.Change == rancangan.ChangeRemoved, Cells: cells})
		}
	}
	return t, nil
}

// handleDraftDocx downloads the current version of the draft as a .docx
// document: each commentable unit's label and text, followed by the
// inputs on it that the viewer may read (the matrix's rows: stance,
// comment, proposed wording, author) and the drafters' decision and
// reason. For printing, sharing with a DPRD, or editing the next version.
func (s *Server) handleDraftDocx(w http.ResponseWriter, r *http.Request) {
	v, c, d, err := s.viewerAndDraft(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	ctx := r.Context()
	doc, err := s.drafts.Document(ctx, d, d.CurrentVersion)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	rows, err := rancangan.Matrix(ctx, s.db, v, c, d, rancangan.Filter{})
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	byUnit := map[string][]rancangan.Row{}
	for _, row := range rows {
		byUnit[row.Anchor] = append(byUnit[row.Anchor], row)
	}
	lang := info(r).lang
	t := func(key string, args ...any) string { return s.msgs.T(lang, key, args...) }
	paras := []rancangan.Para{{Style: rancangan.StyleTitle, Text: d.Title},
		{Text: t("rancangan.version_n", "N", d.CurrentVersion)}}
	for _, u := range doc.Units {
		if !u.Commentable() {
			continue
		}
		paras = append(paras, rancangan.Para{Style: rancangan.StyleHeading, Text: u.Label()})
		body := strings.TrimSpace(u.Heading + "\n" + u.Text)
		if u.Kind == rancangan.KindClause {
			body = "(" + u.Number + ") " + body
		}
		paras = append(paras, rancangan.Para{Text: body})
		for _, row := range byUnit[u.Anchor] {
			in := t("rancangan.stance."+row.Stance) + " — " + s.authorName(lang, row.Author)
			if row.Body != "" {
				in += "\n" + row.Body
			}
			if row.Amendment != "" {
				in += "\n" + t("rancangan.proposed_text") + " " + row.Amendment
			}
			paras = append(paras, rancangan.Para{Style: rancangan.StyleQuote, Text: in})
			answer := t("rancangan.answer") + ": " + t("rancangan.decision.belum")
			if row.Answered() {
				answer = t("rancangan.answer") + ": " + t("rancangan.decision."+row.Decision) + "\n" + row.Reason
			}
			paras = append(paras, rancangan.Para{Style: rancangan.StyleQuote, Text: answer})
		}
	}
	var buf bytes.Buffer
	if err := rancangan.WriteDocx(&buf, paras); err != nil {
		s.serveError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	w.Header().Set("Content-Disposition", `attachment; filename="rancangan-`+strconv.FormatInt(d.ID, 10)+`-v`+strconv.Itoa(d.CurrentVersion)+`.docx"`)
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}
