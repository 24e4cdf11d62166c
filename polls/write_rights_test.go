package polls_test

import (
	"context"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
)

// TestVoteAndAnswerReadRightsAgain: a statement vote and a survey answer
// whose viewer and consultation were loaded while the phase allowed them
// are refused (errs.Forbidden) when, before the write, the phase moved on
// to one without statements and polls, and again when the consultation was
// closed; the refused writes store nothing. CastVote and Submit decide the
// right inside their transaction. SQLite and PostgreSQL.
func TestVoteAndAnswerReadRightsAgain(t *testing.T) {
	ctx := context.Background()
	db, c := mustDB(t)
	st := polls.NewStore(db, func() time.Time { return t0.Add(time.Hour) })
	fs := forum.NewStore(db, func() time.Time { return t0.Add(time.Hour) })
	admin := mustViewer(t, db, "admin", forum.RoleAdmin)
	open := &forum.Phase{ConsultationID: c.ID, Kind: "information", Features: forum.FeatureStatements + "," + forum.FeaturePolls,
		StartsAt: t0, EndsAt: t0.Add(24 * time.Hour)}
	if err := fs.SchedulePhase(ctx, admin, open); err != nil {
		t.Fatal(err)
	}
	stmt, err := st.SeedStatement(ctx, admin, c.ID, "Taman perlu lampu")
	if err != nil {
		t.Fatal(err)
	}
	sv, qs := mustSurvey(t, db, c.ID, polls.Survey{}, single("A", "B"))
	page := *c // the consultation as the page loaded it: open
	cara := mustViewer(t, db, "cara", forum.RoleParticipant)
	guest := forum.GuestViewer(mustParticipant(t, db, 1))
	for _, v := range []forum.Viewer{cara, guest} {
		if err := st.CastVote(ctx, v, &page, stmt.ID, polls.Agree); err != nil {
			t.Fatalf("vote while the phase has statements: %v", err)
		}
		if _, err := st.Submit(ctx, v, sv, qs, polls.Answers{"s": {Choices: []int{0}}}); err != nil {
			t.Fatalf("answer while the phase has polls: %v", err)
		}
	}
	refused := func(when string) {
		t.Helper()
		for _, v := range []forum.Viewer{cara, guest} {
			if err := st.CastVote(ctx, v, &page, stmt.ID, polls.Disagree); errs.KindOf(err) != errs.Forbidden {
				t.Fatalf("vote %s: %v, want forbidden", when, err)
			}
			if _, err := st.Submit(ctx, v, sv, qs, polls.Answers{"s": {Choices: []int{1}}}); errs.KindOf(err) != errs.Forbidden {
				t.Fatalf("answer %s: %v, want forbidden", when, err)
			}
		}
		var agree, disagree int
		if err := db.NewSelect().Table("statements").Column("agree_count", "disagree_count").Where("id = ?", stmt.ID).
			Scan(ctx, &agree, &disagree); err != nil {
			t.Fatal(err)
		}
		all, err := polls.AllAnswers(ctx, db, sv, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if agree != 2 || disagree != 0 || len(all) != 2 {
			t.Fatalf("%s: %d agree, %d disagree, %d responses; want the two first votes and answers only", when, agree, disagree, len(all))
		}
		for _, a := range all {
			if a["s"].Choices[0] != 0 {
				t.Fatalf("%s: an answer was replaced: %v", when, a)
			}
		}
	}

	if err := fs.RemovePhase(ctx, admin, c.ID, open.ID); err != nil {
		t.Fatal(err)
	}
	if err := fs.SchedulePhase(ctx, admin, &forum.Phase{ConsultationID: c.ID, Kind: "information", Features: forum.FeatureComments,
		StartsAt: t0, EndsAt: t0.Add(24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	refused("after the phase moved on to one without statements and polls")

	closed := *c
	if err := fs.UpdateConsultation(ctx, admin, &closed, forum.ConsultationInput{Title: c.Title, Status: forum.StatusClosed}); err != nil {
		t.Fatal(err)
	}
	refused("after the consultation closed")
}
