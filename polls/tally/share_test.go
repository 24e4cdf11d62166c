package tally

import (
	"reflect"
	"testing"
)

func TestPercents(t *testing.T) {
	tests := []struct {
		name     string
		counts   []int
		decimals int
		want     []float64
	}{
		{"thirds, 0 decimals", []int{1, 1, 1}, 0, []float64{33, 33, 33}},
		{"thirds, 2 decimals", []int{1, 1, 1}, 2, []float64{33.33, 33.33, 33.33}},
		{"equal pair takes two units", []int{3, 3, 1}, 0, []float64{43, 43, 14}},
		{"equal counts skipped, next group served", []int{1, 1, 1, 1, 3}, 0, []float64{14, 14, 14, 14, 43}},
		{"larger count gets the unit", []int{1, 2}, 0, []float64{33, 67}},
		{"sevenths", []int{1, 1, 1, 1, 1, 1, 1}, 1, []float64{14.3, 14.3, 14.3, 14.3, 14.3, 14.3, 14.3}},
		{"sevenths unequal", []int{1, 1, 1, 1, 1, 1, 2}, 1, []float64{12.5, 12.5, 12.5, 12.5, 12.5, 12.5, 25}},
		{"exact", []int{1, 3}, 1, []float64{25, 75}},
		{"all zero", []int{0, 0}, 1, []float64{0, 0}},
		{"zero count stays zero", []int{0, 1, 1, 1}, 0, []float64{0, 33, 33, 33}},
		{"exact shares untouched", []int{1, 1, 2, 3, 3}, 0, []float64{10, 10, 20, 30, 30}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Percents(tt.counts, tt.decimals)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Percents(%v, %d) = %v, want %v", tt.counts, tt.decimals, got, tt.want)
			}
		})
	}
}

// TestPercentsSumTo100 uses distinct counts, which never compete as a group
// for the last units, so the shares sum to exactly 100.
func TestPercentsSumTo100(t *testing.T) {
	for n := 1; n <= 40; n++ {
		counts := make([]int, n)
		for i := range counts {
			counts[i] = i*i + 3*i + 1
		}
		for d := 0; d <= 2; d++ {
			units := 0
			scale := []int{1, 10, 100}[d]
			for _, p := range Percents(counts, d) {
				units += int(p*float64(scale) + 0.5)
			}
			if units != 100*scale {
				t.Fatalf("n=%d d=%d: sum %d units, want %d", n, d, units, 100*scale)
			}
		}
	}
}

// FuzzPercents checks the two promises for any counts: equal counts show
// equal percentages, and the sum is 100 units of the last decimal place,
// off by fewer units than the largest group of equal counts.
func FuzzPercents(f *testing.F) {
	f.Add([]byte{1, 1, 1}, 0)
	f.Add([]byte{3, 3, 1, 0, 7}, 1)
	f.Fuzz(func(t *testing.T, raw []byte, d int) {
		d = int(uint(d) % 3)
		counts := make([]int, len(raw))
		total, largest := 0, 1
		same := map[int]int{}
		for i, b := range raw {
			counts[i] = int(b)
			total += counts[i]
			if b > 0 {
				same[counts[i]]++
				largest = max(largest, same[counts[i]])
			}
		}
		got := Percents(counts, d)
		scale := []float64{1, 10, 100}[d]
		units := 0
		for i := range counts {
			for j := range counts {
				if counts[i] == counts[j] && got[i] != got[j] {
					t.Fatalf("Percents(%v, %d) = %v: equal counts, different shares", counts, d, got)
				}
			}
			units += int(got[i]*scale + 0.5)
		}
		want := int(100 * scale)
		if total == 0 {
			want = 0
		}
		if diff := units - want; diff >= largest || -diff >= largest {
			t.Fatalf("Percents(%v, %d) = %v: sum %d units, want %d (off by under %d)", counts, d, got, units, want, largest)
		}
		if total > 0 && largest == 1 && units != want {
			t.Fatalf("Percents(%v, %d) = %v: distinct counts sum to %d units", counts, d, got, units)
		}
	})
}

func TestPercentAndFormat(t *testing.T) {
	tests := []struct {
		part, whole, decimals int
		want                  float64
		id, en                string
	}{
		{1, 8, 1, 12.5, "12,5%", "12.5%"},
		{1, 8, 0, 13, "13%", "13%"},
		{1, 3, 2, 33.33, "33,33%", "33.33%"},
		{2, 3, 1, 66.7, "66,7%", "66.7%"},
		{5, 0, 1, 0, "0,0%", "0.0%"},
	}
	for _, tt := range tests {
		got := Percent(tt.part, tt.whole, tt.decimals)
		if got != tt.want {
			t.Errorf("Percent(%d, %d, %d) = %v, want %v", tt.part, tt.whole, tt.decimals, got, tt.want)
		}
		if s := FormatPercent(got, tt.decimals, "id"); s != tt.id {
			t.Errorf("FormatPercent id = %q, want %q", s, tt.id)
		}
		if s := FormatPercent(got, tt.decimals, "en"); s != tt.en {
			t.Errorf("FormatPercent en = %q, want %q", s, tt.en)
		}
	}
	if Share(1, 0) != 0 || Share(1, 4) != 0.25 {
		t.Error("Share")
	}
}

func TestOutcomeLabels(t *testing.T) {
	for _, o := range []Outcome{OutcomeNoVotes, OutcomeWinner, OutcomeTie, OutcomeTieBreak} {
		if o.Label("id") == o.Label("en") || o.Label("id") == string(o) {
			t.Errorf("%s: labels %q / %q", o, o.Label("id"), o.Label("en"))
		}
	}
	if OutcomeNoVotes.Label("id") != "belum ada suara" || OutcomeNoVotes.Label("en") != "no votes yet" {
		t.Error("no-votes label must read as in case C02")
	}
	for _, r := range []Reason{ReasonMajority, ReasonAllTied, ReasonNoBallots, ReasonZeroVotes, ReasonFewestVotes, ReasonEarlierRound, ReasonOptionOrder} {
		if r.Label("id") == r.Label("en") || r.Key() == "" {
			t.Errorf("%s: labels %q / %q", r, r.Label("id"), r.Label("en"))
		}
	}
}
