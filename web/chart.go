package web

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rembug/rembug/forum/grapheme"
	"github.com/rembug/rembug/forum/locale"
	"github.com/rembug/rembug/polls/tally"
)

// Server-side SVG charts. Each is a picture for sighted readers (role="img"
// with a title); the page puts a data table with the same numbers beside it
// for screen readers. Text is escaped here, since the SVG is returned as
// template.HTML. Sizes are in SVG user units; the SVG scales to its box.

const chartWidth = 320

// palette holds bar colours with at least 3:1 contrast on white (WCAG 1.4.11),
// from "strongly disagree" to "strongly agree" for Likert scales.
var palette = []string{"#b71c1c", "#e65100", "#6d6d6d", "#2e7d32", "#1b5e20"}

func esc(s string) string { return html.EscapeString(s) }

// barChart draws one horizontal bar per value, labelled, with its count and
// percent (largest remainder, summing to 100).
func barChart(title string, labels []string, values []int, lang, noData string) template.HTML {
	if allZero(values) {
		return emptyChart(title, noData)
	}
	const row = 40
	pct := tally.Percents(values, 0)
	max := 1
	for _, v := range values {
		max = maxInt(max, v)
	}
	if max%2 == 1 && max > 1 {
		max++ // the axis's middle tick stays a whole count
	}
	var b strings.Builder
	h := row*len(values) + 4
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg"><title>%s</title>`,
		chartWidth, h+22, esc(title), esc(title))
	xAxis(&b, 0, chartWidth-60, h, float64(max), func(f float64) string { return locale.In(lang).Int(int64(math.Round(f))) })
	for i, v := range values {
		y := i * row
		w := (chartWidth - 60) * v / max
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="13" fill="#1a1a1a">%s</text>`, y+13, esc(grapheme.Truncate(labels[i], 44)))
		fmt.Fprintf(&b, `<rect x="0" y="%d" width="%d" height="16" fill="#0645ad"></rect>`, y+18, maxInt(w, 1))
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" fill="#1a1a1a">%s (%s)</text>`, w+4, y+31,
			esc(locale.In(lang).Int(int64(v))), esc(tally.FormatPercent(pct[i], 0, lang)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // every text is escaped above
}

// stackedChart draws one 100% stacked bar per item: the shares of each
// scale value, coloured from palette.
func stackedChart(title string, items []string, dists [][]int, noData string) template.HTML {
	total := 0
	for _, d := range dists {
		for _, n := range d {
			total += n
		}
	}
	if total == 0 {
		return emptyChart(title, noData)
	}
	const row = 40
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg"><title>%s</title>`,
		chartWidth, row*len(items)+4, esc(title), esc(title))
	for i, d := range dists {
		y := i * row
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="13" fill="#1a1a1a">%s</text>`, y+13, esc(grapheme.Truncate(items[i], 44)))
		total := 0
		for _, n := range d {
			total += n
		}
		if total == 0 {
			fmt.Fprintf(&b, `<rect x="0" y="%d" width="%d" height="16" fill="#eeeeee"></rect>`, y+18, chartWidth)
			continue
		}
		x := 0
		for k, n := range d {
			w := chartWidth * n / total
			if k == len(d)-1 {
				w = chartWidth - x
			}
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="16" fill="%s"></rect>`, x, y+18, w, palette[k%len(palette)])
			x += w
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // every text is escaped above
}

// wordCloud lays the words out in rows, largest first (the order of
// tally.WordCloud), with a font size from 12 to 36 by count.
func wordCloud(title string, words []tally.WordCount, noData string) template.HTML {
	if len(words) == 0 {
		return emptyChart(title, noData)
	}
	max := 1
	for _, w := range words {
		max = maxInt(max, w.Count)
	}
	var body strings.Builder
	x, y, rowH := 0, 0, 0
	for i, w := range words {
		size := 12 + 24*w.Count/max
		width := utf8.RuneCountInString(w.Word)*size*6/10 + 8
		if x > 0 && x+width > chartWidth {
			x, y, rowH = 0, y+rowH, 0
		}
		rowH = maxInt(rowH, size+6)
		fmt.Fprintf(&body, `<text x="%d" y="%d" font-size="%d" fill="%s">%s</text>`, x, y+size, size, palette[(i+3)%len(palette)], esc(w.Word))
		x += width
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg"><title>%s</title>%s</svg>`,
		chartWidth, maxInt(y+rowH, 20), esc(title), esc(title), body.String())
	return template.HTML(b.String()) //nolint:gosec // every text is escaped above
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// scoreChart draws one horizontal bar per value on 0..max, labelled, with
// the value as text (shown by the format function). A NaN value is a
// missing figure (nobody answered, nothing measured, or withheld): its row
// gets no bar and says notes[i] in words, or noData when notes is nil or
// notes[i] empty, so it is never drawn as a zero or left out of a series.
func scoreChart(title string, labels []string, values []float64, notes []string, max float64, show func(float64) string, noData string) template.HTML {
	if !slices.ContainsFunc(values, func(v float64) bool { return !math.IsNaN(v) }) || max <= 0 {
		return emptyChart(title, noData)
	}
	const row = 40
	axisY := row*len(values) + 4
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg"><title>%s</title>`,
		chartWidth, axisY+22, esc(title), esc(title))
	xAxis(&b, 0, chartWidth-60, axisY, max, show)
	for i, v := range values {
		y := i * row
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="13" fill="#1a1a1a">%s</text>`, y+13, esc(grapheme.Truncate(labels[i], 44)))
		if math.IsNaN(v) {
			note := noData
			if i < len(notes) && notes[i] != "" {
				note = notes[i]
			}
			fmt.Fprintf(&b, `<text x="0" y="%d" font-size="12" fill="#555555" font-style="italic">%s</text>`, y+31, esc(note))
			continue
		}
		w := int(float64(chartWidth-60) * v / max)
		fmt.Fprintf(&b, `<rect x="0" y="%d" width="%d" height="16" fill="#0645ad"></rect>`, y+18, maxInt(w, 1))
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" fill="#1a1a1a">%s</text>`, w+4, y+31, esc(show(v)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // every text is escaped above
}

// emptyChart is the picture of a chart with nothing to draw: its title and
// noData, the reader's words for "no data" (chart.no_data), never a blank
// box or a row of zero-width bars.
func emptyChart(title, noData string) template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart chart-empty" viewBox="0 0 %d 40" role="img" aria-label="%s: %s" xmlns="http://www.w3.org/2000/svg"><title>%s</title>`,
		chartWidth, esc(title), esc(noData), esc(title))
	fmt.Fprintf(&b, `<text x="%d" y="25" font-size="14" fill="#555555" text-anchor="middle">%s</text></svg>`, chartWidth/2, esc(noData))
	return template.HTML(b.String()) //nolint:gosec // every text is escaped above
}

// allZero reports whether values hold no count above zero.
func allZero(values []int) bool {
	for _, v := range values {
		if v > 0 {
			return false
		}
	}
	return true
}

// stackBar draws a statement's stacked agree/disagree/pass bar, each
// segment a percentage (0–100) of its votes, in the 0–100 units of the
// viewBox: agree from 0, disagree after it, pass last. It is decorative
// (aria-hidden): the row's cells give the numbers. The results page draws
// one per statement, so it is built here instead of with five template
// actions per row.
func stackBar(agree, disagree, pass float64) template.HTML {
	w := func(b []byte, x float64) []byte { return strconv.AppendFloat(b, x, 'f', 2, 64) }
	b := make([]byte, 0, 256)
	b = append(b, `<svg class="stackbar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect class="agree" x="0" width="`...)
	b = w(b, agree)
	b = append(b, `" height="10"/><rect class="disagree" x="`...)
	b = w(b, agree)
	b = append(b, `" width="`...)
	b = w(b, disagree)
	b = append(b, `" height="10"/><rect class="pass" x="`...)
	b = w(b, agree+disagree)
	b = append(b, `" width="`...)
	b = w(b, pass)
	b = append(b, `" height="10"/></svg>`...)
	return template.HTML(b) //nolint:gosec // numbers only
}

// targetChart draws one figure against its target: a bar for this
// period's value and one for the previous period's (rows labelled by
// labels, a NaN value says noData in words), a dashed vertical line at the
// target labelled with targetLabel (none when target is NaN), and an x
// axis from 0 with three ticks, every number shown by show. The bars start
// at 0, so negative values draw no bar; the page's analysis table carries
// the same numbers.
func targetChart(title string, labels []string, values []float64, target float64, targetLabel string, show func(float64) string, noData string) template.HTML {
	top := 0.0
	for _, v := range append(slices.Clone(values), target) {
		if !math.IsNaN(v) && v > top {
			top = v
		}
	}
	if top <= 0 {
		return emptyChart(title, noData)
	}
	top *= 1.15
	const (
		row   = 40
		left  = 0
		width = chartWidth - 70
	)
	x := func(v float64) int { return left + int(float64(width)*math.Max(v, 0)/top) }
	axisY := row*len(values) + 24
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart target-chart" viewBox="0 0 %d %d" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg"><title>%s</title>`,
		chartWidth, axisY+22, esc(title), esc(title))
	for i, v := range values {
		y := 20 + i*row
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="13" fill="#1a1a1a">%s</text>`, y+13, esc(grapheme.Truncate(labels[i], 44)))
		if math.IsNaN(v) {
			fmt.Fprintf(&b, `<text x="0" y="%d" font-size="12" fill="#555555" font-style="italic">%s</text>`, y+31, esc(noData))
			continue
		}
		fill := "#0645ad"
		if i > 0 {
			fill = "#6d6d6d"
		}
		w := x(v) - left
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="16" fill="%s"></rect>`, left, y+18, maxInt(w, 1), fill)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" fill="#1a1a1a">%s</text>`, left+w+4, y+31, esc(show(v)))
	}
	xAxis(&b, left, width, axisY, top, show)
	if !math.IsNaN(target) {
		tx := x(target)
		fmt.Fprintf(&b, `<line x1="%d" y1="16" x2="%d" y2="%d" stroke="#b71c1c" stroke-width="2" stroke-dasharray="4 3"></line>`, tx, tx, axisY)
		anchor := "start"
		if tx > chartWidth/2 {
			anchor = "end"
		}
		fmt.Fprintf(&b, `<text x="%d" y="12" font-size="12" fill="#b71c1c" text-anchor="%s">%s</text>`, tx, anchor, esc(targetLabel))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // every text is escaped above
}

// xAxis draws a horizontal value axis at y from x=left (value 0) to
// left+width (value top), with three ticks (0, half, top), each labelled by
// show. It is the one scale every bar chart with a numeric scale uses, so
// a reader can judge a bar's length without reading its label. It takes 22
// user units of height below y.
func xAxis(b *strings.Builder, left, width, y int, top float64, show func(float64) string) {
	fmt.Fprintf(b, `<g class="axis"><line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#1a1a1a" stroke-width="1"></line>`, left, y, left+width, y)
	for _, f := range []float64{0, 0.5, 1} {
		tx := left + int(float64(width)*f)
		anchor := map[float64]string{0: "start", 0.5: "middle", 1: "end"}[f]
		fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#1a1a1a" stroke-width="1"></line>`, tx, y, tx, y+4)
		fmt.Fprintf(b, `<text x="%d" y="%d" font-size="11" fill="#1a1a1a" text-anchor="%s">%s</text>`, tx, y+16, anchor, esc(show(top*f)))
	}
	b.WriteString(`</g>`)
}
