package web

import (
	"math"
	"net/http"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/tz"
	"github.com/rembug/rembug/polls/indicators"
)

// indicatorsMaxAge is how long a computed set of indicators is served
// before it is computed again; the answer's computed_at says when it was.
const indicatorsMaxAge = 30 * time.Second

// maxIndicatorDays bounds a request's range.
const maxIndicatorDays = 3 * 366

// newIndicators builds the indicator cache over the server's database, the
// complaint store's working-day calendar and this node's latency histograms.
func (s *Server) newIndicators() *indicators.Cache {
	z := tz.Default()
	return &indicators.Cache{MaxAge: indicatorsMaxAge, Source: indicators.Source{
		DB: s.db, Calendar: s.complaints.Calendar, Zone: z.Name, Loc: z.Loc, Now: s.now, Latency: s.latencyHistograms,
	}}
}

// indicatorQuery parses ?from=YYYY-MM-DD&to=YYYY-MM-DD&by=day,week,month:
// from and to are whole days in the installation's zone, both included
// (default: the last twelve months up to today); by limits the
// active-participant series (default all three).
func (s *Server) indicatorQuery(r *http.Request) (indicators.Query, error) {
	loc := tz.Default().Loc
	bad := errs.E(errs.Invalid, "indicators.error.range", nil)
	today := s.now().In(loc)
	to := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, 1)
	from := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, loc).AddDate(0, -11, 0)
	if v := r.URL.Query().Get("from"); v != "" {
		t, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			return indicators.Query{}, bad
		}
		from = t
	}
	if v := r.URL.Query().Get("to"); v != "" {
		t, err := time.ParseInLocation(time.DateOnly, v, loc)
		if err != nil {
			return indicators.Query{}, bad
		}
		to = t.AddDate(0, 0, 1)
	}
	if !from.Before(to) || to.Sub(from) > maxIndicatorDays*24*time.Hour {
		return indicators.Query{}, bad
	}
	q := indicators.Query{From: from, To: to}
	if v := r.URL.Query().Get("by"); v != "" {
		for _, g := range strings.Split(v, ",") {
			switch gr := indicators.Granularity(strings.TrimSpace(g)); gr {
			case indicators.Day, indicators.Week, indicators.Month:
				q.By = append(q.By, gr)
			default:
				return indicators.Query{}, errs.E(errs.Invalid, "indicators.error.by", nil)
			}
		}
	}
	return q, nil
}

// handleAPIIndicators answers GET /api/v1/indicators: the five indicators
// for staff (admins, moderators, analysts, signed in or with a staff
// bearer token), the sections an admin published for everyone else
// (Report.Public).
func (s *Server) handleAPIIndicators(w http.ResponseWriter, r *http.Request) {
	q, err := s.indicatorQuery(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	rep, err := s.indicators.Get(r.Context(), q)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	v, _, err := s.apiViewer(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if forum.Can(r.Context(), v, forum.ActExport, forum.Item{Kind: forum.ItemSite}) == nil {
		writeJSON(w, http.StatusOK, rep)
		return
	}
	st, err := indicators.LoadSettings(r.Context(), s.db)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep.Public(st.Public))
}

// latencyHistograms reads this node's request-duration histograms, by route.
func (s *Server) latencyHistograms() map[string][]indicators.HistBucket {
	out := map[string][]indicators.HistBucket{}
	for _, m := range s.gather("rembug_http_request_duration_seconds") {
		h := m.GetHistogram()
		var bs []indicators.HistBucket
		for _, b := range h.GetBucket() {
			bs = append(bs, indicators.HistBucket{UpperBound: b.GetUpperBound(), Count: b.GetCumulativeCount()})
		}
		bs = append(bs, indicators.HistBucket{UpperBound: math.Inf(1), Count: h.GetSampleCount()})
		out[label(m, "route")] = bs
	}
	return out
}

// RequestCounts returns the responses this node served since it started
// and how many of them had a 5xx status, for its heartbeat.
func (s *Server) RequestCounts() (requests, errors uint64) {
	for _, m := range s.gather("rembug_http_requests_total") {
		n := uint64(m.GetCounter().GetValue())
		requests += n
		if strings.HasPrefix(label(m, "status"), "5") {
			errors += n
		}
	}
	return requests, errors
}

func (s *Server) gather(name string) []*dto.Metric {
	fams, err := s.metrics.reg.Gather()
	if err != nil {
		return nil
	}
	for _, f := range fams {
		if f.GetName() == name {
			return f.GetMetric()
		}
	}
	return nil
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}
