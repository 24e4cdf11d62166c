package web

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/rembug/rembug/polls/report"
)

// TestBarsKeepGapsOnTheTimeAxis: two days of activity five years apart are
// drawn five years apart, not as adjacent bars, and every label is a date
// in the reader's language.
func TestBarsKeepGapsOnTheTimeAxis(t *testing.T) {
	bv := bars([]string{"2019-03-01", "2019-03-02", "2024-03-01"}, []int{4, 2, 7}, "id")
	if len(bv.Bars) != 3 {
		t.Fatalf("bars: %+v", bv.Bars)
	}
	first, second, last := bv.Bars[0], bv.Bars[1], bv.Bars[2]
	if second.X-first.X > 1 {
		t.Errorf("consecutive days not adjacent: %v then %v", first.X, second.X)
	}
	if last.X < barWidth*0.99 || last.X >= barWidth {
		t.Errorf("the day five years later is at x=%v, want at the right end of %v", last.X, barWidth)
	}
	for _, b := range bv.Bars {
		if b.W < 1 {
			t.Errorf("bar %q is %v wide, too thin to see", b.Label, b.W)
		}
	}
	if bv.From != "1 Mar 2019" || bv.To != "1 Mar 2024" || bv.MaxAt != "1 Mar 2024" || first.Label != "1 Mar 2019" {
		t.Errorf("labels: from %q to %q max at %q first %q", bv.From, bv.To, bv.MaxAt, first.Label)
	}
	if en := bars([]string{"2024-12-02"}, []int{1}, "en"); en.From != "2 Dec 2024" {
		t.Errorf("en label %q", en.From)
	}
}

// TestParticipationRowsSayGaps: the data table puts a "no activity" row
// with its length and dates between days that are not consecutive, and
// none between consecutive days.
func TestParticipationRowsSayGaps(t *testing.T) {
	days := []report.Day{{Date: "2024-02-28", Votes: 1}, {Date: "2024-02-29", Votes: 2}, {Date: "2024-03-02", Votes: 3}, {Date: "2029-03-02", Votes: 4}}
	rows := participationRows(days, "id")
	var got []string
	for _, r := range rows {
		if r.Day != nil {
			got = append(got, r.Date)
		} else {
			got = append(got, "gap "+r.GapFrom+"–"+r.GapTo+" "+strconv.Itoa(r.Gap))
		}
	}
	want := []string{"28 Feb 2024", "29 Feb 2024", "gap 1 Mar 2024–1 Mar 2024 1", "2 Mar 2024", "gap 3 Mar 2024–1 Mar 2029 1825", "2 Mar 2029"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("rows\n got %q\nwant %q", got, want)
	}
}

// TestScoreChartMissingIsNotZero: a missing figure (NaN) gets no bar and
// says so, with its own note when given; a real 0 still gets its bar.
func TestScoreChartMissingIsNotZero(t *testing.T) {
	show := func(f float64) string { return "v" + strconv.Itoa(int(f)) }
	svg := string(scoreChart("t", []string{"Jan", "Feb", "Mar"}, []float64{50, math.NaN(), 0}, []string{"", "", ""}, 100, show, "Belum ada data"))
	if got := strings.Count(svg, "<rect"); got != 2 {
		t.Errorf("%d bars, want 2 (Jan and the real 0 of Mar): %s", got, svg)
	}
	if !strings.Contains(svg, ">Belum ada data<") || !strings.Contains(svg, ">v0<") || strings.Contains(svg, "NaN") {
		t.Errorf("missing month not said in words, or the real 0 lost: %s", svg)
	}
	withheld := string(scoreChart("t", []string{"Jan", "Feb"}, []float64{50, math.NaN()}, []string{"", "< 5"}, 100, show, "Belum ada data"))
	if !strings.Contains(withheld, ">&lt; 5<") || strings.Contains(withheld, "Belum ada data") {
		t.Errorf("withheld figure should show its note: %s", withheld)
	}
	if all := string(scoreChart("t", []string{"Jan"}, []float64{math.NaN()}, nil, 100, show, "Tidak ada data")); !strings.Contains(all, "chart-empty") {
		t.Errorf("a chart with only missing figures is an empty chart: %s", all)
	}
}
