package opinion

import (
	"math"
	"slices"
	"testing"
)

func TestStatisticalTests(t *testing.T) {
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"prop test 9 of 10", propTest(9, 10), 2 * math.Sqrt(11) * (10.0/11 - 0.5)},
		{"prop test 0 of 0", propTest(0, 0), 1},
		{"two-prop test 9/10 vs 1/10", twoPropTest(9, 1, 10, 10), 3.425395354310701},
		{"two-prop test pooled 1", twoPropTest(10, 10, 10, 10), 0},
		{"smooth 3 of 8", smooth(3, 8), 0.4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if math.Abs(tt.got-tt.want) > 1e-12 {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

// TestSummaries checks representative statements, majority opinions,
// consensus and divisiveness on two planted groups: statement 1 is agreed
// by both groups, the others split by the planted stances.
func TestSummaries(t *testing.T) {
	p := plantVotes(21, 120, 24, 2, 0.8)
	res := mustCompute(t, p.votes, Options{Seed: 2})
	if len(res.Groups) != 2 {
		t.Fatalf("found %d groups (reason %q), want 2", len(res.Groups), res.Reason)
	}
	// Map our group ids to planted ones by majority of members.
	votesFor := [2][2]int{}
	for _, q := range res.Participants {
		if q.Group >= 0 {
			votesFor[q.Group][p.labels[q.ID]]++
		}
	}
	planted := func(g int) int {
		if votesFor[g][0] >= votesFor[g][1] {
			return 0
		}
		return 1
	}
	for _, g := range res.Groups {
		if len(g.Representative) == 0 || len(g.Representative) > 5 {
			t.Errorf("group %d has %d representative statements, want 1..5", g.ID, len(g.Representative))
		}
		pg := planted(g.ID)
		for _, o := range g.Representative {
			j := o.Statement - 1
			mine, other := p.stance[pg][j], p.stance[1-pg][j]
			want := map[string]int8{"agree": Agree, "disagree": Disagree}[o.Direction]
			if mine != want || other == want {
				t.Errorf("group %d: statement %d %s, but planted stances are %d (group) and %d (other)",
					g.ID, o.Statement, o.Direction, mine, other)
			}
			if o.Direction == "agree" && o.AgreeIn <= o.AgreeOut {
				t.Errorf("group %d: agree statement %d has AgreeIn %.2f <= AgreeOut %.2f", g.ID, o.Statement, o.AgreeIn, o.AgreeOut)
			}
		}
	}
	if !slices.ContainsFunc(res.Majority, func(o Opinion) bool { return o.Statement == 1 && o.Direction == "agree" }) {
		t.Errorf("statement 1 (agreed by all) missing from majority %+v", res.Majority)
	}
	best := slices.MaxFunc(res.Statements, func(a, b StatementStats) int {
		return cmpFloat(a.Consensus, b.Consensus)
	})
	if best.ID != 1 {
		t.Errorf("highest consensus is statement %d (%.3f), want 1", best.ID, best.Consensus)
	}
	if len(res.Divisive) == 0 {
		t.Fatal("no divisive statements")
	}
	for _, id := range res.Divisive {
		if p.stance[0][id-1] == p.stance[1][id-1] {
			t.Errorf("divisive statement %d has the same planted stance in both groups", id)
		}
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
