package evaluation

import (
	"math"

	"github.com/rembug/rembug/polls/indicators"
)

// Metric is one headline figure of an evaluation, read from an
// indicators.Report: Key names it (and its translation,
// "eval.metric.<key>"), Unit is what it counts, HigherBetter says which
// way is an improvement, and Of reads it (nil when the report has no data
// for it).
type Metric struct {
	Key          string
	Unit         string // "people", "score" (25–100), "hours", "days", "pct", "idr"
	HigherBetter bool
	Of           func(r *indicators.Report) *float64
}

// MaxTarget is the largest target Open accepts for m: 100 for scores (IKM
// and complaint ratings on 0–100) and percentages, else a bound no real
// figure of its unit reaches (a billion people, a million hours, 100,000
// days, 10^15 rupiah).
func (m Metric) MaxTarget() float64 {
	switch m.Unit {
	case "score", "pct":
		return 100
	case "people":
		return 1e9
	case "hours":
		return 1e6
	case "days":
		return 1e5
	}
	return 1e15
}

// Metrics are the headline figures of every evaluation, one or more per
// indicator, in report order. Shares are in percent.
var Metrics = []Metric{
	{"active_total", "people", true, func(r *indicators.Report) *float64 { return num(float64(r.Active.Total), r.Active.Total > 0) }},
	{"active_new", "people", true, func(r *indicators.Report) *float64 { return num(float64(r.Active.New), r.Active.Total > 0) }},
	{"ikm", "score", true, ikmMean},
	{"complaint_rating", "score", true, ratingMean},
	{"first_response_median", "hours", false, func(r *indicators.Report) *float64 { return r.ResponseTime.Overall.FirstResponse.Median }},
	{"within_response", "pct", true, func(r *indicators.Report) *float64 { return pct(r.ResponseTime.Overall.WithinResponse) }},
	{"resolution_median", "hours", false, func(r *indicators.Report) *float64 { return r.ResponseTime.Overall.Resolution.Median }},
	{"within_resolution", "pct", true, func(r *indicators.Report) *float64 { return pct(r.ResponseTime.Overall.WithinResolution) }},
	{"proposal_answer_days", "days", false, func(r *indicators.Report) *float64 { return r.ResponseTime.Proposals.Days.Median }},
	{"live_answered", "pct", true, func(r *indicators.Report) *float64 { return pct(r.ResponseTime.Live.Share) }},
	{"cost_per_complaint", "idr", false, func(r *indicators.Report) *float64 { return r.Cost.PerComplaint }},
	{"cost_per_participant", "idr", false, func(r *indicators.Report) *float64 { return r.Cost.PerParticipant }},
	{"availability", "pct", true, availability},
}

// MetricByKey returns the Metric named key.
func MetricByKey(key string) (Metric, bool) {
	for _, m := range Metrics {
		if m.Key == key {
			return m, true
		}
	}
	return Metric{}, false
}

func num(v float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	return &v
}

func pct(p *float64) *float64 {
	if p == nil {
		return nil
	}
	v := round2(*p * 100)
	return &v
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// ikmMean is the respondent-weighted mean IKM of the units and semesters
// in the report.
func ikmMean(r *indicators.Report) *float64 {
	var sum float64
	n := 0
	for _, s := range r.Satisfaction.IKM {
		if s.IKM != nil {
			sum += *s.IKM * float64(s.Respondents)
			n += s.Respondents
		}
	}
	return num(round2(sum/float64(max(n, 1))), n > 0)
}

// ratingMean is the respondent-weighted mean complaint rating, on the
// IKM's 25–100 scale, pooled rows included.
func ratingMean(r *indicators.Report) *float64 {
	var sum float64
	n := 0
	for _, x := range r.Satisfaction.ComplaintRatings {
		if x.Score != nil {
			sum += *x.Score * float64(x.Respondents)
			n += x.Respondents
		}
	}
	return num(round2(sum/float64(max(n, 1))), n > 0)
}

// availability is up minutes over monitored minutes across the months of
// the report, in percent.
func availability(r *indicators.Report) *float64 {
	mon, down := 0, 0
	for _, m := range r.Reliability.Monthly {
		mon += m.Monitored
		down += m.Down
	}
	return num(math.Round(float64(mon-down)/float64(max(mon, 1))*100000)/1000, mon > 0)
}

// Row is one Metric of a cycle analysed: its Value, the Target set in the
// plan and whether it was Met, the Previous cycle's value and the Change
// from it; Worse is set when the change goes the wrong way (a missed
// target alone does not set it).
type Row struct {
	Metric   Metric
	Value    *float64
	Target   *float64
	Met      *bool
	Previous *float64
	Change   *float64
	Worse    bool
}

// Analyse compares cur's Metrics with targets (by Metric key) and with
// prev (nil when there is no previous cycle), in Metrics order.
func Analyse(cur, prev *indicators.Report, targets map[string]float64) []Row {
	out := make([]Row, 0, len(Metrics))
	for _, m := range Metrics {
		row := Row{Metric: m, Value: m.Of(cur)}
		if t, ok := targets[m.Key]; ok {
			row.Target = &t
			if row.Value != nil {
				met := *row.Value >= t
				if !m.HigherBetter {
					met = *row.Value <= t
				}
				row.Met = &met
			}
		}
		if prev != nil {
			row.Previous = m.Of(prev)
		}
		if row.Value != nil && row.Previous != nil {
			d := round2(*row.Value - *row.Previous)
			row.Change = &d
			row.Worse = d < 0 && m.HigherBetter || d > 0 && !m.HigherBetter
		}
		out = append(out, row)
	}
	return out
}
