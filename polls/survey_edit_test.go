package polls_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
)

// TestEditQuestionsLockRule builds a survey question by question, reorders
// it, refuses a condition on a later question, then locks the questions and
// the anonymous setting at the first response while the title stays
// editable, and duplicates it into a survey without responses that can be
// edited again.
func TestEditQuestionsLockRule(t *testing.T) {
	ctx := context.Background()
	db, c := mustDB(t)
	s := &polls.Survey{ConsultationID: c.ID, Title: "Baru", OpensAt: t0, ClosesAt: t0.Add(48 * time.Hour)}
	if err := polls.NewStore(db, func() time.Time { return t0 }).CreateEmptySurvey(ctx, forum.Viewer{}, s); err != nil {
		t.Fatal(err)
	}
	add := func(q polls.Question) error {
		return polls.NewStore(db, nil).EditQuestions(ctx, forum.Viewer{}, s.ID, func(qs []polls.Question) ([]polls.Question, error) {
			return append(qs, q), nil
		})
	}
	if err := add(polls.Question{Code: "a", Kind: polls.KindYesNo, Text: "Setuju?", Required: true}); err != nil {
		t.Fatal(err)
	}
	if err := add(polls.Question{Code: "b", Kind: polls.KindText, Text: "Mengapa?", Spec: polls.Spec{ShowIf: &polls.Condition{Question: "a", Value: 1}}}); err != nil {
		t.Fatal(err)
	}
	// Moving b above a breaks its condition: refused, nothing changes.
	err := polls.NewStore(db, nil).EditQuestions(ctx, forum.Viewer{}, s.ID, func(qs []polls.Question) ([]polls.Question, error) {
		return []polls.Question{qs[1], qs[0]}, nil
	})
	var e *errs.Error
	if !errors.As(err, &e) || e.Key != "poll.error.bad_condition" {
		t.Fatalf("condition on a later question: %v", err)
	}
	if err := add(polls.Question{Code: "c", Kind: polls.KindSingle, Text: "Pilih", Spec: polls.Spec{Options: []string{"x"}}}); err == nil {
		t.Fatal("a single choice with one option was stored")
	}
	_, qs, _ := polls.SurveyByID(ctx, db, s.ID)
	if codes := codesOf(qs); !slices.Equal(codes, []string{"a", "b"}) {
		t.Fatalf("questions after refused edits: %v", codes)
	}

	pid := mustParticipant(t, db, 1)
	if _, err := polls.NewStore(db, func() time.Time { return t0.Add(time.Hour) }).Submit(ctx, forum.GuestViewer(pid), s, qs, polls.Answers{"a": {Choices: []int{1}}, "b": {Text: "Mahal"}}); err != nil {
		t.Fatal(err)
	}
	if err := add(polls.Question{Code: "d", Kind: polls.KindRating, Text: "Nilai"}); !errors.Is(err, polls.ErrQuestionsLocked) {
		t.Fatalf("edit after a response: %v", err)
	}
	s.Anonymous = true
	if err := polls.NewStore(db, nil).UpdateSurvey(ctx, forum.Viewer{}, s); !errors.Is(err, polls.ErrSettingsLocked) {
		t.Fatalf("anonymous after a response: %v", err)
	}
	s.Anonymous, s.Locked, s.Title = false, false, "Judul baru"
	if err := polls.NewStore(db, nil).UpdateSurvey(ctx, forum.Viewer{}, s); err != nil {
		t.Fatalf("title after a response: %v", err)
	}
	if n, _ := polls.ResponseCount(ctx, db, s.ID); n != 1 {
		t.Fatalf("responses: %d", n)
	}

	cp, err := polls.NewStore(db, func() time.Time { return t0 }).DuplicateSurvey(ctx, forum.Viewer{}, s.ID, "Salinan", t0.Add(72*time.Hour), t0.Add(96*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	got, cqs, _ := polls.SurveyByID(ctx, db, cp.ID)
	if got.Title != "Salinan" || !slices.Equal(codesOf(cqs), []string{"a", "b"}) || cqs[1].Spec.ShowIf == nil {
		t.Fatalf("copy: %+v %+v", got, cqs)
	}
	if n, _ := polls.ResponseCount(ctx, db, cp.ID); n != 0 {
		t.Fatalf("copy has %d responses", n)
	}
	if err := add(polls.Question{Code: "d", Kind: polls.KindRating, Text: "Nilai"}); err == nil {
		t.Fatal("the original unlocked")
	}
	if err := polls.NewStore(db, nil).EditQuestions(ctx, forum.Viewer{}, cp.ID, func(qs []polls.Question) ([]polls.Question, error) {
		return qs[:1], nil
	}); err != nil {
		t.Fatalf("edit the copy: %v", err)
	}
	if err := polls.NewStore(db, nil).SetSurveyTimes(ctx, forum.Viewer{}, cp.ID, time.Time{}, t0); !isInvalid(err) {
		t.Fatalf("closing before opening: %v", err)
	}
}

func codesOf(qs []polls.Question) []string {
	var out []string
	for _, q := range qs {
		out = append(out, q.Code)
	}
	return out
}

func isInvalid(err error) bool {
	var e *errs.Error
	return errors.As(err, &e) && e.Kind == errs.Invalid
}

// TestReplaceQuestionFollowsRename: renaming a question moves the
// conditions that pointed at it; other conditions and an unknown code are
// left alone.
func TestReplaceQuestionFollowsRename(t *testing.T) {
	qs := []polls.Question{
		{Code: "a", Kind: polls.KindYesNo, Text: "A?"},
		{Code: "b", Kind: polls.KindYesNo, Text: "B?", Spec: polls.Spec{ShowIf: &polls.Condition{Question: "a", Value: 0}}},
		{Code: "c", Kind: polls.KindText, Text: "C?", Spec: polls.Spec{ShowIf: &polls.Condition{Question: "b", Value: 1}}},
	}
	cond := qs[1].Spec.ShowIf
	got, err := polls.ReplaceQuestion(qs, "a", polls.Question{Code: "setuju", Kind: polls.KindYesNo, Text: "A?"})
	if err != nil || got[0].Code != "setuju" || got[1].Spec.ShowIf.Question != "setuju" || got[2].Spec.ShowIf.Question != "b" {
		t.Fatalf("rename: %+v %v", got, err)
	}
	if cond.Question != "a" {
		t.Fatal("the old condition value was changed in place")
	}
	if err := polls.CheckQuestions(got); err != nil {
		t.Fatalf("renamed questions do not check: %v", err)
	}
	if _, err := polls.ReplaceQuestion(got, "x", polls.Question{}); !errors.Is(err, errs.ErrNotFound) {
		t.Fatalf("unknown code: %v", err)
	}
}
