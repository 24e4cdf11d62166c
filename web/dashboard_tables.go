package web

import (
	"time"

	"github.com/rembug/rembug/polls/export"
	"github.com/rembug/rembug/polls/indicators"
)

// dashTable is one table of the dashboard: a titled set of rows of one
// indicator (Section, a key of indicators.Sections), drawn as a chart on
// the page with the same numbers in the table beside it, and written as
// they are to the CSV and XLSX exports. Cells are string, int, int64,
// float64 or nil (no figure: shown as "—", empty in exports).
type dashTable struct {
	Key     string
	Section string
	Head    []string // translation keys of the columns
	Rows    [][]any
	// ChartCol is the column drawn as bars against column 0 (0: no chart);
	// ChartMax is the bars' full scale (0: the largest value).
	ChartCol int
	ChartMax float64
}

// dashTables lays out rep as the dashboard's tables, in page order. Only
// the sections in show are included (every section when show is nil).
func dashTables(rep *indicators.Report, show []string, loc *time.Location) []dashTable {
	on := func(sec string) bool {
		if show == nil {
			return true
		}
		for _, s := range show {
			if s == sec {
				return true
			}
		}
		return false
	}
	var out []dashTable
	if on("active_participants") {
		a := rep.Active
		mt := dashTable{Key: "active_monthly", Section: "active_participants", ChartCol: 1,
			Head: []string{"dash.col.period", "dash.col.people", "dash.col.new", "dash.col.returning"}}
		for _, b := range a.Monthly {
			mt.Rows = append(mt.Rows, []any{b.Period, suppressed(b.Count, b.Suppressed), suppressed(b.New, b.Suppressed), suppressed(b.Returning, b.Suppressed)})
		}
		wt := mt
		wt.Key, wt.Rows, wt.ChartCol = "active_weekly", nil, 0
		for _, b := range a.Weekly {
			wt.Rows = append(wt.Rows, []any{b.Period, suppressed(b.Count, b.Suppressed), suppressed(b.New, b.Suppressed), suppressed(b.Returning, b.Suppressed)})
		}
		tot := dashTable{Key: "active_total", Section: "active_participants", Head: []string{"dash.col.measure", "dash.col.people"},
			Rows: [][]any{{dashKey("dash.row.total"), a.Total}, {dashKey("dash.row.new"), a.New}}}
		ch := dashTable{Key: "active_channel", Section: "active_participants", ChartCol: 1, Head: []string{"dash.col.channel", "dash.col.people"}}
		for _, c := range a.ByChannel {
			ch.Rows = append(ch.Rows, []any{cellLabel(c.Label, c.Pooled, "dash.row.channel."), c.Count})
		}
		kc := dashTable{Key: "active_kecamatan", Section: "active_participants", ChartCol: 1, Head: []string{"dash.col.kecamatan", "dash.col.people"}}
		for _, c := range a.ByKecamatan {
			kc.Rows = append(kc.Rows, []any{cellLabel(c.Label, c.Pooled, ""), c.Count})
		}
		sh := dashTable{Key: "active_share", Section: "active_participants", ChartCol: 1, Head: []string{"dash.col.share_channel", "dash.col.arrivals"}}
		for _, c := range a.ArrivalsByShareLink {
			sh.Rows = append(sh.Rows, []any{dashKey("dash.row.share." + c.Label), c.Count})
		}
		out = append(out, tot, mt, wt, ch, kc, sh)
	}
	if on("satisfaction") {
		ikm := dashTable{Key: "satisfaction_ikm", Section: "satisfaction", ChartCol: 3, ChartMax: 100,
			Head: []string{"dash.col.unit", "dash.col.period", "dash.col.respondents", "dash.col.ikm", "dash.col.grade", "dash.col.change"}}
		for _, x := range rep.Satisfaction.IKM {
			ikm.Rows = append(ikm.Rows, []any{x.Unit, x.Period, x.Respondents, fptr(x.IKM), x.Grade, fptr(x.Change)})
		}
		rt := dashTable{Key: "satisfaction_ratings", Section: "satisfaction", ChartCol: 3, ChartMax: 100,
			Head: []string{"dash.col.agency", "dash.col.respondents", "dash.col.mean", "dash.col.score"}}
		for _, x := range rep.Satisfaction.ComplaintRatings {
			rt.Rows = append(rt.Rows, []any{cellLabel(x.Agency, x.Pooled, ""), x.Respondents, fptr(x.Mean), fptr(x.Score)})
		}
		sv := dashTable{Key: "satisfaction_surveys", Section: "satisfaction", ChartCol: 5, ChartMax: 100,
			Head: []string{"dash.col.survey", "dash.col.question", "dash.col.kind", "dash.col.respondents", "dash.col.mean", "dash.col.score100"}}
		for _, x := range rep.Satisfaction.Surveys {
			sv.Rows = append(sv.Rows, []any{x.Survey, x.Question, dashKey("builder.kind." + x.Kind), x.Respondents, fptr(x.Mean), fptr(x.Score)})
		}
		out = append(out, ikm, rt, sv)
	}
	if on("response_time") {
		rt := rep.ResponseTime
		ct := dashTable{Key: "response_complaints", Section: "response_time", ChartCol: 2,
			Head: []string{"dash.col.agency", "dash.col.complaints", "dash.col.first_median", "dash.col.first_p90",
				"dash.col.resolution_median", "dash.col.resolution_p90", "dash.col.within_response", "dash.col.within_resolution", "dash.col.pending"}}
		for _, a := range rt.Complaints {
			ct.Rows = append(ct.Rows, []any{cellLabel(a.Agency, false, ""), a.Complaints, fptr(a.FirstResponse.Median), fptr(a.FirstResponse.P90),
				fptr(a.Resolution.Median), fptr(a.Resolution.P90), share(a.WithinResponse), share(a.WithinResolution), a.Pending})
		}
		ot := dashTable{Key: "response_other", Section: "response_time", Head: []string{"dash.col.measure", "dash.col.value"},
			Rows: [][]any{
				{dashKey("dash.row.complaints_excluded"), rt.Overall.Excluded},
				{dashKey("dash.row.proposal_answered"), rt.Proposals.Days.N},
				{dashKey("dash.row.proposal_median_days"), fptr(rt.Proposals.Days.Median)},
				{dashKey("dash.row.proposal_p90_days"), fptr(rt.Proposals.Days.P90)},
				{dashKey("dash.row.proposal_waiting"), rt.Proposals.Waiting},
				{dashKey("dash.row.live_questions"), rt.Live.Questions},
				{dashKey("dash.row.live_answered"), rt.Live.Answered},
				{dashKey("dash.row.live_share"), share(rt.Live.Share)},
				{dashKey("dash.row.live_median_minutes"), fptr(rt.Live.Minutes.Median)},
				{dashKey("dash.row.live_p90_minutes"), fptr(rt.Live.Minutes.P90)},
			}}
		lt := dashTable{Key: "response_latency", Section: "response_time", ChartCol: 3,
			Head: []string{"dash.col.route_group", "dash.col.requests", "dash.col.p50_ms", "dash.col.p99_ms"}}
		for _, l := range rt.Latency {
			lt.Rows = append(lt.Rows, []any{l.Group, int64(l.Requests), fptr(l.P50), fptr(l.P99)})
		}
		out = append(out, ct, ot, lt)
	}
	if on("cost") {
		c := rep.Cost
		ct := dashTable{Key: "cost", Section: "cost", ChartCol: 1, Head: []string{"dash.col.item", "dash.col.idr"}}
		for _, k := range []string{indicators.CostHosting, indicators.CostStaff, indicators.CostTraining, indicators.CostOther} {
			ct.Rows = append(ct.Rows, []any{dashKey("dash.row.cost." + k), c.Items[k]})
		}
		ct.Rows = append(ct.Rows, []any{dashKey("dash.row.messages"), c.Messages}, []any{dashKey("dash.row.digital"), c.Digital},
			[]any{dashKey("dash.row.traditional_equivalent"), c.TraditionalTotal})
		pt := dashTable{Key: "cost_per", Section: "cost", Head: []string{"dash.col.measure", "dash.col.value"},
			Rows: [][]any{
				{dashKey("dash.row.sms"), c.SMS}, {dashKey("dash.row.whatsapp"), c.WhatsApp}, {dashKey("dash.row.handled"), c.Handled},
				{dashKey("dash.row.per_complaint"), fptr(c.PerComplaint)}, {dashKey("dash.row.per_participant"), fptr(c.PerParticipant)},
				{dashKey("dash.row.traditional"), c.Traditional},
			}}
		out = append(out, ct, pt)
	}
	if on("reliability") {
		rl := rep.Reliability
		av := dashTable{Key: "reliability_availability", Section: "reliability", ChartCol: 3, ChartMax: 100,
			Head: []string{"dash.col.period", "dash.col.monitored", "dash.col.down", "dash.col.availability", "dash.col.target", "dash.col.met"}}
		for _, m := range rl.Monthly {
			var met any
			if m.Met != nil {
				met = map[bool]dashKey{true: "dash.yes", false: "dash.no"}[*m.Met]
			}
			av.Rows = append(av.Rows, []any{m.Period, m.Monitored, m.Down, fptr(m.Availability), m.Target, met})
		}
		ou := dashTable{Key: "reliability_outages", Section: "reliability", Head: []string{"dash.col.start", "dash.col.end", "dash.col.minutes"}}
		for _, o := range rl.Outages {
			ou.Rows = append(ou.Rows, []any{o.Start.In(loc).Format("2006-01-02 15:04"), o.End.In(loc).Format("2006-01-02 15:04"), o.Minutes})
		}
		er := dashTable{Key: "reliability_5xx", Section: "reliability", Head: []string{"dash.col.day", "dash.col.requests", "dash.col.errors", "dash.col.share"}}
		for _, d := range rl.Errors5xx {
			er.Rows = append(er.Rows, []any{d.Day, d.Requests, d.Errors, share(d.Share)})
		}
		in := dashTable{Key: "reliability_incidents", Section: "reliability", Head: []string{"dash.col.start", "dash.col.end", "dash.col.cause", "dash.col.fix"}}
		for _, i := range rl.Incidents {
			var end any
			if i.EndedAt != nil {
				end = i.EndedAt.In(loc).Format("2006-01-02 15:04")
			}
			in.Rows = append(in.Rows, []any{i.StartedAt.In(loc).Format("2006-01-02 15:04"), end, i.Cause, i.Fix})
		}
		out = append(out, av, ou, er, in)
	}
	return out
}

// dashKey marks a cell that is a translation key, not data.
type dashKey string

// cellLabel is a row label: prefix+label translated when prefix is set,
// the pooled label for the pooled cell, "not given" for an empty label.
func cellLabel(label string, pooled bool, prefix string) any {
	switch {
	case pooled:
		return dashKey("dash.row.pooled")
	case label == "":
		return dashKey("dash.row.unknown")
	case prefix != "":
		return dashKey(prefix + label)
	}
	return label
}

// suppressed is n, or no figure when the cell describes too few people to
// publish (indicators.Report.Public).
func suppressed(n int, hidden bool) any {
	if hidden {
		return dashKey("dash.row.suppressed")
	}
	return n
}

func fptr(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// share turns a 0–1 share into a percentage (0–100), nil kept.
func share(p *float64) any {
	if p == nil {
		return nil
	}
	return *p * 100
}

// exportTables turns tables into export tables in lang: the header and
// every key cell translated, numbers kept as numbers, no figure empty.
func (s *Server) exportTables(tables []dashTable, lang string) []export.Table {
	var out []export.Table
	for _, t := range tables {
		et := export.Table{Name: s.msgs.T(lang, "dash.table."+t.Key)}
		head := export.Row{}
		for _, h := range t.Head {
			head = append(head, s.msgs.T(lang, h))
		}
		et.Rows = append(et.Rows, head)
		for _, r := range t.Rows {
			row := export.Row{}
			for _, c := range r {
				row = append(row, s.exportCell(c, lang))
			}
			et.Rows = append(et.Rows, row)
		}
		out = append(out, et)
	}
	return out
}

func (s *Server) exportCell(c any, lang string) any {
	switch x := c.(type) {
	case nil:
		return ""
	case dashKey:
		return s.msgs.T(lang, string(x))
	}
	return c
}
