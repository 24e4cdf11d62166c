package web

import (
	"math"
	"strconv"
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

// TestTargetChart: a figure against its target has its value's bar and
// text, the previous cycle's, the target's dashed line labelled where the
// value scale puts it, and an axis from 0; a missing value says so in
// words; nothing to draw is the empty chart.
func TestTargetChart(t *testing.T) {
	show := func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
	got := string(targetChart("Pengguna aktif", []string{"Nilai", "Siklus sebelumnya"}, []float64{7, 4}, 10, "Target: 10", show, "Tidak ada data"))
	// top = 10 × 1.15 = 11.5; width 250: target at 217, value 7 at 152.
	for _, want := range []string{`aria-label="Pengguna aktif"`, `<rect x="0" y="38" width="152"`, ">7.0</text>", ">4.0</text>",
		`<line x1="217" y1="16" x2="217"`, ">Target: 10</text>", ">0.0</text>", ">11.5</text>"} {
		if !strings.Contains(got, want) {
			t.Errorf("target chart lacks %q:\n%s", want, got)
		}
	}
	got = string(targetChart("IKM", []string{"Nilai"}, []float64{math.NaN()}, 80, "Target: 80", show, "Tidak ada data"))
	if !strings.Contains(got, ">Tidak ada data</text>") || strings.Contains(got, "<rect") || !strings.Contains(got, `x1="217"`) {
		t.Errorf("missing value not said in words:\n%s", got)
	}
	if got := string(targetChart("IKM", []string{"Nilai"}, []float64{0}, math.NaN(), "", show, "Tidak ada data")); !strings.Contains(got, "chart-empty") {
		t.Errorf("nothing to draw is not the empty chart:\n%s", got)
	}
}

// TestScoreChartHasScale draws an IKM-style score chart on 0..4: below its
// bars it has an axis with ticks at 0, half and the maximum, so a bar's
// length can be read against a scale, not only from its label.
func TestScoreChartHasScale(t *testing.T) {
	show := func(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }
	got := string(scoreChart("NRR per unsur", []string{"Persyaratan", "Prosedur"}, []float64{3.1, math.NaN()}, nil, 4, show, "Tidak ada data"))
	for _, want := range []string{`role="img"`, `aria-label="NRR per unsur"`, `<g class="axis">`, ">0.00</text>", ">2.00</text>", ">4.00</text>", ">3.10</text>", ">Tidak ada data</text>"} {
		if !strings.Contains(got, want) {
			t.Errorf("score chart lacks %q:\n%s", want, got)
		}
	}
}

// TestBarChartHasScale draws a poll's count bars: the axis below them runs
// from 0 to the largest count made even (so its middle tick is a whole
// count), in the reader's number format.
func TestBarChartHasScale(t *testing.T) {
	got := string(barChart("Pilihan", []string{"A", "B"}, []int{1200, 301}, "id", "Tidak ada data"))
	for _, want := range []string{`role="img"`, `<g class="axis">`, ">0</text>", ">600</text>", ">1.200</text>"} {
		if !strings.Contains(got, want) {
			t.Errorf("bar chart lacks %q:\n%s", want, got)
		}
	}
}
