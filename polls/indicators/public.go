package indicators

import (
	"slices"
	"time"
)

// Sections are the five indicators' keys, as in Report's JSON.
var Sections = []string{"active_participants", "satisfaction", "response_time", "cost", "reliability"}

// Public returns the part of r that everyone may see (Redacted), keyed as
// in Report's JSON: only the sections listed in published
// (Settings.Public), plus "from", "to", "zone" and "computed_at".
func (r *Report) Public(published []string) map[string]any {
	red := r.Redacted(published)
	out := map[string]any{"from": r.From, "to": r.To, "zone": r.Zone, "computed_at": r.ComputedAt}
	on := func(k string) bool { return slices.Contains(published, k) }
	if on("active_participants") {
		out["active_participants"] = red.Active
	}
	if on("satisfaction") {
		out["satisfaction"] = red.Satisfaction
	}
	if on("response_time") {
		out["response_time"] = red.ResponseTime
	}
	if on("cost") {
		out["cost"] = red.Cost
	}
	if on("reliability") {
		out["reliability"] = red.Reliability
	}
	return out
}

// Redacted returns a copy of r fit for everyone: the sections not in
// published are left empty, and every count of people in the rest
// describes at least MinCell people: active-participant periods with
// fewer are shown as 0 and marked suppressed; agencies with fewer
// complaints (the overall row too), units with fewer IKM respondents and
// satisfaction questions with fewer answers are left out;
// breakdowns by channel and kecamatan and complaint ratings are pooled
// already (Pool). The latency of routes and incident texts carry no
// personal data and are kept as they are. Every public output (the API,
// /dasbor and its exports) goes through it.
func (r *Report) Redacted(published []string) *Report {
	out := &Report{From: r.From, To: r.To, Zone: r.Zone, ComputedAt: r.ComputedAt}
	on := func(k string) bool { return slices.Contains(published, k) }
	for k, t := range r.AsOf {
		if on(k) {
			if out.AsOf == nil {
				out.AsOf = map[string]time.Time{}
			}
			out.AsOf[k] = t
		}
	}
	if on("active_participants") {
		a := r.Active
		a.Daily, a.Weekly, a.Monthly = suppress(a.Daily), suppress(a.Weekly), suppress(a.Monthly)
		if a.Total < MinCell {
			a.Total, a.New = 0, 0
		}
		out.Active = a
	}
	if on("satisfaction") {
		s := Satisfaction{IKM: []IKMScore{}, ComplaintRatings: r.Satisfaction.ComplaintRatings, Surveys: []SurveyScore{}}
		for _, x := range r.Satisfaction.IKM {
			if x.Respondents >= MinCell {
				s.IKM = append(s.IKM, x)
			}
		}
		for _, x := range r.Satisfaction.Surveys {
			if x.Respondents >= MinCell {
				s.Surveys = append(s.Surveys, x)
			}
		}
		out.Satisfaction = s
	}
	if on("response_time") {
		rt := r.ResponseTime
		rt.Complaints = []AgencyResponse{}
		if rt.Overall.Complaints < MinCell {
			rt.Overall = AgencyResponse{}
		}
		for _, a := range r.ResponseTime.Complaints {
			if a.Complaints >= MinCell {
				rt.Complaints = append(rt.Complaints, a)
			}
		}
		out.ResponseTime = rt
	}
	if on("cost") {
		out.Cost = r.Cost
	}
	if on("reliability") {
		out.Reliability = r.Reliability
	}
	return out
}

// suppress returns bs with the periods of 1 to MinCell-1 people zeroed and
// marked Suppressed.
func suppress(bs []Bucket) []Bucket {
	out := make([]Bucket, len(bs))
	for i, b := range bs {
		if b.Count > 0 && b.Count < MinCell {
			b = Bucket{Period: b.Period, Suppressed: true}
		} else if b.New > 0 && b.New < MinCell || b.Returning > 0 && b.Returning < MinCell {
			b.New, b.Returning, b.Suppressed = 0, 0, true
		}
		out[i] = b
	}
	return out
}
