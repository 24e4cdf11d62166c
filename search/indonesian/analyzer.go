package indonesian

import (
	"slices"
	"strings"
	"unicode"

	"github.com/rembug/rembug/search/stopwords"
)

// Analyzer reads text into content words without a search engine: Unicode
// letters and digits (hyphens kept inside a word), lower case, no
// Indonesian or English stop words (search/stopwords, the lists the
// engines use), each stemmed with the Stemmer. Domain packages use it
// (report key terms, complaint routing) so that they link no engine.
//
// Concurrency: an Analyzer is immutable and safe for concurrent use.
type Analyzer struct {
	stop     map[string]bool
	stem     *Stemmer
	minRunes int
}

// NewAnalyzer returns an Analyzer that drops words, and stems, shorter
// than minRunes runes (0 keeps every word).
func NewAnalyzer(minRunes int) *Analyzer {
	a := &Analyzer{stop: map[string]bool{}, stem: New(), minRunes: minRunes}
	for _, w := range slices.Concat(stopwords.Indonesian(), stopwords.English()) {
		a.stop[w] = true
	}
	return a
}

// Tokens returns text's content words in order as (stem, surface) pairs;
// a word needs at least one letter.
func (a *Analyzer) Tokens(text string) [][2]string {
	var out [][2]string
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	}) {
		w = strings.Trim(w, "-")
		if len([]rune(w)) < a.minRunes || a.stop[w] || strings.IndexFunc(w, unicode.IsLetter) < 0 {
			continue
		}
		s := a.stem.Stem(w)
		if a.stop[s] || len([]rune(s)) < a.minRunes {
			continue
		}
		out = append(out, [2]string{s, w})
	}
	return out
}

// Stems returns text's stems in order, repeats kept.
func (a *Analyzer) Stems(text string) []string {
	toks := a.Tokens(text)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t[0]
	}
	return out
}
