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
			if got := string(barChart("t", []string{label}, []int{3}, "id")); !strings.Contains(got, want) {
				t.Errorf("barChart label: want %q in %s", want, got)
			}
			if got := string(stackedChart("t", []string{label}, [][]int{{1, 2}})); !strings.Contains(got, want) {
				t.Errorf("stackedChart label: want %q in %s", want, got)
			}
		})
	}
}
