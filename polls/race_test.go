package polls_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
)

// TestFirstAnswersRaceQuestionEdits runs 20 first answers at once with a
// builder edit of the same survey's questions, several times. The lock
// rule (no question changes once someone has answered) must hold whoever
// wins: either the edit is refused and the answers are stored against the
// questions they were given, or the edit is stored and every answer that
// was filled in against the old questions is refused with ErrChanged.
// Nothing is ever stored against a question that no longer exists.
func TestFirstAnswersRaceQuestionEdits(t *testing.T) {
	ctx := context.Background()
	db, c := mustDB(t)
	clock := func() time.Time { return t0.Add(time.Hour) }
	st := polls.NewStore(db, clock)
	const answers = 20
	pids := make([]int64, answers)
	for i := range pids {
		pids[i] = mustParticipant(t, db, i)
	}
	edited, locked := 0, 0
	for round := range 20 {
		s, qs := mustSurvey(t, db, c.ID, polls.Survey{Title: fmt.Sprint("Putaran ", round)},
			polls.Question{Code: "a", Kind: polls.KindYesNo, Text: "Setuju?", Required: true})
		start := make(chan struct{})
		var wg sync.WaitGroup
		var mu sync.Mutex
		stored, changed := 0, 0
		for _, pid := range pids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := st.Submit(ctx, forum.GuestViewer(pid), s, qs, polls.Answers{"a": {Choices: []int{0}}})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					stored++
				case errors.Is(err, polls.ErrChanged):
					changed++
				default:
					t.Errorf("submit: %v", err)
				}
			}()
		}
		var editErr error
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			// From no head start to a few answers' worth, so that the
			// edit lands before, among and after the answers.
			time.Sleep(time.Duration(round%5) * 400 * time.Microsecond)
			editErr = st.EditQuestions(ctx, forum.Viewer{}, s.ID, func([]polls.Question) ([]polls.Question, error) {
				return []polls.Question{{Code: "b", Kind: polls.KindYesNo, Text: "Setuju sekarang?", Required: true}}, nil
			})
		}()
		close(start)
		wg.Wait()
		n, err := polls.ResponseCount(ctx, db, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		all, err := polls.AllAnswers(ctx, db, s, clock())
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case editErr == nil:
			edited++
			if stored != 0 || n != 0 || len(all) != 0 || changed != answers {
				t.Fatalf("round %d: the edit was stored, yet %d answers were stored (%d respondents, %d responses) and %d refused",
					round, stored, n, len(all), changed)
			}
		case errors.Is(editErr, polls.ErrQuestionsLocked):
			locked++
			if stored == 0 || stored+changed != answers || n != stored || len(all) != stored {
				t.Fatalf("round %d: the edit was refused; %d answers stored, %d refused, %d respondents, %d responses",
					round, stored, changed, n, len(all))
			}
			for _, a := range all {
				if _, ok := a["a"]; !ok {
					t.Fatalf("round %d: a response lost its question: %v", round, a)
				}
			}
		default:
			t.Fatalf("round %d: edit: %v", round, editErr)
		}
	}
	t.Logf("edits stored first: %d rounds; answers first: %d rounds", edited, locked)
}
