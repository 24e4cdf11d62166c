package search

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/id"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/rembug/rembug/search/indonesian"
)

// Analyzer names in the Bleve mapping.
const (
	analyzerID    = "rembug_id"     // unicode words, lower case, Indonesian stop words, Indonesian stemmer
	analyzerEN    = en.AnalyzerName // Bleve's English: possessives, lower case, English stop words, Porter
	analyzerWords = "rembug_words"  // unicode words, lower case, Indonesian stop words (typo matching on surface forms)
	stemFilterID  = "rembug_stem_id"
)

// fuzzyMinLen is the word length (in letters) from which one typo is
// tolerated, as Meilisearch's default minWordSizeForTypos.oneTypo.
const fuzzyMinLen = 5

// init registers the Indonesian stemmer as a Bleve token filter type, so
// that a Bleve index reopened from disk can rebuild its analyzers. Bleve's
// registry is write-once at init time.
func init() {
	registry.RegisterTokenFilter(stemFilterID, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return stemFilter{indonesian.New()}, nil
	})
}

// stemFilter replaces each token by its Indonesian root.
type stemFilter struct{ s *indonesian.Stemmer }

func (f stemFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		t.Term = []byte(f.s.Stem(string(t.Term)))
	}
	return in
}

// addAnalyzers defines rembug's analyzers in m.
func addAnalyzers(m *mapping.IndexMappingImpl) error {
	if err := m.AddCustomAnalyzer(analyzerID, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name, id.StopName, stemFilterID},
	}); err != nil {
		return fmt.Errorf("search: analyzer %s: %w", analyzerID, err)
	}
	if err := m.AddCustomAnalyzer(analyzerWords, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name, id.StopName},
	}); err != nil {
		return fmt.Errorf("search: analyzer %s: %w", analyzerWords, err)
	}
	return nil
}

// analyzers hold the text analysis shared by both engines, for queries and
// snippets. It is immutable and safe for concurrent use.
type analyzers struct {
	id, en, words analysis.Analyzer
}

// newAnalyzers builds the analyzers from a fresh mapping.
func newAnalyzers() (*analyzers, error) {
	m := mapping.NewIndexMapping()
	if err := addAnalyzers(m); err != nil {
		return nil, err
	}
	a := &analyzers{id: m.AnalyzerNamed(analyzerID), en: m.AnalyzerNamed(analyzerEN), words: m.AnalyzerNamed(analyzerWords)}
	if a.id == nil || a.en == nil || a.words == nil {
		return nil, fmt.Errorf("search: analyzers missing from the Bleve registry")
	}
	return a, nil
}

// term is one analysed query word: its stem (the indexed form) and the
// lower-cased word typed, which typo matching compares.
type term struct {
	stem, word string
	fuzzy      bool
}

// parsed is a query's text analysed both ways.
type parsed struct {
	id, en []term
}

// none reports whether nothing searchable is left (e.g. only stop words).
func (p parsed) none() bool { return len(p.id) == 0 && len(p.en) == 0 }

// parse analyses text with the Indonesian and English analyzers.
func (a *analyzers) parse(text string) parsed {
	return parsed{id: a.terms(a.id, text), en: a.terms(a.en, text)}
}

func (a *analyzers) terms(an analysis.Analyzer, text string) []term {
	seen := map[string]bool{}
	var out []term
	for _, tok := range an.Analyze([]byte(text)) {
		stem := string(tok.Term)
		if stem == "" || seen[stem] {
			continue
		}
		seen[stem] = true
		word := strings.ToLower(text[tok.Start:tok.End])
		out = append(out, term{stem: stem, word: word, fuzzy: utf8.RuneCountInString(word) >= fuzzyMinLen})
	}
	return out
}

// join returns the terms an analyzer makes of text, joined by spaces: the
// pre-analysed copies that Meilisearch, which has no Indonesian stemmer,
// searches.
func join(an analysis.Analyzer, text string) string {
	toks := an.Analyze([]byte(text))
	parts := make([]string, 0, len(toks))
	for _, t := range toks {
		parts = append(parts, string(t.Term))
	}
	return strings.Join(parts, " ")
}

// stems returns text's stems for a document in language lang: Indonesian
// unless lang is "en", English unless lang is "id".
func (a *analyzers) stems(text, lang string) string {
	var parts []string
	if lang != "en" {
		parts = append(parts, join(a.id, text))
	}
	if lang != "id" {
		parts = append(parts, join(a.en, text))
	}
	return strings.Join(parts, " ")
}
