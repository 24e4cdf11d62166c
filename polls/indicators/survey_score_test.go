package indicators_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/indicators"
)

// TestSurveySatisfaction: only the questions tagged as measuring
// satisfaction count, with their mean on their own scale and on 0–100, per
// month (months of fewer than five answers without a value); the public
// answer leaves out a question with fewer than five answers.
func TestSurveySatisfaction(t *testing.T) {
	db := newDB(t)
	f := newFixture(t, db)
	ctx := context.Background()
	s := polls.Survey{ConsultationID: f.cons, Title: "Survei layanan", OpensAt: wib("2026-10-01 00:00"), ClosesAt: wib("2026-12-31 00:00")}
	qs := []polls.Question{
		{Code: "puas", Kind: polls.KindRating, Text: "Seberapa puas Anda?", Spec: polls.Spec{Satisfaction: true}},
		{Code: "lain", Kind: polls.KindRating, Text: "Seberapa sering Anda datang?"},
		{Code: "nps", Kind: polls.KindNPS, Text: "Rekomendasikan?", Spec: polls.Spec{Satisfaction: true}},
	}
	if err := polls.NewStore(db, func() time.Time { return wib("2026-10-01 00:00") }).CreateSurvey(ctx, forum.Viewer{}, &s, qs); err != nil {
		t.Fatal(err)
	}
	answer := func(i int, at time.Time, rating, nps int) {
		t.Helper()
		p := f.participant(fmt.Sprint("r", i))
		body := fmt.Sprintf(`{"puas":{"v":%d},"lain":{"v":1}`, rating)
		if nps >= 0 {
			body += fmt.Sprintf(`,"nps":{"v":%d}`, nps)
		}
		f.exec(`INSERT INTO survey_responses (id, survey_id, participant_id, answers, answered_at) VALUES (?, ?, ?, ?, ?)`,
			fmt.Sprint("resp", i), s.ID, p, body+"}", at)
	}
	for i, r := range []int{5, 4, 4, 5, 2} { // five in October
		answer(i, wib("2026-10-10 09:00"), r, -1)
	}
	answer(5, wib("2026-11-10 09:00"), 3, 9) // one in November
	answer(6, wib("2026-11-11 09:00"), 3, 7)
	r, err := indicators.Compute(ctx, source(t, db, wib("2026-12-01 00:00")), indicators.Query{From: wib("2026-10-01 00:00"), To: wib("2026-12-01 00:00")})
	if err != nil {
		t.Fatal(err)
	}
	got := r.Satisfaction.Surveys
	if len(got) != 2 || got[0].Question != "Seberapa puas Anda?" || got[1].Kind != "nps" {
		t.Fatalf("tagged questions = %+v, want the rating and the NPS", got)
	}
	// (5+4+4+5+2+3+3)/7 = 26/7 = 3.71; × 20 = 74.29.
	if g := got[0]; g.Respondents != 7 || *g.Mean != 3.71 || *g.Score != 74.29 || *g.Monthly[0].Value != 4 || g.Monthly[1].Value != nil || g.Monthly[1].N != 2 {
		t.Errorf("rating = %+v (monthly %+v)", g, g.Monthly)
	}
	if g := got[1]; g.Respondents != 2 || *g.Mean != 8 || *g.Score != 80 {
		t.Errorf("NPS = %+v", g)
	}
	pub := r.Redacted([]string{"satisfaction"}).Satisfaction.Surveys
	if len(pub) != 1 || pub[0].Kind != "rating" {
		t.Errorf("public survey scores = %+v, want only the rating (the NPS has 2 answers)", pub)
	}
}
