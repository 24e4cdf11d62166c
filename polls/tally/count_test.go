package tally

import (
	"errors"
	"reflect"
	"testing"
)

func TestPlurality(t *testing.T) {
	tests := []struct {
		name     string
		options  int
		votes    []int
		outcome  Outcome
		winners  []int
		order    []int
		places   []int
		percents []float64
	}{
		{"clear winner", 3, []int{B, A, B, C, B}, OutcomeWinner, []int{B}, []int{B, A, C}, []int{2, 1, 2}, []float64{20, 60, 20}},
		{"tie for first", 3, []int{C, A, C, A, B}, OutcomeTie, []int{A, C}, []int{A, C, B}, []int{1, 3, 1}, []float64{40, 20, 40}},
		{"equal thirds show equal shares", 3, []int{A, B, C}, OutcomeTie, []int{A, B, C}, []int{A, B, C}, []int{1, 1, 1}, []float64{33.3, 33.3, 33.3}},
		{"no votes", 2, nil, OutcomeNoVotes, []int{}, []int{A, B}, []int{1, 1}, []float64{0, 0}},
		{"single vote", 2, []int{B}, OutcomeWinner, []int{B}, []int{B, A}, []int{2, 1}, []float64{0, 100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Plurality(tt.options, tt.votes)
			if err != nil {
				t.Fatal(err)
			}
			checkSummary(t, got.Summary, tt.outcome, tt.winners, tt.order, tt.places)
			if p := got.Percents(1); !reflect.DeepEqual(p, tt.percents) {
				t.Errorf("Percents(1) = %v, want %v", p, tt.percents)
			}
			finite(t, got.Shares...)
			mustJSON(t, got)
			counts := make([]int, tt.options)
			for _, v := range tt.votes {
				counts[v]++
			}
			same, err := FromCounts(counts)
			if err != nil || !reflect.DeepEqual(same, got) {
				t.Errorf("FromCounts = %+v, %v; want %+v", same, err, got)
			}
		})
	}
}

func TestApproval(t *testing.T) {
	rule := Selection{Min: 1, Max: 2}
	got, err := Approval(3, [][]int{{A, B}, {B}, {B, C}, {A}}, rule)
	if err != nil {
		t.Fatal(err)
	}
	checkSummary(t, got.Summary, OutcomeWinner, []int{B}, []int{B, A, C}, []int{2, 1, 3})
	if want := []float64{0.5, 0.75, 0.25}; !reflect.DeepEqual(got.Shares, want) {
		t.Errorf("Shares = %v, want %v", got.Shares, want)
	}
	if want := []float64{50, 75, 25}; !reflect.DeepEqual(got.Percents(0), want) {
		t.Errorf("Percents = %v, want %v", got.Percents(0), want)
	}

	errs := []struct {
		name    string
		ballots [][]int
		rule    Selection
		kind    ErrorKind
		ballot  int
	}{
		{"too few", [][]int{{A}, {}}, rule, KindTooFew, 1},
		{"too many", [][]int{{A, B, C}}, rule, KindTooMany, 0},
		{"duplicate", [][]int{{A}, {B, B}}, rule, KindDuplicate, 1},
		{"out of range", [][]int{{3}}, rule, KindOptionRange, 0},
		{"impossible rule", nil, Selection{Min: 2, Max: 1}, KindInvalidPoll, -1},
		{"min above options", nil, Selection{Min: 4}, KindInvalidPoll, -1},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Approval(3, tt.ballots, tt.rule)
			var be *BallotError
			if !errors.As(err, &be) || be.Kind != tt.kind || be.Ballot != tt.ballot {
				t.Fatalf("err = %v, want %s at ballot %d", err, tt.kind, tt.ballot)
			}
			if be.Key() != "poll.error."+string(tt.kind) || be.Error() == "" {
				t.Errorf("Key %q Error %q", be.Key(), be.Error())
			}
		})
	}
}

func TestYesNo(t *testing.T) {
	tests := []struct {
		name             string
		yes, no, abstain int
		passed           bool
		outcome          Outcome
	}{
		{"passes", 3, 2, 10, true, OutcomeWinner},
		{"tie does not pass", 2, 2, 0, false, OutcomeTie},
		{"rejected", 1, 4, 0, false, OutcomeWinner},
		{"only abstentions", 0, 0, 3, false, OutcomeNoVotes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := YesNo(tt.yes, tt.no, tt.abstain)
			if err != nil {
				t.Fatal(err)
			}
			if got.Passed != tt.passed || got.Outcome != tt.outcome || got.Ballots != tt.yes+tt.no {
				t.Errorf("got passed %v outcome %s ballots %d", got.Passed, got.Outcome, got.Ballots)
			}
			mustJSON(t, got)
		})
	}
	if _, err := YesNo(-1, 0, 0); err == nil {
		t.Error("negative total accepted")
	}
}
