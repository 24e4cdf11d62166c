// Package analysis is the text analysis that both search engines share:
// Indonesian (Lucene's stop words, shipped by Bleve, and the
// confix-stripping stemmer of package search/indonesian) and English
// (Bleve's English analyzer: possessives, stop words, Porter), typo
// tolerance of one edit for words of five letters or more, and snippets
// escaped before their <mark> tags are added.
//
// It is built on Bleve's analysis packages, so it lives apart from package
// search, which the domain packages import and which must not link an
// engine.
//
// Concurrency: an Analyzers value is immutable and safe for concurrent use.
package analysis

import (
	"fmt"
	"strings"
	"unicode/utf8"

	blevean "github.com/blevesearch/bleve/v2/analysis"
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
	NameID       = "rembug_id"     // unicode words, lower case, Indonesian stop words, Indonesian stemmer
	NameEN       = en.AnalyzerName // Bleve's English: possessives, lower case, English stop words, Porter
	NameWords    = "rembug_words"  // unicode words, lower case, Indonesian stop words (typo matching on surface forms)
	stemFilterID = "rembug_stem_id"
)

// FuzzyMinLen is the word length (in letters) from which one typo is
// tolerated, as Meilisearch's default minWordSizeForTypos.oneTypo.
const FuzzyMinLen = 5

// init registers the Indonesian stemmer as a Bleve token filter type, so
// that a Bleve index reopened from disk can rebuild its analyzers. Bleve's
// registry is write-once at init time.
func init() {
	registry.RegisterTokenFilter(stemFilterID, func(map[string]interface{}, *registry.Cache) (blevean.TokenFilter, error) {
		return stemFilter{indonesian.New()}, nil
	})
}

// stemFilter replaces each token by its Indonesian root.
type stemFilter struct{ s *indonesian.Stemmer }

func (f stemFilter) Filter(in blevean.TokenStream) blevean.TokenStream {
	for _, t := range in {
		t.Term = []byte(f.s.Stem(string(t.Term)))
	}
	return in
}

// Add defines rembug's analyzers in m.
func Add(m *mapping.IndexMappingImpl) error {
	if err := m.AddCustomAnalyzer(NameID, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name, id.StopName, stemFilterID},
	}); err != nil {
		return fmt.Errorf("search: analyzer %s: %w", NameID, err)
	}
	if err := m.AddCustomAnalyzer(NameWords, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name, id.StopName},
	}); err != nil {
		return fmt.Errorf("search: analyzer %s: %w", NameWords, err)
	}
	return nil
}

// Analyzers hold the text analysis shared by both engines, for queries and
// snippets. It is immutable and safe for concurrent use.
type Analyzers struct {
	id, en, words blevean.Analyzer
}

// New builds the analyzers from a fresh mapping.
func New() (*Analyzers, error) {
	m := mapping.NewIndexMapping()
	if err := Add(m); err != nil {
		return nil, err
	}
	a := &Analyzers{id: m.AnalyzerNamed(NameID), en: m.AnalyzerNamed(NameEN), words: m.AnalyzerNamed(NameWords)}
	if a.id == nil || a.en == nil || a.words == nil {
		return nil, fmt.Errorf("search: analyzers missing from the Bleve registry")
	}
	return a, nil
}

// Term is one analysed query word: its stem (the indexed form) and the
// lower-cased word typed, which typo matching compares.
type Term struct {
	Stem, Word string
	// Fuzzy is true for words of FuzzyMinLen letters or more that hold no
	// digit: postcodes, RT/RW numbers, years and regulation numbers match
	// exactly (60111 must not find 60112), as Meilisearch's
	// disableOnNumbers does.
	Fuzzy bool
}

// Parsed is a query's text analysed both ways.
type Parsed struct {
	// ID and EN are the Indonesian and English terms, without repeats.
	ID, EN []Term
}

// None reports whether nothing searchable is left (e.g. only stop words).
func (p Parsed) None() bool { return len(p.ID) == 0 && len(p.EN) == 0 }

// Parse analyses text with the Indonesian and English analyzers.
func (a *Analyzers) Parse(text string) Parsed {
	return Parsed{ID: a.terms(a.id, text), EN: a.terms(a.en, text)}
}

func (a *Analyzers) terms(an blevean.Analyzer, text string) []Term {
	seen := map[string]bool{}
	var out []Term
	for _, tok := range an.Analyze([]byte(text)) {
		stem := string(tok.Term)
		if stem == "" || seen[stem] {
			continue
		}
		seen[stem] = true
		word := strings.ToLower(text[tok.Start:tok.End])
		fuzzy := utf8.RuneCountInString(word) >= FuzzyMinLen && !strings.ContainsAny(word, "0123456789")
		out = append(out, Term{Stem: stem, Word: word, Fuzzy: fuzzy})
	}
	return out
}

// join returns the terms an analyzer makes of text, joined by spaces: the
// pre-analysed copies that Meilisearch, which has no Indonesian stemmer,
// searches.
func join(an blevean.Analyzer, text string) string {
	toks := an.Analyze([]byte(text))
	parts := make([]string, 0, len(toks))
	for _, t := range toks {
		parts = append(parts, string(t.Term))
	}
	return strings.Join(parts, " ")
}

// Stems returns text's stems for a document in language lang: Indonesian
// unless lang is "en", English unless lang is "id".
func (a *Analyzers) Stems(text, lang string) string {
	var parts []string
	if lang != "en" {
		parts = append(parts, join(a.id, text))
	}
	if lang != "id" {
		parts = append(parts, join(a.en, text))
	}
	return strings.Join(parts, " ")
}

// Words returns the surface words of text (lower case, Indonesian stop
// words removed, not stemmed) joined by spaces: what typo matching
// compares.
func (a *Analyzers) Words(text string) string { return join(a.words, text) }

// IndonesianStopWords returns the Indonesian stop list Bleve ships (from
// Lucene: Tala, "A Study of Stemming Effects on Information Retrieval in
// Bahasa Indonesia", 2003, appendix D).
func IndonesianStopWords() []string {
	tm := blevean.NewTokenMap()
	if err := tm.LoadBytes(id.IndonesianStopWords); err != nil {
		return nil
	}
	out := make([]string, 0, len(tm))
	for w := range tm {
		out = append(out, w)
	}
	return out
}
