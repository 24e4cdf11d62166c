package indicators

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/ikm"
	"github.com/uptrace/bun"
)

// IKMScore is one service unit's IKM (Indeks Kepuasan Masyarakat,
// PermenPANRB 14/2017) in one semester, computed by ikm.Compute from
// ikm_responses. IKM is on the 25–100 scale (two decimals), nil when no
// element was answered; Grade is A–D; Change is the difference from the
// unit's previous semester (nil when either has no data).
type IKMScore struct {
	Unit        string   `json:"unit"`
	Period      string   `json:"period"`
	Respondents int      `json:"respondents"`
	IKM         *float64 `json:"ikm"`
	Grade       string   `json:"grade"`
	Change      *float64 `json:"change"`
}

// Rating is the complaint ratings of one agency: the 1–4 rating (the IKM
// scale) a citizen gives when closing a complaint (complaints.rating,
// 0 = none, by closed_at), for complaints routed to the agency
// (complaint_routes). Mean is on 1–4, Score the same on the IKM's 25–100
// scale (Mean × 25); Monthly is the mean per month of the range (the
// trend), null where fewer than MinCell rated. Agencies rated by fewer than MinCell
// people are pooled into one row.
type Rating struct {
	Agency      string     `json:"agency"`
	Respondents int        `json:"respondents"`
	Mean        *float64   `json:"mean"`
	Score       *float64   `json:"score"`
	Monthly     []MonthVal `json:"monthly"`
	Pooled      bool       `json:"pooled,omitempty"`
}

// MonthVal is a value in one month ("2026-11"), with the people behind it.
type MonthVal struct {
	Period string   `json:"period"`
	N      int      `json:"n"`
	Value  *float64 `json:"value"`
}

// Satisfaction is the satisfaction indicator (kepuasan pengguna): IKM per
// service unit and semester, complaint ratings per agency, and survey
// questions tagged as measuring satisfaction, each with its respondents
// and trend.
type Satisfaction struct {
	IKM              []IKMScore    `json:"ikm"`
	ComplaintRatings []Rating      `json:"complaint_ratings"`
	Surveys          []SurveyScore `json:"surveys"`
}

// ikmScores returns every unit's IKM in each semester overlapping [from, to).
func ikmScores(ctx context.Context, db bun.IDB, from, to time.Time) ([]IKMScore, error) {
	units, err := polls.IKMUnits(ctx, db)
	if err != nil {
		return nil, err
	}
	var sems []ikm.Period
	for y := from.In(ikm.Jakarta()).Year(); y <= to.In(ikm.Jakarta()).Year(); y++ {
		for n := 1; n <= 2; n++ {
			p, err := ikm.ParsePeriod(fmt.Sprintf("%04d-S%d", y, n))
			if err == nil && p.Start.Before(to) && p.End.After(from) {
				sems = append(sems, p)
			}
		}
	}
	out := []IKMScore{}
	for _, u := range units {
		var prev *float64
		if len(sems) > 0 {
			if ps := polls.PreviousPeriods(sems[0], 2); len(ps) == 2 {
				if s, err := ikmScore(ctx, db, u, ps[0]); err == nil {
					prev = s.IKM
				} else {
					return nil, err
				}
			}
		}
		for _, p := range sems {
			s, err := ikmScore(ctx, db, u, p)
			if err != nil {
				return nil, err
			}
			if s.Respondents == 0 {
				prev = nil
				continue
			}
			if prev != nil && s.IKM != nil {
				d := round2(*s.IKM - *prev)
				s.Change = &d
			}
			prev = s.IKM
			out = append(out, s)
		}
	}
	return out, nil
}

func ikmScore(ctx context.Context, db bun.IDB, u polls.IKMUnit, p ikm.Period) (IKMScore, error) {
	rs, err := polls.IKMResponses(ctx, db, u.ID, p)
	if err != nil {
		return IKMScore{}, err
	}
	s := IKMScore{Unit: u.Name, Period: p.String(), Respondents: len(rs)}
	if len(rs) == 0 {
		return s, nil
	}
	r, err := ikm.Compute(rs)
	if err != nil {
		return s, fmt.Errorf("ikm of %s in %s: %w", u.Name, p, err)
	}
	if !r.NoData {
		v := float64(r.Rounded) / 100
		s.IKM, s.Grade = &v, string(r.Grade)
	}
	return s, nil
}

// complaintRatings returns the ratings per agency of complaints closed in [from, to).
func complaintRatings(ctx context.Context, db bun.IDB, from, to time.Time, loc *time.Location) ([]Rating, error) {
	// Summed per agency and month in the database.
	var rows []struct {
		Agency string `bun:"agency"`
		Month  string `bun:"month"`
		Sum    int    `bun:"sum"`
		N      int    `bun:"n"`
	}
	month := "SUBSTR(" + localDay(db, "c.closed_at", offsetAt(from, loc)) + ", 1, 7)"
	err := db.NewRaw(`SELECT a.name AS agency, `+month+` AS month, SUM(c.rating) AS sum, COUNT(*) AS n FROM complaints c
		JOIN complaint_routes r ON r.complaint_id = c.id JOIN complaint_agencies a ON a.id = r.agency_id
		WHERE c.rating > 0 AND c.closed_at >= ? AND c.closed_at < ? GROUP BY 1, 2`, from, to).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("complaint ratings: %w", err)
	}
	months := periodKeys(Month, from, to, loc)
	type acc struct{ sum, n map[string]int }
	by := map[string]*acc{}
	for _, r := range rows {
		a := by[r.Agency]
		if a == nil {
			a = &acc{map[string]int{}, map[string]int{}}
			by[r.Agency] = a
		}
		a.sum[r.Month] += r.Sum
		a.n[r.Month] += r.N
		a.sum[""] += r.Sum
		a.n[""] += r.N
	}
	build := func(name string, a *acc) Rating {
		r := Rating{Agency: name, Respondents: a.n[""], Mean: mean(a.sum[""], a.n[""]), Monthly: []MonthVal{}}
		if r.Mean != nil {
			s := round2(*r.Mean * 25)
			r.Score = &s
		}
		for _, m := range months {
			v := MonthVal{Period: m, N: a.n[m]}
			if a.n[m] >= MinCell {
				v.Value = mean(a.sum[m], a.n[m])
			}
			r.Monthly = append(r.Monthly, v)
		}
		return r
	}
	out := []Rating{}
	pooled := &acc{map[string]int{}, map[string]int{}}
	for name, a := range by {
		if a.n[""] < MinCell {
			for k, v := range a.sum {
				pooled.sum[k] += v
				pooled.n[k] += a.n[k]
			}
			continue
		}
		out = append(out, build(name, a))
	}
	slices.SortFunc(out, func(p, q Rating) int { return cmp.Compare(p.Agency, q.Agency) })
	if pooled.n[""] >= MinCell {
		r := build("", pooled)
		r.Pooled = true
		out = append(out, r)
	}
	return out, nil
}

// mean returns sum/n rounded to two decimals, nil when n is 0.
func mean(sum, n int) *float64 {
	if n == 0 {
		return nil
	}
	v := math.Round(float64(sum)/float64(n)*100) / 100
	return &v
}

// SurveyScore is one survey question tagged as measuring satisfaction
// (polls.Spec.Satisfaction; rating 1–5, Likert 1–5 per item, NPS 0–10)
// over the responses given in the range (survey_responses.answered_at;
// anonymous surveys record no time and are not counted). Mean is on the
// question's own scale (a Likert answer counts as the mean of its answered
// items), Score the same on 0–100 (Mean × 20 for 1–5, Mean × 10 for NPS);
// Monthly is the mean per month (null where fewer than MinCell answered).
type SurveyScore struct {
	Survey      string     `json:"survey"`
	Question    string     `json:"question"`
	Kind        string     `json:"kind"`
	Respondents int        `json:"respondents"`
	Mean        *float64   `json:"mean"`
	Score       *float64   `json:"score"`
	Monthly     []MonthVal `json:"monthly"`
}

// surveyScores returns the tagged questions' scores for [from, to).
func surveyScores(ctx context.Context, db bun.IDB, from, to time.Time, loc *time.Location) ([]SurveyScore, error) {
	return scoreSurveys(ctx, db, 0, &from, &to, loc)
}

// SurveyResult returns the scores of survey id's questions tagged as
// measuring satisfaction over all its responses, anonymous ones included
// (they record no time), with no monthly trend: the result of a survey
// used as an evaluation instrument. A survey without such questions gives
// an empty list.
func SurveyResult(ctx context.Context, db bun.IDB, id int64) ([]SurveyScore, error) {
	return scoreSurveys(ctx, db, id, nil, nil, time.UTC)
}

// satisfactionQuestion is a question that measures satisfaction
// (polls.Question.Satisfies), with its survey's title.
type satisfactionQuestion struct {
	SurveyID int64      `bun:"survey_id"`
	Code     string     `bun:"code"`
	Kind     polls.Kind `bun:"kind"`
	Text     string     `bun:"text"`
	Spec     string     `bun:"spec"`
	Title    string     `bun:"title"`
}

// satisfactionQuestions returns the questions of survey (0: every survey)
// that measure satisfaction, in survey and position order.
func satisfactionQuestions(ctx context.Context, db bun.IDB, survey int64) ([]satisfactionQuestion, error) {
	var qs []satisfactionQuestion
	q := db.NewSelect().TableExpr("survey_questions AS q").Join("JOIN surveys AS s ON s.id = q.survey_id").
		ColumnExpr("q.survey_id, q.code, q.kind, q.text, q.spec, s.title").
		Where("q.spec LIKE ?", `%"satisfaction":true%`).OrderExpr("s.id, q.position")
	if survey != 0 {
		q = q.Where("q.survey_id = ?", survey)
	}
	if err := q.Scan(ctx, &qs); err != nil {
		return nil, fmt.Errorf("satisfaction questions: %w", err)
	}
	out := qs[:0]
	for _, q := range qs {
		pq := polls.Question{Kind: q.Kind}
		if err := json.Unmarshal([]byte(q.Spec), &pq.Spec); err != nil {
			return nil, fmt.Errorf("spec of %s in survey %d: %w", q.Code, q.SurveyID, err)
		}
		if pq.Satisfies() {
			out = append(out, q)
		}
	}
	return out, nil
}

// MeasuresSatisfaction reports whether survey id has a question that
// measures satisfaction, without reading its answers.
func MeasuresSatisfaction(ctx context.Context, db bun.IDB, id int64) (bool, error) {
	qs, err := satisfactionQuestions(ctx, db, id)
	return len(qs) > 0, err
}

// scoreSurveys scores the tagged questions of survey (0: every survey)
// over the responses answered in [from, to), or all responses when from
// is nil; Monthly is filled only for a range.
func scoreSurveys(ctx context.Context, db bun.IDB, survey int64, from, to *time.Time, loc *time.Location) ([]SurveyScore, error) {
	qs, err := satisfactionQuestions(ctx, db, survey)
	if err != nil {
		return nil, err
	}
	out := []SurveyScore{}
	var months []string
	if from != nil {
		months = periodKeys(Month, *from, *to, loc)
	}
	for _, q := range qs {
		var rows []struct {
			Answers string     `bun:"answers"`
			At      *time.Time `bun:"answered_at"`
		}
		rq := db.NewSelect().Table("survey_responses").Column("answers", "answered_at").Where("survey_id = ?", q.SurveyID)
		if from != nil {
			rq = rq.Where("answered_at >= ? AND answered_at < ?", *from, *to)
		}
		if err := rq.Scan(ctx, &rows); err != nil {
			return nil, fmt.Errorf("answers to %s: %w", q.Code, err)
		}
		sum, n := map[string]float64{}, map[string]int{}
		for _, r := range rows {
			var a polls.Answers
			if err := json.Unmarshal([]byte(r.Answers), &a); err != nil {
				return nil, fmt.Errorf("decode answers to survey %d: %w", q.SurveyID, err)
			}
			v, ok := answerValue(q.Kind, a[q.Code])
			if !ok {
				continue
			}
			if from != nil && r.At != nil {
				m := periodKey(Month, *r.At, loc)
				sum[m], n[m] = sum[m]+v, n[m]+1
			}
			sum[""], n[""] = sum[""]+v, n[""]+1
		}
		avg := func(k string) *float64 {
			if n[k] == 0 {
				return nil
			}
			v := round2(sum[k] / float64(n[k]))
			return &v
		}
		sc := SurveyScore{Survey: q.Title, Question: q.Text, Kind: string(q.Kind), Respondents: n[""], Mean: avg(""), Monthly: []MonthVal{}}
		if sc.Mean != nil {
			f := 20.0
			if q.Kind == polls.KindNPS {
				f = 10
			}
			v := round2(sum[""] / float64(n[""]) * f)
			sc.Score = &v
		}
		for _, m := range months {
			mv := MonthVal{Period: m, N: n[m]}
			if n[m] >= MinCell {
				mv.Value = avg(m)
			}
			sc.Monthly = append(sc.Monthly, mv)
		}
		out = append(out, sc)
	}
	return out, nil
}

// answerValue is a's value on the question's scale: the score of a rating
// or NPS answer, the mean of a Likert answer's answered items.
func answerValue(k polls.Kind, a polls.Answer) (float64, bool) {
	if k == polls.KindLikert {
		s, n := 0, 0
		for _, v := range a.Items {
			if v > 0 {
				s, n = s+v, n+1
			}
		}
		return float64(s) / float64(max(n, 1)), n > 0
	}
	if a.Value == nil {
		return 0, false
	}
	return float64(*a.Value), true
}
