package opinion

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// mustCompute runs Compute and fails the test on error or when the result
// does not encode as JSON (NaN and Inf make json.Marshal fail).
func mustCompute(tb testing.TB, votes []Vote, o Options) Result {
	tb.Helper()
	res, err := Compute(votes, o)
	if err != nil {
		tb.Fatalf("Compute: %v", err)
	}
	if _, err := json.Marshal(res); err != nil {
		tb.Fatalf("json.Marshal(result): %v", err)
	}
	return res
}

// identical returns n participants casting the same votes on m statements.
func identical(n, m int, v func(j int) int8) []Vote {
	var out []Vote
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			out = append(out, Vote{Participant: int64(i + 1), Statement: int64(j + 1), Value: v(j)})
		}
	}
	return out
}

// withOutlier is 57 participants in two planted groups plus one who
// disagrees with everything the others agree with and votes on all.
func withOutlier() []Vote {
	p := plantVotes(3, 57, 30, 2, 0.9)
	votes := p.votes
	for j := 0; j < 30; j++ {
		votes = append(votes, Vote{Participant: 1, Statement: int64(j + 1), Value: -p.stance[0][j]})
	}
	return votes
}

// TestDegenerate covers CASES.md C20: small or degenerate conversations
// give a Reason instead of groups, never a group below MinGroupSize, and
// never NaN or Inf.
func TestDegenerate(t *testing.T) {
	agreeAll := func(int) int8 { return Agree }
	tests := []struct {
		name       string
		votes      []Vote
		reason     string // "" when groups are expected
		minGroups  int
		statements int
	}{
		{"no participants", nil, ReasonTooFewParticipants, 0, 0},
		{"one participant", identical(1, 10, agreeAll), ReasonTooFewParticipants, 0, 10},
		{"two participants", plantVotes(1, 2, 10, 2, 1).votes, ReasonTooFewParticipants, 0, 10},
		{"three participants", plantVotes(1, 3, 10, 2, 1).votes, ReasonTooFewParticipants, 0, 10},
		{"everyone identical", identical(40, 12, func(j int) int8 { return int8(j%3 - 1) }), ReasonNoVariance, 0, 12},
		{"all passes", identical(40, 12, func(int) int8 { return Pass }), ReasonNoVariance, 0, 12},
		{"too few votes each", plantVotes(1, 50, 30, 2, 0.1).votes, ReasonTooFewParticipants, 0, 30},
		{"one outlier among 58", withOutlier(), "", 2, 30},
		{"statement with a single pass and a participant who only passes", append(plantVotes(2, 40, 20, 2, 1).votes,
			Vote{Participant: 1, Statement: 99, Value: Pass}, Vote{Participant: 2, Statement: 5, Value: Pass},
			Vote{Participant: 2, Statement: 6, Value: Pass}), "", 2, 21},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustCompute(t, tt.votes, Options{Seed: 1})
			if res.Reason != tt.reason {
				t.Errorf("Reason = %q, want %q", res.Reason, tt.reason)
			}
			if tt.reason != "" && len(res.Groups) != 0 {
				t.Errorf("got %d groups with reason %q", len(res.Groups), res.Reason)
			}
			if len(res.Groups) < tt.minGroups {
				t.Errorf("got %d groups, want at least %d", len(res.Groups), tt.minGroups)
			}
			if len(res.Statements) != tt.statements {
				t.Errorf("got %d statements, want %d", len(res.Statements), tt.statements)
			}
			sizes := map[int]int{}
			for _, p := range res.Participants {
				if p.Group >= len(res.Groups) {
					t.Fatalf("participant %d in group %d of %d", p.ID, p.Group, len(res.Groups))
				}
				if p.Group >= 0 {
					sizes[p.Group]++
				}
			}
			for _, g := range res.Groups {
				if g.Size < 3 || sizes[g.ID] != g.Size {
					t.Errorf("group %d: Size %d, members %d; want equal and >= 3", g.ID, g.Size, sizes[g.ID])
				}
			}
		})
	}
}

func TestInvalidInput(t *testing.T) {
	tests := []struct {
		name  string
		votes []Vote
		opts  Options
		want  error
	}{
		{"vote value 2", []Vote{{1, 1, 2}}, Options{}, ErrInvalidVote},
		{"vote value -3", []Vote{{1, 1, 1}, {2, 1, -3}}, Options{}, ErrInvalidVote},
		{"negative MinVotes", nil, Options{MinVotes: -1}, ErrInvalidOptions},
		{"negative MaxK", nil, Options{MaxK: -2}, ErrInvalidOptions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Compute(tt.votes, tt.opts); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestPlantedGroups checks that planted groups are recovered, with their
// count, and that the output is deterministic for a seed.
func TestPlantedGroups(t *testing.T) {
	tests := []struct {
		name            string
		n, m, groups    int
		density, minARI float64
	}{
		{"two dense groups", 60, 20, 2, 0.9, 0.85},
		{"three sparse groups", 300, 80, 3, 0.2, 0.85},
		{"four groups", 400, 60, 4, 0.5, 0.85},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := plantVotes(11, tt.n, tt.m, tt.groups, tt.density)
			res := mustCompute(t, p.votes, Options{Seed: 5})
			if len(res.Groups) != tt.groups {
				t.Fatalf("found %d groups (reason %q), planted %d", len(res.Groups), res.Reason, tt.groups)
			}
			var got, want []int
			for _, q := range res.Participants {
				if q.Group >= 0 {
					got, want = append(got, q.Group), append(want, p.labels[q.ID])
				}
			}
			ari, err := AdjustedRandIndex(got, want)
			t.Logf("ARI %.3f", ari)
			if err != nil || ari < tt.minARI {
				t.Errorf("ARI = %.3f (err %v), want >= %.2f", ari, err, tt.minARI)
			}
			again := mustCompute(t, p.votes, Options{Seed: 5})
			if !reflect.DeepEqual(res, again) {
				t.Error("same votes and seed gave different results")
			}
		})
	}
}

// TestLaterVoteWins checks that a repeated (participant, statement) vote
// replaces the earlier one.
func TestLaterVoteWins(t *testing.T) {
	votes := []Vote{{1, 1, Agree}, {2, 1, Agree}, {1, 1, Disagree}}
	res := mustCompute(t, votes, Options{})
	want := Tally{Agree: 1, Disagree: 1}
	if len(res.Statements) != 1 || res.Statements[0].All != want {
		t.Fatalf("statements = %+v, want one with tally %+v", res.Statements, want)
	}
	if res.Participants[0].Votes != 1 {
		t.Errorf("participant 1 has %d votes, want 1", res.Participants[0].Votes)
	}
}
