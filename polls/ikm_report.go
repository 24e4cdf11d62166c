package polls

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rembug/rembug/polls/ikm"
	"github.com/uptrace/bun"
)

// ProfileCount is how many respondents gave one profile value.
type ProfileCount struct {
	ikm.Choice
	Count int `json:"count"`
}

// ProfileField is the distribution of one profile question: the
// regulation's choices, then each label an office printed on its own paper
// form ("50+") as given; Unknown counts the respondents who left it blank.
type ProfileField struct {
	Field   string         `json:"field"` // "age", "sex", "education" or "occupation"
	Counts  []ProfileCount `json:"counts"`
	Unknown int            `json:"unknown"`
}

// TrendPoint is a unit's IKM in one period.
type TrendPoint struct {
	Period ikm.Period `json:"period"`
	Result ikm.Result `json:"result"`
}

// IKMReport is what a unit's IKM report for a period shows.
type IKMReport struct {
	Unit    IKMUnit             `json:"unit"`
	Period  ikm.Period          `json:"period"`
	Result  ikm.Result          `json:"result"`
	Weakest []ikm.ElementResult `json:"weakest"`
	Profile []ProfileField      `json:"profile"`
	// Trend holds the TrendPeriods periods of the same kind ending with Period,
	// oldest first.
	Trend []TrendPoint `json:"trend"`
	// ComplaintRatings is how many complaint ratings count as answers to U8
	// in Period (BuildIKMReportWith); 0 without them.
	ComplaintRatings int `json:"complaint_ratings"`
	// Assisted is how many of Result.Respondents an officer recorded for
	// a citizen at the desk (dibantu petugas, SubmitIKMAssisted); the
	// others answered themselves (web or paper import).
	Assisted int `json:"assisted"`
}

// TrendPeriods is the number of periods in a report's trend.
const TrendPeriods = 6

// Ratings returns the complaint ratings (1–4) that count as answers to the
// IKM element U8 "penanganan pengaduan, saran dan masukan" for IKM unit
// unitID in [from, to): complaint.Store.RatingsOf, over the agencies an
// admin linked to the unit.
type Ratings func(ctx context.Context, unitID int64, from, to time.Time) ([]int, error)

// BuildIKMReport computes unit's report for period p from its survey
// answers alone: BuildIKMReportWith without complaint ratings.
func BuildIKMReport(ctx context.Context, db bun.IDB, u *IKMUnit, p ikm.Period) (*IKMReport, error) {
	return BuildIKMReportWith(ctx, db, u, p, nil)
}

// BuildIKMReportWith computes unit's report for period p: the result by
// ikm.Compute with the unit's element labels (IKMElements), the three
// weakest elements, the respondent profile and the trend over the
// TrendPeriods periods of p's kind ending with p. When ratings is not nil,
// the citizens' ratings of complaints closed in each period are answers to
// U8 (penanganan pengaduan, saran dan masukan) besides the survey's: they
// enter U8's NRR and distribution (and so the index) but not Respondents
// or the profile, and ComplaintRatings counts them. A period without survey
// answers takes none: ratings complement U8, they never make an index alone.
func BuildIKMReportWith(ctx context.Context, db bun.IDB, u *IKMUnit, p ikm.Period, ratings Ratings) (*IKMReport, error) {
	compute := func(q ikm.Period) (ikm.Result, []ikm.Response, int, error) {
		rs, err := IKMResponses(ctx, db, u.ID, q)
		if err != nil {
			return ikm.Result{}, nil, 0, err
		}
		all := rs
		var rated []int
		if ratings != nil && len(rs) > 0 {
			if rated, err = ratings(ctx, u.ID, q.Start, q.End); err != nil {
				return ikm.Result{}, nil, 0, err
			}
			all = append(slices.Clip(rs), make([]ikm.Response, len(rated))...)
			for i, r := range rated {
				all[len(rs)+i].Scores[complaintElement] = r
			}
		}
		res, err := ikm.Compute(all)
		if err != nil {
			return ikm.Result{}, nil, 0, fmt.Errorf("ikm of unit %d in %s: %w", u.ID, q, err)
		}
		res.Respondents = len(rs)
		return res, rs, len(rated), nil
	}
	res, rs, rated, err := compute(p)
	if err != nil {
		return nil, err
	}
	els, err := IKMElements(ctx, db, u.ID)
	if err != nil {
		return nil, err
	}
	for k := range res.Elements {
		res.Elements[k].Element = els[k] // same code, the unit's labels
	}
	rep := &IKMReport{Unit: *u, Period: p, Result: res, Weakest: res.Weakest(3), Profile: profileOf(rs), ComplaintRatings: rated}
	n, err := db.NewSelect().Table("ikm_responses").
		Where("unit_id = ? AND starts_at >= ? AND ends_at <= ? AND assisted_at IS NOT NULL", u.ID, p.Start.UTC(), p.End.UTC()).
		Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("assisted ikm answers of unit %d in %s: %w", u.ID, p, err)
	}
	rep.Assisted = int(n)
	for _, q := range PreviousPeriods(p, TrendPeriods) {
		r := res
		if q != p {
			if r, _, _, err = compute(q); err != nil {
				return nil, err
			}
		}
		rep.Trend = append(rep.Trend, TrendPoint{Period: q, Result: r})
	}
	return rep, nil
}

// complaintElement is the index of U8, "penanganan pengaduan, saran dan
// masukan" (PermenPANRB 14/2017), in ikm.Response.Scores.
const complaintElement = 7

// PreviousPeriods returns the n periods of p's kind that end with p, oldest
// first (fewer when they would start before year 1000).
func PreviousPeriods(p ikm.Period, n int) []ikm.Period {
	out := []ikm.Period{p}
	for len(out) < n {
		prev, ok := previous(out[0])
		if !ok {
			break
		}
		out = append([]ikm.Period{prev}, out...)
	}
	return out
}

func previous(p ikm.Period) (ikm.Period, bool) {
	y, n := p.Year, p.N-1
	var s string
	switch p.Kind {
	case ikm.Year:
		s = fmt.Sprintf("%04d", y-1)
	case ikm.Semester:
		if n < 1 {
			y, n = y-1, 2
		}
		s = fmt.Sprintf("%04d-S%d", y, n)
	case ikm.Quarter:
		if n < 1 {
			y, n = y-1, 4
		}
		s = fmt.Sprintf("%04d-Q%d", y, n)
	default:
		if n < 1 {
			y, n = y-1, 12
		}
		s = fmt.Sprintf("%04d-%02d", y, n)
	}
	q, err := ikm.ParsePeriod(s)
	return q, err == nil
}

func profileOf(rs []ikm.Response) []ProfileField {
	fields := []struct {
		name    string
		choices []ikm.Choice
		get     func(ikm.Profile) string
	}{
		{"age", ikm.AgeBands(), func(p ikm.Profile) string { return p.AgeBand }},
		{"sex", ikm.Sexes(), func(p ikm.Profile) string { return p.Sex }},
		{"education", ikm.Educations(), func(p ikm.Profile) string { return p.Education }},
		{"occupation", ikm.Occupations(), func(p ikm.Profile) string { return p.Occupation }},
	}
	out := make([]ProfileField, len(fields))
	for i, f := range fields {
		pf := ProfileField{Field: f.name}
		idx := map[string]int{}
		for j, c := range f.choices {
			pf.Counts = append(pf.Counts, ProfileCount{Choice: c})
			idx[c.Code] = j
		}
		for _, r := range rs {
			v := f.get(r.Profile)
			j, ok := idx[v]
			switch {
			case ok:
			case v == "":
				pf.Unknown++
				continue
			default:
				// An office's own label ("50+") is reported as given, after
				// the regulation's choices, in the order first seen.
				j = len(pf.Counts)
				idx[v] = j
				pf.Counts = append(pf.Counts, ProfileCount{Choice: ikm.Choice{Code: v, LabelID: v, LabelEN: v}})
			}
			pf.Counts[j].Count++
		}
		out[i] = pf
	}
	return out
}

// SelfService is how many respondents answered themselves (web or paper
// import): Result.Respondents less Assisted.
func (r *IKMReport) SelfService() int { return r.Result.Respondents - r.Assisted }
