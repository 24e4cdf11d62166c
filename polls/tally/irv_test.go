package tally

import (
	"errors"
	"reflect"
	"testing"
)

// round is the expected shape of one IRV round: votes per continuing option (by option
// index), eliminated options and reason.
type round struct {
	votes      map[int]int
	exhausted  int
	eliminated []int
	reason     Reason
}

func TestIRV(t *testing.T) {
	tests := []struct {
		name    string
		options int
		ballots [][]int
		outcome Outcome
		winners []int
		order   []int
		places  []int
		rounds  []round
	}{
		{
			// C02 (a): C is eliminated, its ballot moves to B, B wins 3–2.
			name: "C02a transfer decides", options: 3,
			ballots: ballots(times(2, A, B, C), times(2, B, A, C), times(1, C, B, A)),
			outcome: OutcomeWinner, winners: []int{B}, order: []int{B, A, C}, places: []int{2, 1, 3},
			rounds: []round{
				{votes: map[int]int{A: 2, B: 2, C: 1}, eliminated: []int{C}, reason: ReasonFewestVotes},
				{votes: map[int]int{A: 2, B: 3}, eliminated: []int{}, reason: ReasonMajority},
			},
		},
		{
			// C02 (b): A holds exactly 50% and must not win in round 1. B and C tie at 1
			// with no earlier round, so option order eliminates C (listed last); C's
			// ballot moves to B and A–B tie 2–2.
			name: "C02b exactly half is not a majority", options: 3,
			ballots: ballots(times(2, A, B), times(1, B, A), times(1, C, B)),
			outcome: OutcomeTie, winners: []int{A, B}, order: []int{A, B, C}, places: []int{1, 1, 3},
			rounds: []round{
				{votes: map[int]int{A: 2, B: 1, C: 1}, eliminated: []int{C}, reason: ReasonOptionOrder},
				{votes: map[int]int{A: 2, B: 2}, eliminated: []int{}, reason: ReasonAllTied},
			},
		},
		{
			name: "C02c two-way tie", options: 2,
			ballots: ballots(times(1, A, B), times(1, B, A)),
			outcome: OutcomeTie, winners: []int{A, B}, order: []int{A, B}, places: []int{1, 1},
			rounds: []round{{votes: map[int]int{A: 1, B: 1}, eliminated: []int{}, reason: ReasonAllTied}},
		},
		{
			name: "C02d no ballots", options: 3, ballots: nil,
			outcome: OutcomeNoVotes, winners: []int{}, order: []int{A, B, C}, places: []int{1, 1, 1},
			rounds: []round{{votes: map[int]int{A: 0, B: 0, C: 0}, eliminated: []int{}, reason: ReasonNoBallots}},
		},
		{
			name: "C02e one ballot", options: 3, ballots: times(1, C, A),
			outcome: OutcomeWinner, winners: []int{C}, order: []int{C, A, B}, places: []int{2, 2, 1},
			rounds: []round{{votes: map[int]int{A: 0, B: 0, C: 1}, eliminated: []int{}, reason: ReasonMajority}},
		},
		{
			name: "only blank ballots", options: 2, ballots: [][]int{{}, {}},
			outcome: OutcomeNoVotes, winners: []int{}, order: []int{A, B},
			rounds: []round{{votes: map[int]int{A: 0, B: 0}, exhausted: 2, eliminated: []int{}, reason: ReasonNoBallots}},
		},
		{
			// Round 1 A3 B2 C2 D2; B, C, D tie. Round 1 is the only round, so option
			// order eliminates D; its ballots (D>C) go to C: A3 B2 C4. B is eliminated,
			// B>A ballots give A 5 of 9: A wins, labelled as decided by tie-break.
			name: "tie-break by option order then majority", options: 4,
			ballots: ballots(times(3, A), times(2, B, A), times(2, C), times(2, D, C)),
			outcome: OutcomeTieBreak, winners: []int{A}, order: []int{A, C, B, D},
			rounds: []round{
				{votes: map[int]int{A: 3, B: 2, C: 2, D: 2}, eliminated: []int{D}, reason: ReasonOptionOrder},
				{votes: map[int]int{A: 3, B: 2, C: 4}, eliminated: []int{B}, reason: ReasonFewestVotes},
				{votes: map[int]int{A: 5, C: 4}, eliminated: []int{}, reason: ReasonMajority},
			},
		},
		{
			// Round 1 A4 B3 C2 D1: D is eliminated, its ballot goes to C: B3 C3 tie in
			// round 2; in round 1 C had fewer (2 < 3), so C is eliminated. C's own
			// ballots go to B; the D>C ballot is exhausted. B wins 5 of 9.
			name: "tie-break by earlier round", options: 4,
			ballots: ballots(times(4, A), times(3, B), times(2, C, B), times(1, D, C)),
			outcome: OutcomeTieBreak, winners: []int{B}, order: []int{B, A, C, D},
			rounds: []round{
				{votes: map[int]int{A: 4, B: 3, C: 2, D: 1}, eliminated: []int{D}, reason: ReasonFewestVotes},
				{votes: map[int]int{A: 4, B: 3, C: 3}, eliminated: []int{C}, reason: ReasonEarlierRound},
				{votes: map[int]int{A: 4, B: 5}, exhausted: 1, eliminated: []int{}, reason: ReasonMajority},
			},
		},
		{
			name: "zero-vote options go together, then a tie", options: 4,
			ballots: ballots(times(2, A), times(1, B), times(1, B, A)),
			outcome: OutcomeTie, winners: []int{A, B}, order: []int{A, B, C, D}, places: []int{1, 1, 3, 3},
			rounds: []round{
				{votes: map[int]int{A: 2, B: 2, C: 0, D: 0}, eliminated: []int{C, D}, reason: ReasonZeroVotes},
				{votes: map[int]int{A: 2, B: 2}, eliminated: []int{}, reason: ReasonAllTied},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := IRV(tt.options, tt.ballots)
			if err != nil {
				t.Fatal(err)
			}
			checkSummary(t, got.Summary, tt.outcome, tt.winners, tt.order, tt.places)
			if len(got.Rounds) != len(tt.rounds) {
				t.Fatalf("%d rounds, want %d: %+v", len(got.Rounds), len(tt.rounds), got.Rounds)
			}
			for i, want := range tt.rounds {
				r := got.Rounds[i]
				votes := map[int]int{}
				for _, ov := range r.Tallies {
					votes[ov.Option] = ov.Votes
					finite(t, ov.Share)
				}
				if !reflect.DeepEqual(votes, want.votes) || !reflect.DeepEqual(r.Eliminated, want.eliminated) || r.Reason != want.reason {
					t.Errorf("round %d = votes %v eliminated %v %s, want %v %v %s", r.Number,
						votes, r.Eliminated, r.Reason, want.votes, want.eliminated, want.reason)
				}
				if r.Exhausted != want.exhausted || r.Continuing+r.Exhausted != got.Ballots {
					t.Errorf("round %d: continuing %d exhausted %d, want exhausted %d of %d",
						r.Number, r.Continuing, r.Exhausted, want.exhausted, got.Ballots)
				}
			}
			mustJSON(t, got)
			// The count is deterministic: the same ballots always give the same result.
			again, _ := IRV(tt.options, tt.ballots)
			if !reflect.DeepEqual(got, again) {
				t.Error("second count differs")
			}
		})
	}
}

func TestIRVTiedRecordsTiedOptions(t *testing.T) {
	got, err := IRV(3, ballots(times(2, A, B), times(1, B, A), times(1, C, B)))
	if err != nil {
		t.Fatal(err)
	}
	if !got.TieBreakUsed || !reflect.DeepEqual(got.Rounds[0].Tied, []int{B, C}) {
		t.Errorf("TieBreakUsed %v, Tied %v; want true, [B C]", got.TieBreakUsed, got.Rounds[0].Tied)
	}
}

func TestRankedErrors(t *testing.T) {
	tests := []struct {
		name    string
		options int
		ballots [][]int
		kind    ErrorKind
		ballot  int
	}{
		{"no options", 0, nil, KindInvalidPoll, -1},
		{"option out of range", 3, [][]int{{A}, {A, 3}}, KindOptionRange, 1},
		{"negative option", 3, [][]int{{-1}}, KindOptionRange, 0},
		{"duplicate in ranking", 3, [][]int{{A, B}, {B}, {C, A, C}}, KindDuplicate, 2},
	}
	counters := map[string]func(int, [][]int) error{
		"IRV":     func(n int, b [][]int) error { _, err := IRV(n, b); return err },
		"Borda":   func(n int, b [][]int) error { _, err := Borda(n, b); return err },
		"Schulze": func(n int, b [][]int) error { _, err := Schulze(n, b); return err },
	}
	for _, tt := range tests {
		for name, count := range counters {
			t.Run(name+"/"+tt.name, func(t *testing.T) {
				var be *BallotError
				if err := count(tt.options, tt.ballots); !errors.As(err, &be) || be.Kind != tt.kind || be.Ballot != tt.ballot {
					t.Fatalf("err = %v, want kind %s ballot %d", err, tt.kind, tt.ballot)
				}
			})
		}
	}
}
