package analysis

import (
	"html/template"
	"sort"
	"strings"

	blevean "github.com/blevesearch/bleve/v2/analysis"
	"github.com/rembug/rembug/forum/grapheme"
)

// snippetLen is the snippet's length in bytes of source text, before
// escaping; snippetLead is how much text comes before the first match.
const (
	snippetLen  = 200
	snippetLead = 60
)

// span is a byte range [start, end) of the source text to mark.
type span struct{ start, end int }

// Snippet returns an excerpt of body (or of title when only the title
// matches) with the words matching p in <mark>. Every piece of source text
// is HTML-escaped before any tag is added, so a title such as
// <img src=x onerror=alert(1)> comes out inert (CASES C04).
func (a *Analyzers) Snippet(title, body string, p Parsed) template.HTML {
	text := body
	marks := a.matches(body, p)
	if len(marks) == 0 {
		if tm := a.matches(title, p); len(tm) > 0 || body == "" {
			text, marks = title, tm
		}
	}
	start := 0
	if len(marks) > 0 && marks[0].start > snippetLead {
		start = wordStart(text, marks[0].start-snippetLead)
	}
	end := len(text)
	if end-start > snippetLen {
		end = wordEnd(text, start+snippetLen)
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	pos := start
	for _, m := range marks {
		if m.start < pos || m.end > end {
			continue
		}
		b.WriteString(template.HTMLEscapeString(text[pos:m.start]))
		b.WriteString("<mark>")
		b.WriteString(template.HTMLEscapeString(text[m.start:m.end]))
		b.WriteString("</mark>")
		pos = m.end
	}
	b.WriteString(template.HTMLEscapeString(text[pos:end]))
	if end < len(text) {
		b.WriteString("…")
	}
	return template.HTML(b.String()) //nolint:gosec // built from escaped text and fixed <mark> tags only
}

// matches returns the sorted spans of text whose analysed form equals a
// query stem, or whose word is one typo away from a query word of five
// letters or more.
func (a *Analyzers) matches(text string, p Parsed) []span {
	if text == "" || p.None() {
		return nil
	}
	seen := map[span]bool{}
	var out []span
	add := func(toks blevean.TokenStream, terms []Term) {
		for _, t := range toks {
			word := strings.ToLower(text[t.Start:t.End])
			for _, q := range terms {
				if string(t.Term) == q.Stem || word == q.Word || (q.Fuzzy && within1(word, q.Word)) {
					s := span{t.Start, t.End}
					if !seen[s] {
						seen[s] = true
						out = append(out, s)
					}
					break
				}
			}
		}
	}
	add(a.id.Analyze([]byte(text)), p.ID)
	add(a.en.Analyze([]byte(text)), p.EN)
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return joinAdjacent(out)
}

// joinAdjacent merges spans that touch, so that a run of Han characters
// (one token each) is marked once: <mark>計程車</mark>.
func joinAdjacent(spans []span) []span {
	var out []span
	for _, s := range spans {
		if n := len(out); n > 0 && s.start == out[n-1].end {
			out[n-1].end = s.end
			continue
		}
		out = append(out, s)
	}
	return out
}

// within1 reports whether a and b are at most one edit apart (Levenshtein
// distance ≤ 1: one insertion, deletion or substitution of a letter).
func within1(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) < len(rb) {
		ra, rb = rb, ra
	}
	if len(ra)-len(rb) > 1 {
		return false
	}
	i := 0
	for i < len(rb) && ra[i] == rb[i] {
		i++
	}
	if len(ra) == len(rb) {
		return string(ra[i+min(1, len(ra)-i):]) == string(rb[i+min(1, len(rb)-i):])
	}
	return string(ra[i+1:]) == string(rb[i:])
}

// wordStart moves i back to the start of the word it falls in, or to a
// grapheme-cluster boundary when the word is longer than 30 bytes.
func wordStart(text string, i int) int {
	i = grapheme.Floor(text, i)
	lo := max(0, i-30)
	if j := strings.LastIndexAny(text[lo:i], " \n\t"); j >= 0 {
		return lo + j + 1
	}
	return i
}

// wordEnd moves i forward to the end of the word it falls in, or to a
// grapheme-cluster boundary when the word is longer than 30 bytes.
func wordEnd(text string, i int) int {
	hi := min(len(text), i+30)
	if j := strings.IndexAny(text[i:hi], " \n\t"); j >= 0 {
		return i + j
	}
	if hi == len(text) {
		return hi
	}
	return grapheme.Floor(text, i)
}
