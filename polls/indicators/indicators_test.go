package indicators_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls/indicators"
)

// TestActiveKnownAnswers: three participants and a guest complainant with
// hand-counted daily, weekly and monthly figures in WIB, a participant
// active before the range (returning), and an action late on 30 November
// UTC that is 1 December in WIB.
func TestActiveKnownAnswers(t *testing.T) {
	db := newDB(t)
	f := newFixture(t, db)
	a, b, c := f.participant("a"), f.participant("b"), f.participant("c")
	s := f.statement(nil, wib("2026-10-01 08:00"))
	f.vote(s, a, wib("2026-11-02 10:00"))
	f.comment(a, wib("2026-11-10 09:00"))
	old := f.proposal(c, wib("2026-09-01 08:00"), 1, nil)
	f.support(old, b, wib("2026-10-30 08:00"))
	f.proposal(b, wib("2026-11-03 12:00"), 0, nil)
	f.exec(`INSERT INTO live_sessions (consultation_id, code, title, allow_guests, allow_anonymous, premoderate,
		questions_per_minute, open, version, created_at, updated_at) VALUES (?, 'abc', 't', TRUE, TRUE, FALSE, 3, TRUE, 1, ?, ?)`,
		f.cons, wib("2026-11-01 00:00"), wib("2026-11-01 00:00"))
	f.exec(`INSERT INTO live_questions (session_id, participant_id, author_name, text, status, answered, answered_at, upvotes, version,
		created_at, updated_at) SELECT id, ?, '', 'q', 'approved', TRUE, ?, 0, 1, ?, ? FROM live_sessions`,
		c, wib("2026-12-01 00:42"), wib("2026-12-01 00:30"), wib("2026-12-01 00:30"))
	f.complaint(complaintRow{channel: "whatsapp", phone: "+6281234", received: wib("2026-11-05 08:00")})
	f.complaint(complaintRow{channel: "sms", phone: "+6281234", received: wib("2026-11-20 08:00")})

	src := source(t, db, wib("2026-12-10 00:00"))
	r, err := indicators.Compute(context.Background(), src, indicators.Query{From: wib("2026-11-01 00:00"), To: wib("2026-12-02 00:00")})
	if err != nil {
		t.Fatal(err)
	}
	act := r.Active
	wantMonthly := []indicators.Bucket{{Period: "2026-11", Count: 3, New: 2, Returning: 1}, {Period: "2026-12", Count: 1, New: 0, Returning: 1}}
	if !reflect.DeepEqual(act.Monthly, wantMonthly) {
		t.Errorf("monthly = %+v, want %+v", act.Monthly, wantMonthly)
	}
	wantWeekly := []indicators.Bucket{{"2026-W44", 0, 0, 0, false}, {"2026-W45", 3, 2, 1, false}, {"2026-W46", 1, 0, 1, false},
		{"2026-W47", 1, 0, 1, false}, {"2026-W48", 0, 0, 0, false}, {"2026-W49", 1, 0, 1, false}}
	if !reflect.DeepEqual(act.Weekly, wantWeekly) {
		t.Errorf("weekly = %+v, want %+v", act.Weekly, wantWeekly)
	}
	if len(act.Daily) != 31 || act.Daily[1] != (indicators.Bucket{"2026-11-02", 1, 1, 0, false}) || act.Daily[30] != (indicators.Bucket{"2026-12-01", 1, 0, 1, false}) {
		t.Errorf("daily: %d days, 2 Nov %+v, 1 Dec %+v", len(act.Daily), act.Daily[1], act.Daily[30])
	}
	if act.Total != 4 || act.New != 2 {
		t.Errorf("total %d new %d, want 4 and 2", act.Total, act.New)
	}
	// Web has 3 people (a, b, c), WhatsApp and SMS one each: every cell is
	// under 5, so they are pooled into one cell of 5.
	wantCh := []indicators.Cell{{Count: 5, Pooled: true}}
	if !reflect.DeepEqual(act.ByChannel, wantCh) {
		t.Errorf("by channel = %+v, want %+v (every cell under 5)", act.ByChannel, wantCh)
	}
	if l := r.ResponseTime.Live; l.Questions != 1 || l.Answered != 1 || *l.Share != 1 || l.Minutes.N != 1 || *l.Minutes.Median != 12 {
		t.Errorf("live answers in range = %+v, want the one answered question, 12 minutes after it was asked", l)
	}
}

// TestComplaintFigures: response medians and p90 by interpolation, shares
// within the 5-working-day target, ratings pooled under five raters.
func TestComplaintFigures(t *testing.T) {
	db := newDB(t)
	f := newFixture(t, db)
	base := wib("2026-11-02 08:00") // a Monday
	for _, h := range []int{2, 4, 10} {
		f.complaint(complaintRow{agency: "Dinas A", received: base, first: ptr(base.Add(time.Duration(h) * time.Hour))})
	}
	// Open, no response, received three weeks before now: late.
	f.complaint(complaintRow{agency: "Dinas A", received: base})
	// Responded after 10 calendar days (7 working days, counted from the
	// next working day): late; answered after 22 days (14 working days and
	// 8 hours): late.
	f.complaint(complaintRow{agency: "Dinas B", received: base, first: ptr(base.AddDate(0, 0, 10)), answered: ptr(base.AddDate(0, 0, 22))})
	for i, rating := range []int{4, 4, 3, 3, 2} {
		at := base.Add(time.Duration(i) * time.Hour)
		f.complaint(complaintRow{agency: "Dinas C", received: at, first: &at, answered: &at, closed: &at, rating: rating, status: "closed"})
	}
	f.complaint(complaintRow{agency: "Dinas D", received: base, closed: &base, rating: 1, status: "closed"})

	now := wib("2026-11-25 08:00")
	r, err := indicators.Compute(context.Background(), source(t, db, now), indicators.Query{From: wib("2026-11-01 00:00"), To: wib("2026-12-01 00:00")})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]indicators.AgencyResponse{}
	for _, a := range r.ResponseTime.Complaints {
		got[a.Agency] = a
	}
	a := got["Dinas A"]
	if a.Complaints != 4 || a.Pending != 1 || *a.FirstResponse.Median != 4 || *a.FirstResponse.P90 != 8.8 || *a.WithinResponse != 0.75 {
		t.Errorf("Dinas A = %+v (median %v p90 %v within %v), want 4 complaints, 1 pending, median 4, p90 8.8, within 0.75",
			a, *a.FirstResponse.Median, *a.FirstResponse.P90, *a.WithinResponse)
	}
	b := got["Dinas B"]
	if *b.FirstResponse.Median != 240 || *b.Resolution.Median != 528 || *b.WithinResponse != 0 || *b.WithinResolution != 0 {
		t.Errorf("Dinas B: first %v, resolution %v, within %v and %v; want 240, 528, 0, 0",
			*b.FirstResponse.Median, *b.Resolution.Median, *b.WithinResponse, *b.WithinResolution)
	}
	c := got["Dinas C"]
	if *c.FirstResponse.Median != 0 || *c.WithinResolution != 1 {
		t.Errorf("Dinas C: first %v, within resolution %v; want 0 and 1", *c.FirstResponse.Median, *c.WithinResolution)
	}
	rs := r.Satisfaction.ComplaintRatings
	if len(rs) != 1 || rs[0].Agency != "Dinas C" || rs[0].Respondents != 5 || *rs[0].Mean != 3.2 || *rs[0].Score != 80 {
		t.Fatalf("ratings = %+v, want only Dinas C (Dinas D's one rater pooled and dropped) with mean 3.2, score 80", rs)
	}
	if m := rs[0].Monthly; len(m) != 1 || m[0].Period != "2026-11" || *m[0].Value != 3.2 {
		t.Errorf("rating trend = %+v", m)
	}
	if r.Cost.Handled != 6 {
		t.Errorf("handled = %d, want 6 answered complaints", r.Cost.Handled)
	}
}

// TestProposalAnswerDays: a proposal passes its threshold of 2 at its
// second support and is answered three days later.
func TestProposalAnswerDays(t *testing.T) {
	db := newDB(t)
	f := newFixture(t, db)
	f.exec(`INSERT INTO consultation_rules (consultation_id, support_limit, support_threshold, guest_supports, premoderation, flag_threshold)
		VALUES (?, 0, 2, TRUE, FALSE, 3)`, f.cons)
	x, y := f.participant("x"), f.participant("y")
	p := f.proposal(x, wib("2026-11-01 08:00"), 2, ptr(wib("2026-11-08 08:00")))
	f.support(p, x, wib("2026-11-02 08:00"))
	f.support(p, y, wib("2026-11-05 08:00"))
	f.proposal(y, wib("2026-11-01 08:00"), 3, nil) // passed, waiting
	f.proposal(y, wib("2026-11-01 08:00"), 1, nil) // not passed
	r, err := indicators.Compute(context.Background(), source(t, db, wib("2026-11-20 00:00")),
		indicators.Query{From: wib("2026-11-01 00:00"), To: wib("2026-12-01 00:00"), By: []indicators.Granularity{indicators.Month}})
	if err != nil {
		t.Fatal(err)
	}
	pa := r.ResponseTime.Proposals
	if pa.Days.N != 1 || *pa.Days.Median != 3 || pa.Waiting != 1 {
		t.Errorf("proposal answers = %+v, want one answered after 3 days and one waiting", pa)
	}
}

// TestReliabilityOutagesAndCost: heartbeats with a 3-minute gap and a
// failed probe minute; 5xx share; cost per complaint and participant.
func TestReliabilityOutagesAndCost(t *testing.T) {
	db := newDB(t)
	ctx := context.Background()
	start := wib("2026-11-02 10:00")
	for m := 0; m < 60; m++ {
		if m >= 10 && m < 13 {
			continue
		}
		if err := indicators.Beat(ctx, db, "node-1", false, true, start.Add(time.Duration(m)*time.Minute), 100, 1); err != nil {
			t.Fatal(err)
		}
	}
	// A second beat in the same minute adds its counts.
	indicators.Beat(ctx, db, "node-1", false, true, start.Add(30*time.Second), 100, 3)
	indicators.Beat(ctx, db, "probe:example", true, false, start.Add(40*time.Minute), 0, 0)
	admin := forum.Viewer{User: &forum.User{ID: 1, Role: forum.RoleAdmin}}
	f := newFixture(t, db)
	f.exec(`INSERT INTO users (email, display_name, role, lang, time_zone, created_at) VALUES ('a@x', 'A', 'admin', 'id', '', ?)`, start)
	st := indicators.NewStore(db, func() time.Time { return start })
	if err := st.SaveSettings(ctx, admin, indicators.Settings{SMSPrice: 300, WhatsAppPrice: 500, TraditionalCost: 25000, AvailabilityGoal: 99.5}); err != nil {
		t.Fatal(err)
	}
	if err := st.AddCost(ctx, admin, &indicators.CostItem{Month: "2026-11", Category: indicators.CostHosting, Amount: 1_000_000}); err != nil {
		t.Fatal(err)
	}
	if err := st.AddCost(ctx, admin, &indicators.CostItem{Month: "2026-13", Category: indicators.CostHosting}); errs.KindOf(err) != errs.Invalid {
		t.Errorf("month 2026-13: err = %v, want invalid", err)
	}
	if err := st.AddCost(ctx, forum.Viewer{}, &indicators.CostItem{Month: "2026-11", Category: indicators.CostHosting}); errs.KindOf(err) != errs.Forbidden {
		t.Errorf("guest adds cost: err = %v, want forbidden", err)
	}
	for _, m := range []struct{ ch, state string }{{"sms", "sent"}, {"sms", "sent"}, {"sms", "sent"}, {"whatsapp", "sent"}, {"sms", "failed"}, {"email", "sent"}} {
		f.exec(`INSERT INTO message_outbox (channel, recipient, subject, body, code, lang, state, created_at, expires_at, not_before, finished_at)
			VALUES (?, 'x', '', 'b', '', 'id', ?, ?, 0, 0, ?)`, m.ch, m.state, start, start)
	}
	p := f.participant("p")
	f.comment(p, start)
	f.complaint(complaintRow{received: start, first: &start, answered: &start})
	f.complaint(complaintRow{received: start, first: &start, answered: &start})

	r, err := indicators.Compute(ctx, source(t, db, start.Add(time.Hour)), indicators.Query{From: wib("2026-11-01 00:00"), To: wib("2026-12-01 00:00")})
	if err != nil {
		t.Fatal(err)
	}
	rel := r.Reliability
	want := []indicators.Outage{{Start: start.Add(10 * time.Minute), End: start.Add(13 * time.Minute), Minutes: 3},
		{Start: start.Add(40 * time.Minute), End: start.Add(41 * time.Minute), Minutes: 1}}
	if len(rel.Outages) != 2 || !rel.Outages[0].Start.Equal(want[0].Start) || rel.Outages[0].Minutes != 3 ||
		!rel.Outages[1].Start.Equal(want[1].Start) || rel.Outages[1].Minutes != 1 {
		t.Errorf("outages = %+v, want %+v", rel.Outages, want)
	}
	if len(rel.Monthly) != 1 || rel.Monthly[0].Monitored != 60 || rel.Monthly[0].Down != 4 || *rel.Monthly[0].Availability != 93.333 || *rel.Monthly[0].Met {
		t.Errorf("availability = %+v", rel.Monthly)
	}
	if len(rel.Errors5xx) != 1 || rel.Errors5xx[0].Requests != 5800 || rel.Errors5xx[0].Errors != 60 {
		t.Errorf("5xx = %+v, want 5800 requests and 60 errors on one day", rel.Errors5xx)
	}
	c := r.Cost
	// Active: p and the two guest complaints without phone (each their own reporter) = 3.
	// Messages: 3 SMS × 300 + 1 WhatsApp × 500 = 1,400 (failed and email not counted).
	if c.SMS != 3 || c.WhatsApp != 1 || c.Digital != 1_001_400 || c.Handled != 2 || *c.PerComplaint != 500_700 ||
		*c.PerParticipant != 333_800 || c.TraditionalTotal != 50_000 {
		t.Errorf("cost = %+v", c)
	}
}

func TestPool(t *testing.T) {
	in := []indicators.Cell{{Label: "a", Count: 9}, {Label: "b", Count: 3}, {Label: "c", Count: 0}, {Label: "d", Count: 2}}
	got := indicators.Pool(in, 5, "lain")
	want := []indicators.Cell{{Label: "a", Count: 9}, {Label: "c", Count: 0}, {Label: "lain", Count: 5, Pooled: true}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Pool = %+v, want %+v", got, want)
	}
}

func TestLatencyQuantiles(t *testing.T) {
	bs := []indicators.HistBucket{{0.01, 50}, {0.1, 90}, {1, 100}, {posInf, 100}}
	if got, _ := indicators.HistogramQuantile(bs, 0.5); got != 0.01 {
		t.Errorf("p50 = %v, want 0.01", got)
	}
	if got, _ := indicators.HistogramQuantile(bs, 0.99); got < 0.909 || got > 0.911 {
		t.Errorf("p99 = %v, want 0.91", got)
	}
	if g := indicators.RouteGroup("GET /k/{slug}/results"); g != "/k" {
		t.Errorf("group = %q", g)
	}
}

// TestActiveAssistedApart: complaints, proposals and IKM answers an officer recorded
// for citizens at the desk count under the "assisted" channel, apart from
// the same kinds of entry made by citizens themselves; each assisted IKM
// answer is its own person, a paper import names no one.
func TestActiveAssistedApart(t *testing.T) {
	db := newDB(t)
	f := newFixture(t, db)
	at := wib("2026-11-05 09:00")
	f.exec(`INSERT INTO ikm_units (slug, name, created_at) VALUES ('darmo', 'Kelurahan Darmo', ?)`, at)
	ikmRow := func(pid any, assisted bool) {
		var when any
		consent := ""
		if assisted {
			when, consent = at, forum.ConsentVersion
		}
		f.exec(`INSERT INTO ikm_responses (unit_id, participant_id, period_key, starts_at, ends_at, u1, u2, u3, u4, u5, u6, u7, u8, u9,
			age_band, sex, education, occupation, assisted_at, assist_consent)
			SELECT id, ?, '2026-11', ?, ?, 3, 3, 3, 3, 3, 3, 3, 3, 3, '', '', '', '', ?, ? FROM ikm_units`, pid, at, at, when, consent)
	}
	for i := range 5 {
		ikmRow(f.participant(string(rune('a'+i))), false) // self-service web answers
		ikmRow(nil, true)                                 // assisted at the desk
	}
	ikmRow(nil, false) // a paper answer: no one to count
	for i := range 2 {
		id := f.complaint(complaintRow{phone: "+62812000" + string(rune('0'+i)), received: at})
		f.exec(`UPDATE complaints SET assisted_at = ?, assist_consent = ? WHERE id = ?`, at, forum.ConsentVersion, id)
	}
	f.proposal(f.participant("desk-1"), at, 0, nil)
	f.exec(`UPDATE proposals SET assisted = TRUE`)
	r, err := indicators.Compute(context.Background(), source(t, db, wib("2026-12-10 00:00")),
		indicators.Query{From: wib("2026-11-01 00:00"), To: wib("2026-12-01 00:00")})
	if err != nil {
		t.Fatal(err)
	}
	want := []indicators.Cell{{Label: indicators.ChannelWeb, Count: 5}, {Label: indicators.ChannelWhatsApp}, {Label: indicators.ChannelSMS},
		{Label: indicators.ChannelAssisted, Count: 8}}
	if !reflect.DeepEqual(r.Active.ByChannel, want) || r.Active.Total != 13 {
		t.Errorf("by channel %+v, total %d; want %+v, 13", r.Active.ByChannel, r.Active.Total, want)
	}
}
