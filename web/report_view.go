package web

import (
	"math"
	"slices"
	"time"

	"github.com/rembug/rembug/forum/locale"
	"github.com/rembug/rembug/polls/report"
)

// groupColors are the opinion groups' colours (Okabe and Ito's
// colour-blind-safe palette, 2008), cycled beyond five groups.
var groupColors = [...]string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"}

// ungroupedColor marks participants who voted too little to be grouped.
const ungroupedColor = "#9e9e9e"

// Opinion map geometry, in SVG user units.
const (
	mapSize = 300.0
	mapPad  = 12.0
)

// Bar chart geometry, in SVG user units.
const (
	barWidth  = 600.0
	barHeight = 150.0
)

// reportView is the report page's data: the Report plus the geometry of
// its charts, computed here so the template only places shapes.
type reportView struct {
	R         *report.Report
	Groups    []groupView
	Points    []mapPoint
	Ungrouped int
	Charts    []chartView   // participants, votes, proposals and comments per day
	Sections  []sectionView // consensus, majority, divisive
	Charted   bool          // participation has at least one day
	Days      []dayRow      // the participation table: active days and the gaps between them
	Polls     []reportPoll  // each poll's results, as its results page shows them
	// Publish says whether the viewer may publish or withdraw the report
	// (report page only; never in the printed file).
	Publish bool
}

// chartView is one bar chart; ID also names its translation keys.
type chartView struct {
	ID string
	B  barsView
}

// sectionView is a list of highlighted statements; ID names its
// translation keys (report.<ID>, report.<ID>_intro).
type sectionView struct {
	ID    string
	Items []report.Highlight
}

type groupView struct {
	report.Group
	Letter string
	Fill   string
	X, Y   float64 // label position on the map
}

type mapPoint struct {
	X, Y, R float64
	Fill    string
}

type barsView struct {
	Bars     []bar
	Max      int
	From, To string // first and last label
	MaxAt    string // label of the first highest bar
}

type bar struct {
	X, Y, W, H float64
	Label      string
	Value      int
}

// dayRow is one row of the participation table: a day with activity
// (Day set), or a run of Gap days without any (GapFrom to GapTo), said in
// words so that a quiet stretch is never hidden between two adjacent rows.
type dayRow struct {
	Date           string // the day in the reader's language ("2 Des 2026")
	Day            *report.Day
	Gap            int
	GapFrom, GapTo string
}

func groupColor(id int) string {
	if id < 0 {
		return ungroupedColor
	}
	return groupColors[id%len(groupColors)]
}

// newReportView lays out rep's charts; pv are its polls' result views.
// Coordinates are rounded to 0.1 unit to keep the page small; everything
// is finite because Report is.
func newReportView(rep *report.Report, pv []reportPoll, lang string) reportView {
	v := reportView{R: rep, Charted: len(rep.Participation) > 0, Polls: pv}
	scale := 0.0
	for _, p := range rep.Opinion.Participants {
		scale = math.Max(scale, math.Max(math.Abs(p.X), math.Abs(p.Y)))
	}
	half := mapSize / 2
	place := func(x, y float64) (float64, float64) {
		if scale == 0 {
			return half, half
		}
		return round1(half + x/scale*(half-mapPad)), round1(half - y/scale*(half-mapPad))
	}
	radius := 3.0
	if len(rep.Opinion.Participants) > 500 {
		radius = 1.8
	}
	// Ungrouped first, so grouped points are drawn on top.
	for pass := 0; pass < 2; pass++ {
		for _, p := range rep.Opinion.Participants {
			if (p.Group < 0) != (pass == 0) {
				continue
			}
			x, y := place(p.X, p.Y)
			v.Points = append(v.Points, mapPoint{X: x, Y: y, R: radius, Fill: groupColor(p.Group)})
			if p.Group < 0 {
				v.Ungrouped++
			}
		}
	}
	for _, g := range rep.Opinion.Groups {
		x, y := place(g.Center[0], g.Center[1])
		v.Groups = append(v.Groups, groupView{Group: g, Letter: report.GroupLetter(g.ID), Fill: groupColor(g.ID), X: x, Y: y})
	}
	v.Charts, v.Days = participationCharts(rep.Participation, lang), participationRows(rep.Participation, lang)
	v.Sections = []sectionView{{"consensus", rep.Consensus}, {"majority", rep.Majority}, {"divisive", rep.Divisive}}
	return v
}

// bars lays out one bar per day on a time axis from the first day to the
// last: days holds "YYYY-MM-DD" dates, oldest first, and values their
// counts. Each day has a slot of the same width, so a day without activity
// is an empty slot and a five-year gap is five years of empty axis, never
// two adjacent bars. A bar is at least 1 unit wide, so one day of a long
// span stays visible. Labels are the days in lang.
func bars(days []string, values []int, lang string) barsView {
	bv := barsView{}
	for _, n := range values {
		bv.Max = max(bv.Max, n)
	}
	if len(values) == 0 || bv.Max == 0 {
		return bv
	}
	at := make([]int, len(days)) // days since the first
	first, _ := time.Parse(time.DateOnly, days[0])
	for i, d := range days {
		t, _ := time.Parse(time.DateOnly, d)
		at[i] = dayNumber(t) - dayNumber(first)
	}
	f := locale.In(lang)
	label := func(i int) string { return dayLabel(f, days[i]) }
	bv.From, bv.To = label(0), label(len(days)-1)
	bv.MaxAt = label(slices.Index(values, bv.Max))
	w := barWidth / float64(at[len(at)-1]+1)
	gap := math.Min(2, w/4)
	for i, n := range values {
		h := round1(float64(n) / float64(bv.Max) * barHeight)
		bv.Bars = append(bv.Bars, bar{X: round1(float64(at[i]) * w), Y: round1(barHeight - h), W: math.Max(1, round1(w-gap)), H: h,
			Label: label(i), Value: n})
	}
	return bv
}

// participationRows is report.DayRows with its dates in lang.
func participationRows(days []report.Day, lang string) []dayRow {
	f := locale.In(lang)
	var out []dayRow
	for _, r := range report.DayRows(days) {
		if r.Day != nil {
			out = append(out, dayRow{Date: dayLabel(f, r.Date), Day: r.Day})
		} else {
			out = append(out, dayRow{Gap: r.Gap, GapFrom: dayLabel(f, r.From), GapTo: dayLabel(f, r.To)})
		}
	}
	return out
}

// dayNumber counts calendar days since 1970-01-01 of t's date (t in UTC).
func dayNumber(t time.Time) int { return int(t.Unix() / 86400) }

// dayLabel shows a "YYYY-MM-DD" date in f's language; anything else as given.
func dayLabel(f locale.Format, d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return dateOf(f, t)
}

// dateOf shows the calendar date of t (midnight UTC of that date) in f's
// language; noon keeps the date the same in any zone within ±12 hours.
func dateOf(f locale.Format, t time.Time) string { return f.Date(t.Add(12 * time.Hour)) }

func round1(f float64) float64 { return math.Round(f*10) / 10 }
