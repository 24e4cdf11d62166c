// Package stopwords holds the Indonesian and English stop word lists that
// rembug's text analysis shares: the search engines (through Bleve's
// analyzers, which ship the same lists) and the key terms of consultation
// reports. It links no engine, so domain packages may use it.
//
// id.txt is Lucene's Indonesian list (Tala, "A Study of Stemming Effects
// on Information Retrieval in Bahasa Indonesia", 2003, appendix D) and
// en.txt the Snowball English list, both as Bleve v2 ships them (Apache
// License 2.0); a test in search/analysis checks that they stay equal.
//
// Concurrency: the lists are read-only.
package stopwords

import (
	_ "embed"
	"strings"
)

//go:embed id.txt
var idText string

//go:embed en.txt
var enText string

// Indonesian returns the Indonesian stop words, lower case.
func Indonesian() []string { return parse(idText) }

// English returns the English stop words, lower case.
func English() []string { return parse(enText) }

// parse reads a list: one or more words a line, comments after "#" or "|".
func parse(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if i := strings.IndexAny(line, "#|"); i >= 0 {
			line = line[:i]
		}
		for _, w := range strings.Fields(line) {
			out = append(out, strings.ToLower(w))
		}
	}
	return out
}
