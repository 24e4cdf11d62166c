package tally

import (
	"reflect"
	"testing"
)

// c02 are the ballot sets of case C02, on options A, B, C.
var c02 = map[string][][]int{
	"a": ballots(times(2, A, B, C), times(2, B, A, C), times(1, C, B, A)),
	"b": ballots(times(2, A, B), times(1, B, A), times(1, C, B)),
	"c": ballots(times(1, A, B), times(1, B, A)),
	"d": nil,
	"e": times(1, C, A),
}

func TestBorda(t *testing.T) {
	tests := []struct {
		set     string
		points  []int
		outcome Outcome
		winners []int
		order   []int
		places  []int
	}{
		// (a) A 2·2+2·1=6, B 2·1+2·2+1=7, C 1·2=2.
		{"a", []int{6, 7, 2}, OutcomeWinner, []int{B}, []int{B, A, C}, []int{2, 1, 3}},
		// (b) A 2·2+1=5, B 2·1+2+1=5, C 2.
		{"b", []int{5, 5, 2}, OutcomeTie, []int{A, B}, []int{A, B, C}, []int{1, 1, 3}},
		{"c", []int{3, 3, 0}, OutcomeTie, []int{A, B}, []int{A, B, C}, []int{1, 1, 3}},
		{"d", []int{0, 0, 0}, OutcomeNoVotes, []int{}, []int{A, B, C}, []int{1, 1, 1}},
		{"e", []int{1, 0, 2}, OutcomeWinner, []int{C}, []int{C, A, B}, []int{2, 3, 1}},
	}
	for _, tt := range tests {
		t.Run("C02"+tt.set, func(t *testing.T) {
			got, err := Borda(3, c02[tt.set])
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Points, tt.points) {
				t.Errorf("Points = %v, want %v", got.Points, tt.points)
			}
			checkSummary(t, got.Summary, tt.outcome, tt.winners, tt.order, tt.places)
			mustJSON(t, got)
		})
	}
}

func TestSchulzeC02(t *testing.T) {
	tests := []struct {
		set       string
		outcome   Outcome
		winners   []int
		order     []int
		condorcet int
	}{
		// (a) B beats A 3–2 and C 4–1: Condorcet winner.
		{"a", OutcomeWinner, []int{B}, []int{B, A, C}, B},
		// (b) A–B 2–2 (the C>B ballot ranks B above unranked A), both beat C 3–1.
		{"b", OutcomeTie, []int{A, B}, []int{A, B, C}, -1},
		{"c", OutcomeTie, []int{A, B}, []int{A, B, C}, -1},
		{"d", OutcomeNoVotes, []int{}, []int{A, B, C}, -1},
		{"e", OutcomeWinner, []int{C}, []int{C, A, B}, C},
	}
	for _, tt := range tests {
		t.Run("C02"+tt.set, func(t *testing.T) {
			got, err := Schulze(3, c02[tt.set])
			if err != nil {
				t.Fatal(err)
			}
			checkSummary(t, got.Summary, tt.outcome, tt.winners, tt.order, nil)
			if got.CondorcetWinner != tt.condorcet {
				t.Errorf("CondorcetWinner = %d, want %d", got.CondorcetWinner, tt.condorcet)
			}
			mustJSON(t, got)
		})
	}
}

// TestSchulzeExample checks the 45-voter example used to present the method
// (Schulze 2011, and the Wikipedia article "Schulze method"): the result is
// E > A > C > B > D.
func TestSchulzeExample(t *testing.T) {
	const E = 4
	b := ballots(times(5, A, C, B, E, D), times(5, A, D, E, C, B), times(8, B, E, D, A, C),
		times(3, C, A, B, E, D), times(7, C, A, E, B, D), times(2, C, B, A, D, E),
		times(7, D, C, E, B, A), times(8, E, B, A, D, C))
	got, err := Schulze(5, b)
	if err != nil {
		t.Fatal(err)
	}
	wantD := [][]int{
		{0, 20, 26, 30, 22},
		{25, 0, 16, 33, 18},
		{19, 29, 0, 17, 24},
		{15, 12, 28, 0, 14},
		{23, 27, 21, 31, 0},
	}
	wantP := [][]int{
		{0, 28, 28, 30, 24},
		{25, 0, 28, 33, 24},
		{25, 29, 0, 29, 24},
		{25, 28, 28, 0, 24},
		{25, 28, 28, 31, 0},
	}
	if !reflect.DeepEqual(got.Pairwise, wantD) {
		t.Errorf("Pairwise = %v, want %v", got.Pairwise, wantD)
	}
	if !reflect.DeepEqual(got.Strongest, wantP) {
		t.Errorf("Strongest = %v, want %v", got.Strongest, wantP)
	}
	checkSummary(t, got.Summary, OutcomeWinner, []int{E}, []int{E, A, C, B, D}, []int{2, 4, 3, 5, 1})
	if got.CondorcetWinner != -1 {
		t.Errorf("CondorcetWinner = %d, want none", got.CondorcetWinner)
	}
}

// TestRankedMethodsAgreeOnEmptyAndSingle checks that every ranked method labels empty
// and single-ballot polls the same way (case C02 d and e).
func TestRankedMethodsAgreeOnEmptyAndSingle(t *testing.T) {
	for _, set := range []string{"d", "e"} {
		irv, _ := IRV(3, c02[set])
		borda, _ := Borda(3, c02[set])
		schulze, _ := Schulze(3, c02[set])
		for name, s := range map[string]Summary{"Borda": borda.Summary, "Schulze": schulze.Summary} {
			if s.Outcome != irv.Outcome || !reflect.DeepEqual(s.Winners, irv.Winners) || s.NoVotes != irv.NoVotes {
				t.Errorf("C02%s: %s gives %s %v, IRV gives %s %v", set, name, s.Outcome, s.Winners, irv.Outcome, irv.Winners)
			}
		}
	}
}
