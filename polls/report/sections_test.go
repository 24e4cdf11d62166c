package report_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/report"
)

// day3 is when the fixture's proposals and comments are written: a day
// without statement votes.
var day3 = t0.Add(72 * time.Hour)

// citizens adds n signed-in users (with their participants) who consent
// to region statistics and live in kecamatan region ("" for none).
func (w *world) citizens(t *testing.T, n int, region string) []*forum.Participant {
	t.Helper()
	ctx := context.Background()
	var out []*forum.Participant
	for range n {
		u := &forum.User{DisplayName: "Warga", Role: forum.RoleParticipant, Lang: "id", TimeZone: "Asia/Jakarta"}
		if err := forumtest.CreateUser(ctx, w.db, u, t0); err != nil {
			t.Fatal(err)
		}
		p, err := forum.UserParticipant(ctx, w.db, u, t0)
		if err != nil {
			t.Fatal(err)
		}
		if region != "" {
			if err := forum.NewStore(w.db, func() time.Time { return t0 }).GrantConsent(ctx, u.ID, forum.ConsentRegion); err != nil {
				t.Fatal(err)
			}
			if err := forum.NewStore(w.db, func() time.Time { return t0 }).SetProfileAnswers(ctx, u.ID, map[string]string{"kecamatan": region}); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, p)
	}
	return out
}

// proposal stores a proposal as an import or a moderator would leave it.
func (w *world) proposal(t *testing.T, author int64, title, state string, group int64, supports int, status, answer string) *forum.Proposal {
	t.Helper()
	p := &forum.Proposal{ConsultationID: w.c.ID, FocusGroupID: group, AuthorID: author, Title: title, Body: "Isi " + title,
		State: state, Status: status, Answer: answer, Supports: supports, Source: "test", SourceKey: title,
		CreatedAt: day3, UpdatedAt: day3}
	if answer != "" {
		p.AnsweredAt = day3.Add(time.Hour)
	}
	if _, err := w.db.NewInsert().Model(p).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	return p
}

func (w *world) comment(t *testing.T, author int64, p *forum.Proposal, group int64, body string, deleted bool) {
	t.Helper()
	c := &forum.Comment{ConsultationID: w.c.ID, ProposalID: p.ID, FocusGroupID: group, AuthorID: author, Body: body,
		State: forum.StatePublished, Source: "test", SourceKey: body, CreatedAt: day3.Add(time.Minute)}
	if deleted {
		c.DeletedAt = day3.Add(time.Hour)
	}
	if _, err := w.db.NewInsert().Model(c).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// fullWorld is a consultation with every section: two opinion camps,
// proposals (answered, unanswered, hidden, in a focus group), comments,
// supports, citizens with regions, a poll and an anonymous survey.
func fullWorld(t *testing.T) (*world, []polls.QuestionResult) {
	t.Helper()
	ctx := context.Background()
	w := newWorld(t)
	w.vote(t, camps(24))
	low := w.citizens(t, 2, "Lowokwaru")
	low = append(low, w.citizens(t, 1, "  lowokwaru ")...)
	lone := w.citizens(t, 1, "Blimbing")
	p1 := w.proposal(t, low[0].ID, "Taman bermain di RW 03", forum.StatePublished, 0, 12, forum.AnswerAccepted, "Akan dibangun tahun depan.")
	w.proposal(t, low[1].ID, "Lampu jalan", forum.StatePublished, 0, 5, "", "")
	w.proposal(t, low[2].ID, "Usulan tersembunyi", forum.StateHidden, 0, 50, "", "")
	w.proposal(t, lone[0].ID, "Usulan kelompok terfokus", forum.StatePublished, 7, 40, "", "")
	w.comment(t, lone[0].ID, p1, 0, "Setuju sekali", false)
	w.comment(t, low[1].ID, p1, 0, "Komentar terhapus", true)
	w.comment(t, low[1].ID, p1, 7, "Komentar kelompok terfokus", false)
	for _, who := range low[1:] {
		if _, err := w.db.ExecContext(ctx, "INSERT INTO supports (proposal_id, participant_id, created_at) VALUES (?, ?, ?)",
			p1.ID, who.ID, day3); err != nil {
			t.Fatal(err)
		}
	}
	poll := &polls.Survey{ConsultationID: w.c.ID, Title: "Lokasi taman baru", OpensAt: t0, ClosesAt: t0.Add(30 * 24 * time.Hour)}
	qs := []polls.Question{{Code: "lokasi", Kind: polls.KindSingle, Text: "Di mana taman baru?", Required: true,
		Spec: polls.Spec{Options: []string{"Utara", "Selatan", "Timur"}}}}
	if err := polls.NewStore(w.db, func() time.Time { return t0 }).CreateSurvey(ctx, forum.Viewer{}, poll, qs); err != nil {
		t.Fatal(err)
	}
	anon := &polls.Survey{ConsultationID: w.c.ID, Title: "Survei anonim", Anonymous: true, OpensAt: t0, ClosesAt: t0.Add(30 * 24 * time.Hour)}
	aqs := []polls.Question{{Code: "saran", Kind: polls.KindText, Text: "Saran Anda?"}}
	if err := polls.NewStore(w.db, func() time.Time { return t0 }).CreateSurvey(ctx, forum.Viewer{}, anon, aqs); err != nil {
		t.Fatal(err)
	}
	_, qs, _ = polls.SurveyByID(ctx, w.db, poll.ID)
	_, aqs, _ = polls.SurveyByID(ctx, w.db, anon.ID)
	for i, pick := range []int{1, 1, 0, 2, 1, 0} {
		if _, err := polls.NewStore(w.db, func() time.Time { return day3 }).Submit(ctx, forum.GuestViewer(w.ppl[i].ID), poll, qs, polls.Answers{"lokasi": {Choices: []int{pick}}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := polls.NewStore(w.db, func() time.Time { return day3 }).Submit(ctx, forum.GuestViewer(w.ppl[0].ID), anon, aqs, polls.Answers{"saran": {Text: "rahasia pribadi saya"}}); err != nil {
		t.Fatal(err)
	}
	all, err := polls.AllAnswers(ctx, w.db, poll, poll.Deadline())
	if err != nil {
		t.Fatal(err)
	}
	want, err := polls.Results(qs, all)
	if err != nil {
		t.Fatal(err)
	}
	return w, want
}

func TestReportSections(t *testing.T) {
	w, want := fullWorld(t)
	r := build(t, w)
	b, _ := json.Marshal(r)
	for _, secret := range []string{"tersembunyi", "terfokus", "terhapus", "rahasia"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("report leaks %q", secret)
		}
	}
	if r.Proposals.Total != 2 || len(r.Proposals.Top) != 2 || r.Proposals.Top[0].Title != "Taman bermain di RW 03" ||
		r.Proposals.Top[0].Status != forum.AnswerAccepted || r.Proposals.Top[0].Answer != "Akan dibangun tahun depan." ||
		r.Proposals.Top[1].Status != "" || r.Proposals.Top[0].Supports != 12 {
		t.Errorf("proposals %+v", r.Proposals)
	}
	last := r.Participation[len(r.Participation)-1]
	// Day 3: 2 public proposals, 1 public comment; the three Lowokwaru
	// citizens (proposals, supports), lone (comment) and 6 poll
	// respondents who voted before.
	if last.Date != "2026-11-04" || last.Proposals != 2 || last.Comments != 1 || last.Votes != 0 || last.Participants != 4+6 || last.New != 4 {
		t.Errorf("day 3: %+v", last)
	}
	if tt := r.Totals; tt.Proposals != 2 || tt.Comments != 1 || tt.Supports != 2 || tt.Responses != 6 || tt.Participants != 24+4 {
		t.Errorf("totals %+v", tt)
	}
	wantRegions := []report.Region{
		{Name: "Lowokwaru", Participants: 3, Proposals: 2},
		{Unknown: true, Participants: 24 + 1, Votes: 24 * (len(texts) - 1), Comments: 1},
	}
	if !slices.Equal(r.Regions, wantRegions) {
		t.Errorf("regions\n got %+v\nwant %+v", r.Regions, wantRegions)
	}
	if len(r.Polls) != 2 || r.Polls[0].Title != "Lokasi taman baru" || r.Polls[0].Respondents != 6 || r.Polls[0].Status != report.PollOpen {
		t.Fatalf("polls %+v", r.Polls)
	}
	got := r.Polls[0].Questions[0]
	if !slices.Equal(got.Summary.Winners, want[0].Summary.Winners) || !slices.Equal(got.Summary.Winners, []int{1}) ||
		!slices.Equal(got.Votes(), want[0].Votes()) {
		t.Errorf("poll result %+v, results page %+v", got.Summary, want[0].Summary)
	}
	// The anonymous survey's one answer waits for its batch
	// (polls.AnonymousBatch) while the survey is open.
	if a := r.Polls[1]; !a.Anonymous || a.Questions[0].Answered != 0 || a.Respondents != 0 || a.Questions[0].Texts != nil {
		t.Errorf("anonymous survey %+v", a)
	}

	var md strings.Builder
	if err := report.WriteMarkdown(&md, r, "en"); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"## Most supported proposals", "Taman bermain di RW 03", "Official answer: Akan dibangun tahun depan.",
		"## Poll and survey results", "### Lokasi taman baru (open, 6 respondents)", "winner: Selatan", "## Participation by district",
		"| Lowokwaru | 3 |", "| 2026-11-04 | 10 | 4 | 0 | 2 | 1 |"} {
		if !strings.Contains(md.String(), s) {
			t.Errorf("markdown lacks %q:\n%s", s, md.String())
		}
	}
	var out strings.Builder
	if err := report.WriteCSVSections(&out, r, "en"); err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(strings.NewReader(out.String()))
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	sections := map[string][][]string{}
	cur := "statements"
	for _, rec := range recs {
		if len(rec) == 1 && strings.HasPrefix(rec[0], "# ") {
			cur = rec[0][2:]
			continue
		}
		sections[cur] = append(sections[cur], rec)
	}
	terms := 1
	for _, g := range r.Opinion.Groups {
		terms += len(g.KeyTerms)
	}
	for name, rows := range map[string]int{"statements": len(texts), "participation": 5, "regions": 3, "proposals": 3, "polls": 5, "key-terms": terms} {
		if len(sections[name]) != rows {
			t.Errorf("csv section %s: %d rows, want %d: %v", name, len(sections[name]), rows, sections[name])
		}
	}
	if p := sections["proposals"]; len(p) > 1 && (p[1][2] != "Taman bermain di RW 03" || p[1][5] != "accepted") {
		t.Errorf("csv proposals %v", p)
	}
	if p := sections["polls"]; len(p) > 1 && fmt.Sprint(p[1][7], "/", p[1][12]) != "Selatan/Selatan" {
		t.Errorf("csv polls %v", p)
	}
}
