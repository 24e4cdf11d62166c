package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
)

// seedForum adds to f's consultation an answered public proposal, an
// unanswered one, a hidden one and a focus-group one, and a poll answered
// by six participants (three for "Selatan"). It returns the poll's id.
func seedForum(t *testing.T, f *fixture) int64 {
	t.Helper()
	ctx := context.Background()
	author, err := forum.EnsureParticipant(ctx, f.db, forum.ParticipantImported, "test", "author", now)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []forum.Proposal{
		{Title: "Taman bermain di RW 03", State: forum.StatePublished, Supports: 12, Status: forum.AnswerAccepted,
			Answer: "Akan **dibangun** tahun depan.", AnsweredAt: now},
		{Title: "Lampu jalan", State: forum.StatePublished, Supports: 5},
		{Title: "Usulan tersembunyi", State: forum.StateHidden, Supports: 50},
		{Title: "Usulan kelompok terfokus", State: forum.StatePublished, FocusGroupID: 9, Supports: 40},
	} {
		p.ConsultationID, p.AuthorID, p.Body, p.Source, p.SourceKey = f.c.ID, author.ID, "Isi", "test", p.Title
		p.CreatedAt, p.UpdatedAt = now.Add(-time.Hour), now
		if _, err := f.db.NewInsert().Model(&p).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	poll := &polls.Survey{ConsultationID: f.c.ID, Title: "Lokasi taman baru", OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(24 * time.Hour)}
	qs := []polls.Question{{Code: "lokasi", Kind: polls.KindSingle, Text: "Di mana taman baru?", Required: true,
		Spec: polls.Spec{Options: []string{"Utara", "Selatan", "Timur"}}}}
	if err := polls.NewStore(f.db, func() time.Time { return now }).CreateSurvey(ctx, forum.Viewer{}, poll, qs); err != nil {
		t.Fatal(err)
	}
	_, qs, err = polls.SurveyByID(ctx, f.db, poll.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, pick := range []int{1, 1, 0, 2, 1, 0} {
		p, err := forum.EnsureParticipant(ctx, f.db, forum.ParticipantImported, "test", fmt.Sprint("voter-", i), now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := polls.NewStore(f.db, func() time.Time { return now }).Submit(ctx, forum.GuestViewer(p.ID), poll, qs, polls.Answers{"lokasi": {Choices: []int{pick}}}); err != nil {
			t.Fatal(err)
		}
	}
	return poll.ID
}

// TestReportSectionsPageAndAPI checks the proposals, polls and
// participation sections on the page and in the JSON, and that nothing of
// hidden or focus-group proposals leaks.
func TestReportSectionsPageAndAPI(t *testing.T) {
	f := newFixture(t)
	seedCamps(t, f, 24)
	pollID := seedForum(t, f)
	publish(t, f)
	c := browser(t)
	code, body := get(t, c, f.url+"/k/"+f.c.Slug+"/report?lang=en")
	if code != 200 {
		t.Fatalf("report page: %d\n%s", code, body)
	}
	for _, want := range []string{"Most supported proposals", "Taman bermain di RW 03", "<strong>dibangun</strong>", "Accepted",
		"No official answer yet", "Poll and survey results", `href="/survei/` + fmt.Sprint(pollID) + `/results"`,
		`<svg class="chart"`, "Selatan", `<details class="report-data">`, `<desc id="bars-votes-desc">`, "Proposals per day"} {
		if !strings.Contains(body, want) {
			t.Errorf("report page lacks %q", want)
		}
	}
	for _, secret := range []string{"tersembunyi", "terfokus", "Rahasia"} {
		if strings.Contains(body, secret) {
			t.Errorf("report page leaks %q", secret)
		}
	}
	code, body = get(t, c, f.url+"/api/v1/consultations/"+fmt.Sprint(f.c.ID)+"/report")
	var rep struct {
		Proposals struct {
			Total int `json:"total"`
			Top   []struct {
				Title, Status, Answer string
			} `json:"top"`
		} `json:"proposals"`
		Polls []struct {
			ID        int64 `json:"id"`
			Questions []struct {
				Summary struct {
					Winners []int `json:"winners"`
				} `json:"summary"`
			} `json:"questions"`
		} `json:"polls"`
		Participation []struct {
			Proposals int `json:"proposals"`
		} `json:"participation"`
	}
	if err := json.Unmarshal([]byte(body), &rep); code != 200 || err != nil {
		t.Fatalf("API: %d %v %s", code, err, body)
	}
	if strings.Contains(body, "tersembunyi") || strings.Contains(body, "terfokus") {
		t.Fatal("API leaks a hidden or focus-group proposal")
	}
	if rep.Proposals.Total != 2 || len(rep.Proposals.Top) != 2 || rep.Proposals.Top[0].Status != "accepted" ||
		rep.Proposals.Top[0].Answer != "Akan **dibangun** tahun depan." {
		t.Errorf("API proposals %+v", rep.Proposals)
	}
	proposals := 0
	for _, d := range rep.Participation {
		proposals += d.Proposals
	}
	if proposals != 2 {
		t.Errorf("participation counts %d proposals, want 2", proposals)
	}
	// The report's poll result is the results page's.
	_, rb := get(t, c, f.url+fmt.Sprintf("/api/v1/polls/%d/results", pollID))
	var res struct {
		Questions []struct {
			Detail struct {
				Summary struct {
					Winners []int `json:"winners"`
				} `json:"summary"`
			} `json:"detail"`
		} `json:"questions"`
	}
	if err := json.Unmarshal([]byte(rb), &res); err != nil || len(res.Questions) != 1 || len(rep.Polls) != 1 {
		t.Fatalf("poll results: %v %s", err, rb)
	}
	if got, want := rep.Polls[0].Questions[0].Summary.Winners, res.Questions[0].Detail.Summary.Winners; !slices.Equal(got, want) || !slices.Equal(got, []int{1}) {
		t.Errorf("report winners %v, results page %v", got, want)
	}
}

// TestReportPageShowsQuietStretch: votes a year apart give a report whose
// per-day table says how long nothing happened, with dates in the reader's
// language, and whose bars stand apart on the time axis.
func TestReportPageShowsQuietStretch(t *testing.T) {
	f := newFixture(t)
	seedCamps(t, f, 24)
	if _, err := f.db.NewRaw("UPDATE statement_votes SET voted_at = ? WHERE voted_at < ?", now.AddDate(-1, 0, 0), now.Add(-36*time.Hour)).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	publish(t, f)
	_, body := get(t, browser(t), f.url+"/k/"+f.c.Slug+"/report")
	for _, want := range []string{"Tidak ada kegiatan (363 hari, semua 0)", "30 Nov 2025 – 27 Nov 2026", "<td>29 Nov 2026</td>"} {
		if !strings.Contains(body, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(body, "<td>2026-11-29</td>") {
		t.Error("a raw date in the table")
	}
}
