package polls_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/tally"
	"github.com/uptrace/bun"
)

var t0 = time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)

// mustDB returns a migrated database with one consultation.
func mustDB(tb testing.TB) (*bun.DB, *forum.Consultation) {
	tb.Helper()
	ctx := context.Background()
	db := storagetest.NewDB(tb)
	if err := forum.Migrate(ctx, db); err != nil {
		tb.Fatal(err)
	}
	if err := polls.Migrate(ctx, db); err != nil {
		tb.Fatal(err)
	}
	c := &forum.Consultation{Title: "Taman kota", Source: "test", SourceKey: "taman"}
	if err := forum.UpsertImportedConsultation(ctx, db, c, t0); err != nil {
		tb.Fatal(err)
	}
	return db, c
}

// mustSurvey creates a survey open from t0 to closes with questions qs.
func mustSurvey(tb testing.TB, db *bun.DB, cid int64, s polls.Survey, qs ...polls.Question) (*polls.Survey, []polls.Question) {
	tb.Helper()
	s.ConsultationID = cid
	if s.Title == "" {
		s.Title = "Jajak pendapat"
	}
	if s.OpensAt.IsZero() {
		s.OpensAt = t0
	}
	if s.ClosesAt.IsZero() {
		s.ClosesAt = t0.Add(30 * 24 * time.Hour)
	}
	if err := polls.NewStore(db, func() time.Time { return t0 }).CreateSurvey(context.Background(), forum.Viewer{}, &s, qs); err != nil {
		tb.Fatal(err)
	}
	got, gqs, err := polls.SurveyByID(context.Background(), db, s.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return got, gqs
}

// mustParticipant returns guest participant number i.
func mustParticipant(tb testing.TB, db bun.IDB, i int) int64 {
	tb.Helper()
	p, err := forum.EnsureParticipant(context.Background(), db, forum.ParticipantGuest, forum.ParticipantGuest, fmt.Sprintf("guest-%d", i), t0)
	if err != nil {
		tb.Fatal(err)
	}
	return p.ID
}

func ranked(opts ...string) polls.Question {
	return polls.Question{Code: "r", Kind: polls.KindRanked, Text: "Urutkan", Required: true, Spec: polls.Spec{Options: opts}}
}

func single(opts ...string) polls.Question {
	return polls.Question{Code: "s", Kind: polls.KindSingle, Text: "Pilih satu", Required: true, Spec: polls.Spec{Options: opts}}
}

func TestSubmitTimeWindowC03(t *testing.T) {
	db, c := mustDB(t)
	wib := time.FixedZone("WIB", 7*3600)
	s, qs := mustSurvey(t, db, c.ID, polls.Survey{
		OpensAt:  time.Date(2025, 12, 1, 8, 0, 0, 0, wib),
		ClosesAt: time.Date(2025, 12, 31, 23, 59, 0, 0, wib),
	}, single("A", "B"))
	if want := time.Date(2025, 12, 31, 16, 59, 0, 0, time.UTC); !s.ClosesAt.Equal(want) || s.ClosesAt.Location().String() != "UTC" {
		t.Fatalf("closes_at stored as %v, want %v", s.ClosesAt, want)
	}
	cases := []struct {
		name string
		at   string
		want error
	}{
		{"before opening", "2025-12-01T00:59:59Z", polls.ErrNotOpen},
		{"at opening", "2025-12-01T01:00:00Z", nil},
		{"within the closing minute", "2025-12-31T16:59:30Z", nil},
		{"last instant", "2025-12-31T16:59:59.999Z", nil},
		{"after the close", "2025-12-31T17:00:30Z", polls.ErrClosed},
		{"exactly one minute after", "2025-12-31T17:00:00Z", polls.ErrClosed},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			at, err := time.Parse(time.RFC3339Nano, tc.at)
			if err != nil {
				t.Fatal(err)
			}
			// A voter in WIT sends the same instant: zones never matter.
			at = at.In(time.FixedZone("WIT", 9*3600))
			pid := mustParticipant(t, db, i)
			_, err = polls.NewStore(db, func() time.Time { return at }).Submit(context.Background(), forum.GuestViewer(pid), s, qs, polls.Answers{"s": {Choices: []int{0}}})
			if !errors.Is(err, tc.want) && err != tc.want {
				t.Fatalf("submit at %s: %v, want %v", tc.at, err, tc.want)
			}
		})
	}
}

func TestSubmitConcurrentC01(t *testing.T) {
	cases := []struct {
		name      string
		survey    polls.Survey
		wantOK    int // submissions accepted
		anonymous bool
	}{
		{"editable: the last answer stays", polls.Survey{}, 20, false},
		{"locked: one accepted, the rest refused", polls.Survey{Locked: true}, 1, false},
		{"anonymous: one accepted, no link to the person", polls.Survey{Anonymous: true}, 1, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db, c := mustDB(t)
			s, qs := mustSurvey(t, db, c.ID, tc.survey, single("A", "B"))
			pid := mustParticipant(t, db, 1)
			var wg sync.WaitGroup
			var mu sync.Mutex
			ok, refused := 0, 0
			for i := 0; i < 20; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := polls.NewStore(db, func() time.Time { return t0.Add(time.Hour) }).Submit(context.Background(), forum.GuestViewer(pid), s, qs, polls.Answers{"s": {Choices: []int{i % 2}}})
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						ok++
					case errors.Is(err, polls.ErrAnswered):
						refused++
					default:
						t.Errorf("submit: %v", err)
					}
				}()
			}
			wg.Wait()
			if ok != tc.wantOK || ok+refused != 20 {
				t.Fatalf("accepted %d, refused %d; want %d accepted", ok, refused, tc.wantOK)
			}
			all, err := polls.AllAnswers(context.Background(), db, s, s.Deadline())
			if err != nil {
				t.Fatal(err)
			}
			res, err := polls.Results(qs, all)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 1 || res[0].Count.Ballots != 1 {
				t.Fatalf("%d responses, %d ballots; want exactly 1", len(all), res[0].Count.Ballots)
			}
			n, err := db.NewSelect().Table("survey_responses").Where("participant_id IS NOT NULL").Count(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if linked := n > 0; linked == tc.anonymous {
				t.Fatalf("responses linked to a participant: %d (anonymous %v)", n, tc.anonymous)
			}
			if done, _ := polls.HasAnswered(context.Background(), db, s.ID, pid); !done {
				t.Fatal("HasAnswered is false after answering")
			}
		})
	}
}

// TestRankedC02 stores the ballot sets of CASES C02 through Submit and
// counts them from the database.
func TestRankedC02(t *testing.T) {
	type ballots struct {
		n     int
		order []int
	}
	const A, B, C = 0, 1, 2
	cases := []struct {
		name    string
		ballots []ballots
		outcome tally.Outcome
		winners []int
		order   []int
		rounds  int
	}{
		{"a: C eliminated, B wins 3-2", []ballots{{2, []int{A, B, C}}, {2, []int{B, A, C}}, {1, []int{C, B, A}}}, tally.OutcomeWinner, []int{B}, []int{B, A, C}, 2},
		{"b: 50% is no majority; tie-break eliminates C, A-B tie", []ballots{{2, []int{A, B}}, {1, []int{B, A}}, {1, []int{C, B}}}, tally.OutcomeTie, []int{A, B}, []int{A, B, C}, 2},
		{"c: two ballots tie", []ballots{{1, []int{A, B}}, {1, []int{B, A}}}, tally.OutcomeTie, []int{A, B}, []int{A, B, C}, 2},
		{"d: no ballots", nil, tally.OutcomeNoVotes, []int{}, []int{A, B, C}, 1},
		{"e: one ballot", []ballots{{1, []int{C}}}, tally.OutcomeWinner, []int{C}, []int{C, A, B}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db, c := mustDB(t)
			s, qs := mustSurvey(t, db, c.ID, polls.Survey{}, ranked("A", "B", "C"))
			voter := 0
			for _, b := range tc.ballots {
				for i := 0; i < b.n; i++ {
					voter++
					if _, err := polls.NewStore(db, func() time.Time { return t0.Add(time.Hour) }).Submit(context.Background(), forum.GuestViewer(mustParticipant(t, db, voter)), s, qs, polls.Answers{"r": {Choices: b.order}}); err != nil {
						t.Fatal(err)
					}
				}
			}
			all, err := polls.AllAnswers(context.Background(), db, s, s.Deadline())
			if err != nil {
				t.Fatal(err)
			}
			res, err := polls.Results(qs, all)
			if err != nil {
				t.Fatal(err)
			}
			sum := res[0].Summary
			if sum.Outcome != tc.outcome || fmt.Sprint(sum.Winners) != fmt.Sprint(tc.winners) ||
				fmt.Sprint(sum.Order) != fmt.Sprint(tc.order) || len(res[0].IRV.Rounds) < tc.rounds {
				t.Fatalf("outcome %s winners %v order %v rounds %d; want %s %v %v %d",
					sum.Outcome, sum.Winners, sum.Order, len(res[0].IRV.Rounds), tc.outcome, tc.winners, tc.order, tc.rounds)
			}
		})
	}
}

func TestCreateSurveyRejects(t *testing.T) {
	db, c := mustDB(t)
	long := strings.Repeat("A", 1000)
	cases := []struct {
		name string
		s    polls.Survey
		qs   []polls.Question
		key  string
	}{
		{"no questions", polls.Survey{}, nil, "poll.error.no_questions"},
		{"1000-character option", polls.Survey{}, []polls.Question{single("A", long)}, "poll.error.too_long"},
		{"300+ character title", polls.Survey{Title: strings.Repeat("j", 301)}, []polls.Question{single("A", "B")}, "poll.error.too_long"},
		{"one option", polls.Survey{}, []polls.Question{single("A")}, "poll.error.option_count"},
		{"closes before opening", polls.Survey{OpensAt: t0, ClosesAt: t0.Add(-time.Hour)}, []polls.Question{single("A", "B")}, "poll.error.bad_times"},
		{"condition on a later question", polls.Survey{}, []polls.Question{
			{Code: "a", Kind: polls.KindYesNo, Text: "x", Spec: polls.Spec{ShowIf: &polls.Condition{Question: "b"}}},
			{Code: "b", Kind: polls.KindYesNo, Text: "y"}}, "poll.error.bad_condition"},
		{"min above max", polls.Survey{}, []polls.Question{{Code: "m", Kind: polls.KindMultiple, Text: "x",
			Spec: polls.Spec{Options: []string{"a", "b", "c"}, Min: 3, Max: 2}}}, "poll.error.bad_selection"},
		{"unknown method", polls.Survey{}, []polls.Question{{Code: "r", Kind: polls.KindRanked, Text: "x",
			Spec: polls.Spec{Options: []string{"a", "b"}, Method: "coombs"}}}, "poll.error.bad_method"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.s
			s.ConsultationID = c.ID
			if s.Title == "" {
				s.Title = "t"
			}
			if s.OpensAt.IsZero() {
				s.OpensAt, s.ClosesAt = t0, t0.Add(time.Hour)
			}
			err := polls.NewStore(db, func() time.Time { return t0 }).CreateSurvey(context.Background(), forum.Viewer{}, &s, tc.qs)
			var fe *errs.Error
			if !errors.As(err, &fe) || fe.Key != tc.key || fe.Kind != errs.Invalid {
				t.Fatalf("got %v, want %s", err, tc.key)
			}
		})
	}
}
