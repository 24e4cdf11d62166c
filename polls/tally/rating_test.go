package tally

import (
	"errors"
	"reflect"
	"testing"
)

func TestRating(t *testing.T) {
	tests := []struct {
		name         string
		values       []int
		mean, median float64
		dist         []int
		noVotes      bool
	}{
		{"mixed", []int{5, 4, 4, 1, 2}, 3.2, 4, []int{1, 1, 0, 2, 1}, false},
		{"even count median", []int{1, 2, 4, 5}, 3, 3, []int{1, 1, 0, 1, 1}, false},
		{"single", []int{3}, 3, 3, []int{0, 0, 1, 0, 0}, false},
		{"empty", nil, 0, 0, []int{0, 0, 0, 0, 0}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Rating(Scale{1, 5}, tt.values)
			if err != nil {
				t.Fatal(err)
			}
			if got.Mean != tt.mean || got.Median != tt.median || got.NoVotes != tt.noVotes ||
				!reflect.DeepEqual(got.Distribution, tt.dist) || got.Responses != len(tt.values) {
				t.Errorf("got %+v", got)
			}
			finite(t, append([]float64{got.Mean, got.Median}, got.Shares...)...)
			mustJSON(t, got)
		})
	}
	var be *BallotError
	if _, err := Rating(Scale{1, 5}, []int{3, 6}); !errors.As(err, &be) || be.Ballot != 1 || be.Value != 6 {
		t.Errorf("out of scale: err = %v", err)
	}
	if _, err := Rating(Scale{5, 1}, nil); err == nil {
		t.Error("reversed scale accepted")
	}
}

func TestLikert(t *testing.T) {
	// Three statements on a 1–5 agreement scale; 0 is a blank answer.
	answers := [][]int{
		{5, 2, 0},
		{4, 1, 0},
		{3},
	}
	got, err := Likert(3, Scale{1, 5}, answers)
	if err != nil {
		t.Fatal(err)
	}
	if got.Respondents != 3 || got.Items[0].Responses != 3 || got.Items[1].Responses != 2 || !got.Items[2].NoVotes {
		t.Fatalf("responses: %+v", got)
	}
	if got.Items[0].Mean != 4 || got.Items[1].Mean != 1.5 {
		t.Errorf("means %v %v", got.Items[0].Mean, got.Items[1].Mean)
	}
	if !reflect.DeepEqual(got.ByMean, []int{0, 1, 2}) {
		t.Errorf("ByMean = %v", got.ByMean)
	}
	if !reflect.DeepEqual(got.Items[0].Distribution, []int{0, 0, 1, 1, 1}) {
		t.Errorf("distribution %v", got.Items[0].Distribution)
	}
	mustJSON(t, got)
	for name, bad := range map[string][][]int{"value above scale": {{6}}, "row too long": {{1, 1, 1, 1}}, "negative": {{-1}}} {
		if _, err := Likert(3, Scale{1, 5}, bad); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	if _, err := Likert(3, Scale{0, 4}, nil); err == nil {
		t.Error("scale starting at 0 accepted (0 means blank)")
	}
}

func TestNPS(t *testing.T) {
	tests := []struct {
		name                     string
		scores                   []int
		prom, pass, det, rounded int
		score                    float64
	}{
		// 3 promoters, 2 passives, 3 detractors of 8: (3−3)/8 = 0.
		{"balanced", []int{10, 9, 9, 8, 7, 6, 0, 3}, 3, 2, 3, 0, 0},
		// 2 promoters, 0 passives, 1 detractor of 3: 100/3 = 33.3 -> 33.
		{"thirds", []int{9, 10, 6}, 2, 0, 1, 33, 100.0 / 3},
		// 1 promoter, 5 passives, 2 detractors of 8: −12.5 -> −13 (half away from zero).
		{"half rounds away from zero", []int{10, 8, 8, 8, 8, 8, 0, 0}, 1, 5, 2, -13, -12.5},
		{"all detractors", []int{0, 6}, 0, 0, 2, -100, -100},
		{"empty", nil, 0, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NPS(tt.scores)
			if err != nil {
				t.Fatal(err)
			}
			if got.Promoters != tt.prom || got.Passives != tt.pass || got.Detractors != tt.det ||
				got.Score != tt.score || got.RoundedScore() != tt.rounded || got.NoVotes != (len(tt.scores) == 0) {
				t.Errorf("got %+v rounded %d", got, got.RoundedScore())
			}
			mustJSON(t, got)
		})
	}
	if _, err := NPS([]int{11}); err == nil {
		t.Error("11 accepted")
	}
}
