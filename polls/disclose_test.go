package polls_test

import (
	"fmt"
	"testing"

	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/tally"
)

func counted(votes ...int) []polls.QuestionResult {
	return []polls.QuestionResult{{Count: &tally.Count{Votes: votes}}}
}

// TestHiddenCells checks the breakdown rule at k = 5: small counts hidden,
// small groups hidden whole, and one more cell hidden wherever a single
// hidden cell could be worked out from a column's or a row's total.
func TestHiddenCells(t *testing.T) {
	group := func(respondents int, votes ...int) polls.Group {
		return polls.Group{Respondents: respondents, Results: counted(votes...)}
	}
	cases := []struct {
		name   string
		groups []polls.Group
		want   string
	}{
		{"one small count, and the next smallest with it", []polls.Group{group(12, 6, 5, 1)}, "[[false true true]]"},
		{"counts from k on and zeros shown", []polls.Group{group(10, 5, 5, 0)}, "[[false false false]]"},
		{"group under k hidden whole", []polls.Group{group(4, 4, 0, 0)}, "[[true true true]]"},
		{"two groups: a row with one hidden cell hides another", []polls.Group{group(20, 10, 10), group(8, 7, 1)}, "[[true true] [true true]]"},
		{"three groups: the rest stays", []polls.Group{group(20, 10, 10), group(20, 10, 10), group(7, 6, 1)},
			"[[true true] [false false] [true true]]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sums := make([]int, len(tc.groups[0].Results[0].Count.Votes))
			for _, g := range tc.groups {
				for o, v := range g.Results[0].Count.Votes {
					sums[o] += v
				}
			}
			overall := counted(sums...)
			got := polls.HiddenCells(overall, tc.groups, 5)
			if fmt.Sprint(got[0]) != tc.want {
				t.Fatalf("hidden %v, want %s", got[0], tc.want)
			}
		})
	}
	if got := polls.HiddenCells(counted(0, 0), []polls.Group{group(2, 1, 1)}, 1); fmt.Sprint(got[0]) != "[[false false]]" {
		t.Fatalf("k = 1 hides %v", got[0])
	}
}
