package report

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/id"

	"github.com/rembug/rembug/search/indonesian"
)

// Term is a key term of a group: Term is the most frequent surface form of
// the stem; Score is its TF-IDF weight relative to the group's best term
// (0..1).
type Term struct {
	Term  string  `json:"term"`
	Score float64 `json:"score"`
}

// Key-term parameters.
const (
	termStatements = 10 // statements per group the terms are drawn from
	termsPerGroup  = 8
	minTermRunes   = 3
)

// analyzer tokenizes statement text: Unicode letters and digits, lower
// case, no Indonesian or English stop words (the lists Bleve ships, as
// search/ uses), stemmed with the Indonesian stemmer of search/indonesian.
type analyzer struct {
	stop map[string]bool
	stem *indonesian.Stemmer
}

func newAnalyzer() *analyzer {
	a := &analyzer{stop: map[string]bool{}, stem: indonesian.New()}
	for _, list := range [][]byte{id.IndonesianStopWords, en.EnglishStopWords} {
		for _, line := range strings.Split(string(list), "\n") {
			if i := strings.IndexAny(line, "#|"); i >= 0 {
				line = line[:i]
			}
			for _, w := range strings.Fields(line) {
				a.stop[strings.ToLower(w)] = true
			}
		}
	}
	return a
}

// tokens returns (stem, surface) pairs of text's content words.
func (a *analyzer) tokens(text string) [][2]string {
	var out [][2]string
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	}) {
		w = strings.Trim(w, "-")
		if len([]rune(w)) < minTermRunes || a.stop[w] || strings.IndexFunc(w, unicode.IsLetter) < 0 {
			continue
		}
		s := a.stem.Stem(w)
		if a.stop[s] || len([]rune(s)) < minTermRunes {
			continue
		}
		out = append(out, [2]string{s, w})
	}
	return out
}

// keyTerms fills each group's KeyTerms by TF-IDF (Salton and Buckley, "Term-
// weighting approaches in automatic text retrieval", 1988): the documents
// are the visible statements; a group's term frequency sums, over the (at
// most 10) statements its members agree with most, the term's count times
// the group's smoothed agree share. idf = ln((1+N)/(1+df)) + 1, the smooth
// form, so a term in every statement still weighs a little.
func keyTerms(groups []Group, stmts []Statement) {
	if len(groups) == 0 || len(stmts) == 0 {
		return
	}
	a := newAnalyzer()
	toks := make([][][2]string, len(stmts))
	df := map[string]int{}
	for i, s := range stmts {
		toks[i] = a.tokens(s.Text)
		seen := map[string]bool{}
		for _, t := range toks[i] {
			if !seen[t[0]] {
				seen[t[0]] = true
				df[t[0]]++
			}
		}
	}
	n := float64(len(stmts))
	for gi := range groups {
		type cand struct {
			i     int
			share float64
		}
		var cs []cand
		for i, s := range stmts {
			if gi >= len(s.Groups) || s.Groups[gi].Seen() == 0 {
				continue
			}
			t := s.Groups[gi]
			if sh := smoothed(t.Agree, t.Seen()); sh > 0.5 {
				cs = append(cs, cand{i, sh})
			}
		}
		slices.SortStableFunc(cs, func(x, y cand) int { return cmp.Compare(y.share, x.share) })
		tf := map[string]float64{}
		surface := map[string]map[string]int{}
		for _, c := range cs[:min(termStatements, len(cs))] {
			for _, t := range toks[c.i] {
				tf[t[0]] += c.share
				if surface[t[0]] == nil {
					surface[t[0]] = map[string]int{}
				}
				surface[t[0]][t[1]]++
			}
		}
		var terms []Term
		for stem, f := range tf {
			terms = append(terms, Term{Term: mostFrequent(surface[stem]), Score: f * (math.Log((1+n)/(1+float64(df[stem]))) + 1)})
		}
		slices.SortFunc(terms, func(x, y Term) int { return cmp.Or(cmp.Compare(y.Score, x.Score), strings.Compare(x.Term, y.Term)) })
		terms = terms[:min(termsPerGroup, len(terms))]
		if len(terms) > 0 && terms[0].Score > 0 {
			top := terms[0].Score
			for i := range terms {
				terms[i].Score = math.Round(terms[i].Score/top*1000) / 1000
			}
		}
		if terms == nil {
			terms = []Term{}
		}
		groups[gi].KeyTerms = terms
	}
}

// mostFrequent returns the most frequent key of m, the smallest on ties.
func mostFrequent(m map[string]int) string {
	best, bn := "", -1
	for w, c := range m {
		if c > bn || (c == bn && w < best) {
			best, bn = w, c
		}
	}
	return best
}
