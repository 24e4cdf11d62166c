package web

import (
	"strings"
	"testing"
)

// TestChartLabelsKeepGraphemesWhole draws bar and stacked charts whose
// labels are too long and end in flags, ZWJ families and skin-toned emoji
// around the cut: each label keeps whole clusters and ends in "…".
func TestChartLabelsKeepGraphemesWhole(t *testing.T) {
	for _, tc := range []struct{ name, unit string }{
		{"flag", "🇮🇩"},
		{"zwj family", "👨‍👩‍👧‍👦"},
		{"skin tone", "👍🏽"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			label := strings.Repeat("a", 40) + strings.Repeat(tc.unit, 10)
			want := ">" + strings.Repeat("a", 40) + strings.Repeat(tc.unit, 3) + "…<"
			if got := string(barChart("t", []string{label}, []int{3}, "id", "Tidak ada data")); !strings.Contains(got, want) {
				t.Errorf("barChart label: want %q in %s", want, got)
			}
			if got := string(stackedChart("t", []string{label}, [][]int{{1, 2}}, "Tidak ada data")); !strings.Contains(got, want) {
				t.Errorf("stackedChart label: want %q in %s", want, got)
			}
		})
	}
}

// TestEmptyChartsSayNoData: a chart with nothing to draw (no answers, all
// zero counts, no words, no scores) shows its "no data" words, not a blank
// box or zero-width bars; a chart with data never does. Counts are in the
// reader's number format.
func TestEmptyChartsSayNoData(t *testing.T) {
	const none = "Tidak ada data"
	show := func(f float64) string { return "x" }
	empty := map[string]string{
		"bar, all zero":   string(barChart("t", []string{"a", "b"}, []int{0, 0}, "id", none)),
		"bar, no options": string(barChart("t", nil, nil, "id", none)),
		"stacked, zero":   string(stackedChart("t", []string{"a"}, [][]int{{0, 0, 0}}, none)),
		"words, none":     string(wordCloud("t", nil, none)),
		"score, none":     string(scoreChart("t", nil, nil, nil, 4, show, none)),
	}
	for name, svg := range empty {
		if !strings.Contains(svg, ">"+none+"<") || strings.Contains(svg, "<rect") {
			t.Errorf("%s: %s", name, svg)
		}
	}
	full := map[string]string{
		"bar":     string(barChart("t", []string{"a", "b"}, []int{33343, 1}, "id", none)),
		"stacked": string(stackedChart("t", []string{"a"}, [][]int{{0, 1, 0}}, none)),
		"score":   string(scoreChart("t", []string{"a"}, []float64{2.5}, nil, 4, show, none)),
	}
	for name, svg := range full {
		if strings.Contains(svg, none) || !strings.Contains(svg, "<rect") {
			t.Errorf("%s: %s", name, svg)
		}
	}
	if !strings.Contains(full["bar"], ">33.343 (") {
		t.Errorf("bar count not in the reader's format: %s", full["bar"])
	}
}
