package web

import (
	"bytes"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/locale"
	"github.com/rembug/rembug/forum/tz"
	"github.com/rembug/rembug/polls/export"
	"github.com/rembug/rembug/polls/indicators"
	"github.com/rembug/rembug/polls/report"
)

// dashPage is the data of dashboard.html, for /admin/dasbor (staff: every
// indicator, with filters) and /dasbor (everyone: the published sections,
// pooled as the public API is).
type dashPage struct {
	Public                    bool
	Base                      string // "/admin/dasbor" or "/dasbor"
	From, To                  string // inclusive days, YYYY-MM-DD
	Agency, Kecamatan         string
	Agencies, Kecamatans      []string
	Refresh, CSV, XLSX        string // links with the page's filters
	Sections                  []dashSection
	ComputedAt, Zone, Channel string
	MaxAge                    int // seconds a figure may be older than ComputedAt says
	Nothing                   bool
	Settings                  bool // the viewer may change the settings (admins)
}

// dashSection is one indicator's tables.
type dashSection struct {
	Key    string
	Tables []dashView
}

// dashView is one table as shown: header, formatted cells and its chart.
type dashView struct {
	Key   string
	Head  []string
	Rows  [][]string
	Chart template.HTML
	AsOf  string // how fresh its figures are, in the installation's zone (WIB)
}

// dashQuery parses the dashboard's filters: the indicator API's range
// (indicatorQuery) and, for staff, agency and kecamatan.
func (s *Server) dashQuery(r *http.Request, staff bool) (indicators.Query, error) {
	q, err := s.indicatorQuery(r)
	if err != nil {
		return q, err
	}
	if staff {
		q.Agency = strings.TrimSpace(r.URL.Query().Get("agency"))
		q.Kecamatan = strings.TrimSpace(r.URL.Query().Get("kecamatan"))
	}
	q.By = []indicators.Granularity{indicators.Week, indicators.Month}
	return q, nil
}

// dashReport computes (or reads from the cache) the figures of r for the
// viewer: every section for staff, the published ones otherwise, with the
// sections shown. They are fresh (Cache.Fresh): a page reloads after its
// socket said the data changed, and must show the change.
func (s *Server) dashReport(r *http.Request, staff bool) (*indicators.Report, indicators.Query, []string, error) {
	q, err := s.dashQuery(r, staff)
	if err != nil {
		return nil, q, nil, err
	}
	rep, err := s.indicators.Fresh(r.Context(), q)
	if err != nil {
		return nil, q, nil, err
	}
	if staff {
		return rep, q, indicators.Sections, nil
	}
	st, err := indicators.LoadSettings(r.Context(), s.db)
	if err != nil {
		return nil, q, nil, err
	}
	show := append([]string{}, st.Public...) // never nil: nil shows every section
	return rep.Redacted(show), q, show, nil
}

// handleAdminDashboard shows /admin/dasbor to staff.
func (s *Server) handleAdminDashboard(w http.ResponseWriter, r *http.Request) {
	v, err := s.readerViewer(r)
	if err == nil && !dashStaff(r.Context(), v) {
		err = errs.E(errs.Forbidden, "error.action_forbidden", nil)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.serveDashboard(w, r, true)
}

// handlePublicDashboard shows /dasbor: the sections an admin published.
func (s *Server) handlePublicDashboard(w http.ResponseWriter, r *http.Request) {
	s.serveDashboard(w, r, false)
}

func (s *Server) serveDashboard(w http.ResponseWriter, r *http.Request, staff bool) {
	rep, q, show, err := s.dashReport(r, staff)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	lang := info(r).lang
	loc := tz.Default().Loc
	pg := &dashPage{Public: !staff, Base: "/dasbor", Agency: q.Agency, Kecamatan: q.Kecamatan, Zone: rep.Zone,
		From: q.From.In(loc).Format(time.DateOnly), To: q.To.In(loc).AddDate(0, 0, -1).Format(time.DateOnly),
		ComputedAt: rep.ComputedAt.In(loc).Format("2006-01-02 15:04:05"), MaxAge: int(indicatorsMaxAge / time.Second),
		Channel: dashChannelOpen, Nothing: len(show) == 0}
	if staff {
		pg.Base, pg.Channel = "/admin/dasbor", dashChannelStaff
		if v, err := s.readerViewer(r); err == nil {
			pg.Settings = v.Admin()
		}
		if pg.Agencies, pg.Kecamatans, err = s.dashFilters(r); err != nil {
			s.serveError(w, r, err)
			return
		}
	}
	vals := url.Values{"from": {pg.From}, "to": {pg.To}}
	if q.Agency != "" {
		vals.Set("agency", q.Agency)
	}
	if q.Kecamatan != "" {
		vals.Set("kecamatan", q.Kecamatan)
	}
	qs := "?" + vals.Encode()
	pg.Refresh, pg.CSV, pg.XLSX = pg.Base+qs, pg.Base+"/ekspor.csv"+qs, pg.Base+"/ekspor.xlsx"+qs
	for _, t := range dashTables(rep, show, loc) {
		if n := len(pg.Sections); n == 0 || pg.Sections[n-1].Key != t.Section {
			pg.Sections = append(pg.Sections, dashSection{Key: t.Section})
		}
		sec := &pg.Sections[len(pg.Sections)-1]
		sec.Tables = append(sec.Tables, s.dashView(t, lang, rep.SectionAsOf(t.Section)))
	}
	s.render(w, r, http.StatusOK, "dashboard", s.msgs.T(lang, "dash.title"), pg)
}

// dashFilters lists the agencies and the kecamatans people consented to
// share, for the filter form.
func (s *Server) dashFilters(r *http.Request) (agencies, kecamatans []string, err error) {
	as, err := s.complaints.Agencies(r.Context())
	if err != nil {
		return nil, nil, err
	}
	for _, a := range as {
		agencies = append(agencies, a.Name)
	}
	regions, err := report.ParticipantRegions(r.Context(), s.db)
	if err != nil {
		return nil, nil, err
	}
	for _, k := range regions {
		if k != "" && !slices.Contains(kecamatans, k) {
			kecamatans = append(kecamatans, k)
		}
	}
	slices.Sort(kecamatans)
	return agencies, kecamatans, nil
}

// dashView formats t for the page in lang, with its chart and the time
// its figures are as of (in the installation's zone, WIB by default).
func (s *Server) dashView(t dashTable, lang string, asOf time.Time) dashView {
	v := dashView{Key: t.Key, AsOf: locale.For(lang, tz.Default()).Time(asOf)}
	for _, h := range t.Head {
		v.Head = append(v.Head, s.msgs.T(lang, h))
	}
	var labels, notes []string
	var values []float64
	for _, row := range t.Rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = s.dashCell(c, lang)
		}
		v.Rows = append(v.Rows, cells)
		if t.ChartCol > 0 {
			f, ok := asFloat(row[t.ChartCol])
			note := ""
			if !ok { // no figure, or one withheld: a row that says so, never a bar of 0 nor a gap closed up
				f = math.NaN()
				if row[t.ChartCol] != nil {
					note = cells[t.ChartCol]
				}
			}
			labels, values, notes = append(labels, cells[0]), append(values, f), append(notes, note)
		}
	}
	if t.ChartCol > 0 {
		top := t.ChartMax
		for _, f := range values {
			if !math.IsNaN(f) {
				top = max(top, f)
			}
		}
		v.Chart = scoreChart(s.msgs.T(lang, "dash.table."+t.Key), labels, values, notes, top,
			func(f float64) string { return dashNumber(f, lang) }, s.msgs.T(lang, "chart.no_data"))
	}
	return v
}

// dashCell is one cell as text in lang: "—" for no figure.
func (s *Server) dashCell(c any, lang string) string {
	switch x := c.(type) {
	case nil:
		return "—"
	case dashKey:
		return s.msgs.T(lang, string(x))
	case string:
		return x
	}
	if f, ok := asFloat(c); ok {
		return dashNumber(f, lang)
	}
	return ""
}

func asFloat(c any) (float64, bool) {
	switch x := c.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// handleDashboardExport writes the dashboard's tables as CSV (one long
// table: indicator, table, row, column, value) or XLSX (one sheet per
// table): /admin/dasbor/ekspor.{csv,xlsx} for staff, /dasbor/ekspor.{csv,
// xlsx} for the published sections. Both take the page's filters.
func (s *Server) handleDashboardExport(w http.ResponseWriter, r *http.Request) {
	staff := strings.HasPrefix(r.URL.Path, "/admin/")
	if staff {
		v, err := s.readerViewer(r)
		if err == nil && !dashStaff(r.Context(), v) {
			err = errs.E(errs.Forbidden, "error.action_forbidden", nil)
		}
		if err != nil {
			s.serveError(w, r, err)
			return
		}
	}
	rep, _, show, err := s.dashReport(r, staff)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	lang := info(r).lang
	tables := s.exportTables(dashTables(rep, show, tz.Default().Loc), lang)
	name := "indikator-" + rep.ComputedAt.In(tz.Default().Loc).Format("20060102-1504")
	s.serveTables(w, r, name, tables, lang)
}

// serveTables sends tables as a download named name: XLSX, one sheet a
// table, when the path ends in .xlsx, else one long CSV (longTable). The
// dashboard's and the evaluation report's exports both answer through it.
func (s *Server) serveTables(w http.ResponseWriter, r *http.Request, name string, tables []export.Table, lang string) {
	var buf bytes.Buffer
	var err error
	if strings.HasSuffix(r.URL.Path, ".xlsx") {
		err = export.WriteXLSX(&buf, tables...)
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		name += ".xlsx"
	} else {
		err = export.WriteCSV(&buf, longTable(tables, lang))
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		name += ".csv"
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}

// longTable flattens tables into one: table, row label, column, value.
func longTable(tables []export.Table, lang string) export.Table {
	pick := func(id, en string) string {
		if lang == "id" {
			return id
		}
		return en
	}
	out := export.Table{Name: "indicators", Rows: []export.Row{{pick("tabel", "table"), pick("baris", "row"), pick("kolom", "column"), pick("nilai", "value")}}}
	for _, t := range tables {
		head := t.Rows[0]
		for _, row := range t.Rows[1:] {
			for c := 1; c < len(row); c++ {
				out.Rows = append(out.Rows, export.Row{t.Name, row[0], head[c], row[c]})
			}
		}
	}
	return out
}
