package indicators

import "slices"

// Sections are the five indicators' keys, as in Report's JSON.
var Sections = []string{"active_participants", "satisfaction", "response_time", "cost", "reliability"}

// Public returns the part of r that everyone may see: only the sections
// listed in published (Settings.Public), keyed as in Report's JSON, plus
// "from", "to", "zone" and "computed_at". Every count of people in it
// describes at least MinCell people: active-participant periods with
// fewer are shown as 0 and marked suppressed; agencies with fewer
// complaints, and units with fewer IKM respondents, are left out;
// breakdowns by channel and kecamatan and complaint ratings are pooled
// already (Pool). The latency of routes and incident texts carry no
// personal data and are shown as they are.
func (r *Report) Public(published []string) map[string]any {
	out := map[string]any{"from": r.From, "to": r.To, "zone": r.Zone, "computed_at": r.ComputedAt}
	on := func(k string) bool { return slices.Contains(published, k) }
	if on("active_participants") {
		a := r.Active
		a.Daily, a.Weekly, a.Monthly = suppress(a.Daily), suppress(a.Weekly), suppress(a.Monthly)
		if a.Total < MinCell {
			a.Total, a.New = 0, 0
		}
		out["active_participants"] = a
	}
	if on("satisfaction") {
		s := Satisfaction{IKM: []IKMScore{}, ComplaintRatings: r.Satisfaction.ComplaintRatings}
		for _, x := range r.Satisfaction.IKM {
			if x.Respondents >= MinCell {
				s.IKM = append(s.IKM, x)
			}
		}
		out["satisfaction"] = s
	}
	if on("response_time") {
		rt := r.ResponseTime
		rt.Complaints = []AgencyResponse{}
		for _, a := range r.ResponseTime.Complaints {
			if a.Complaints >= MinCell {
				rt.Complaints = append(rt.Complaints, a)
			}
		}
		out["response_time"] = rt
	}
	if on("cost") {
		out["cost"] = r.Cost
	}
	if on("reliability") {
		out["reliability"] = r.Reliability
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
