package polls_test

import (
	"math/rand/v2"
	"testing"

	"github.com/rembug/rembug/polls"
)

// TestBreakdownsAgreeAcrossOrientations is the cross-table attack: the
// results broken down by question A show the joint counts of every other
// question Q with A, and the results broken down by Q show the same joint
// counts the other way round. If a cell is hidden in one table and shown
// in the other, reading both gives it away. For many random surveys the
// two tables must hide exactly the same cells (apart from cells that the
// overall results already show to be 0).
func TestBreakdownsAgreeAcrossOrientations(t *testing.T) {
	qs := []polls.Question{
		{Code: "q", Kind: polls.KindSingle, Text: "Q", Spec: polls.Spec{Options: []string{"a", "b", "c", "d"}}},
		{Code: "a", Kind: polls.KindSingle, Text: "A", Spec: polls.Spec{Options: []string{"w", "x", "y", "z", "v"}}},
	}
	const k = 5
	rng := rand.New(rand.NewPCG(1, 2))
	groupsBy := func(all []polls.Answers, by string, bi int) []polls.Group {
		split, err := polls.ResultsBy(qs, all, by)
		if err != nil {
			t.Fatal(err)
		}
		var gs []polls.Group
		for g, res := range split {
			gs = append(gs, polls.Group{Kind: polls.GroupOption, Option: g, Question: bi, Respondents: res[bi].Answered, Results: res})
		}
		return gs
	}
	leaks := 0
	for trial := 0; trial < 300; trial++ {
		var all []polls.Answers
		n := 20 + rng.IntN(60)
		for i := 0; i < n; i++ {
			// skewed answers, so that small cells are common
			all = append(all, polls.Answers{"q": {Choices: []int{min(rng.IntN(4), rng.IntN(4))}}, "a": {Choices: []int{min(rng.IntN(5), rng.IntN(5))}}})
		}
		overall, err := polls.Results(qs, all)
		if err != nil {
			t.Fatal(err)
		}
		byA := polls.HiddenCells(overall, groupsBy(all, "a", 1), k) // [question][group of A][option]
		byQ := polls.HiddenCells(overall, groupsBy(all, "q", 0), k) // [question][group of Q][option]
		for o := 0; o < 4; o++ {                                    // option of Q
			for g := 0; g < 5; g++ { // option of A
				known := overall[0].Votes()[o] == 0 || overall[1].Votes()[g] == 0
				if byA[0][g][o] != byQ[1][o][g] && !known {
					leaks++
					if leaks <= 3 {
						t.Errorf("trial %d: cell (q=%d, a=%d) hidden %v by A but %v by Q", trial, o, g, byA[0][g][o], byQ[1][o][g])
					}
				}
			}
		}
	}
	if leaks > 0 {
		t.Fatalf("%d cells hidden in one breakdown and shown in the other", leaks)
	}
}
