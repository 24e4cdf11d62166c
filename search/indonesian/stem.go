// Package indonesian reduces Bahasa Indonesia words to their roots (kata
// dasar) for full-text search.
//
// The stemmer follows the confix-stripping family of algorithms:
//
//   - B. Nazief and M. Adriani, "Confix-stripping: Approach to Stemming
//     Algorithm for Bahasa Indonesia", Universitas Indonesia, 1996;
//   - J. Asian, H. E. Williams, S. M. M. Tahaghoghi, "Stemming Indonesian",
//     ACSC 2005 (the confix-stripping rules with recoding);
//   - A. Z. Arifin, I. P. A. K. Mahendra, H. T. Ciptaningtyas, "Enhanced
//     Confix Stripping Stemmer and Ants Algorithm for Classifying News
//     Document in Indonesian Language", ICTS 2009 (ECS: extra prefix rules
//     and the loop that restores suffixes when a root is not found).
//
// A word is looked up in a root dictionary (embedded roots.txt) after each
// step: inflectional particles (-lah, -kah, -tah, -pun), possessive
// pronouns (-ku, -mu, -nya), derivational suffixes (-kan, -an, -i), then up
// to three derivational prefixes (di-, ke-, se-, be(r)-, te(r)-, me(N)-,
// pe(N)-, pe(r)-) with their morphophonemic recodings (mem-, men-, meng-,
// meny-, pem-, pen-, peng-, peny-; menulis → tulis, memakai → pakai,
// menyapu → sapu, mengirim → kirim). Disallowed confixes (be-…-i, di-…-an,
// ke-…-i, ke-…-kan, me-…-an, se-…-i, se-…-kan, te-…-an) are skipped. When
// stripping all suffixes finds no root, the suffixes are restored one by
// one and the prefixes tried again. Reduplicated words (lampu-lampu,
// tolong-menolong) stem to the root of their first half. A word whose root
// is not in the dictionary keeps its form, minus a trailing particle or
// -nya, so that unknown words (names, loanwords) still match themselves.
//
// Words of three letters or fewer, numbers and words with letters outside
// a–z are returned lower-cased and otherwise unchanged.
//
// A Stemmer is immutable after New and safe for concurrent use.
package indonesian

import (
	_ "embed"
	"strings"
)

//go:embed roots.txt
var rootsText string

// Stemmer reduces Indonesian words to roots using an embedded dictionary of
// about 2,400 roots. The zero value is not usable; call New.
type Stemmer struct {
	roots map[string]struct{}
}

// New returns a Stemmer loaded with the embedded root dictionary.
func New() *Stemmer {
	s := &Stemmer{roots: make(map[string]struct{}, 4096)}
	for _, line := range strings.Split(rootsText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		for _, w := range strings.Fields(line) {
			s.roots[strings.ToLower(w)] = struct{}{}
		}
	}
	return s
}

// IsRoot reports whether w (lower case) is in the root dictionary.
func (s *Stemmer) IsRoot(w string) bool {
	_, ok := s.roots[w]
	return ok
}

// Stem returns the root of word, lower-cased. See the package comment for
// the rules; it never fails and never returns an empty string for a
// non-empty word.
func (s *Stemmer) Stem(word string) string {
	w := strings.ToLower(word)
	if strings.Contains(w, "-") {
		return s.stemReduplicated(w)
	}
	if len(w) <= 3 || !lettersOnly(w) || s.IsRoot(w) {
		return w
	}
	if r, ok := s.find(w); ok {
		return r
	}
	return fallback(w)
}

// stemReduplicated stems the first non-empty half of a hyphenated word.
func (s *Stemmer) stemReduplicated(w string) string {
	for _, part := range strings.Split(w, "-") {
		if part != "" {
			return s.Stem(part)
		}
	}
	return w
}

// candidate is a word with some suffixes removed; suffix is the
// derivational suffix removed ("", "i", "an" or "kan").
type candidate struct {
	word, suffix string
}

// find runs the confix-stripping search described in the package comment.
func (s *Stemmer) find(w string) (string, bool) {
	w1 := trimAny(w, "lah", "kah", "tah", "pun")
	w2 := trimAny(w1, "ku", "mu", "nya")
	for _, c := range []string{w1, w2} {
		if s.IsRoot(c) {
			return c, true
		}
	}
	var cands []candidate
	if strings.HasSuffix(w2, "kan") {
		cands = append(cands, candidate{w2[:len(w2)-3], "kan"})
	}
	if strings.HasSuffix(w2, "an") {
		cands = append(cands, candidate{w2[:len(w2)-2], "an"})
	}
	if strings.HasSuffix(w2, "i") {
		cands = append(cands, candidate{w2[:len(w2)-1], "i"})
	}
	cands = append(cands, candidate{w2, ""})
	if w1 != w2 {
		cands = append(cands, candidate{w1, ""})
	}
	if w != w1 {
		cands = append(cands, candidate{w, ""})
	}
	for _, c := range cands {
		if len(c.word) < 2 {
			continue
		}
		if s.IsRoot(c.word) {
			return c.word, true
		}
		if r, ok := s.stripPrefixes(c.word, c.suffix, 0, ""); ok {
			return r, true
		}
	}
	return "", false
}

// stripPrefixes removes up to three prefixes, trying every recoding, and
// returns the first dictionary root reached. removed holds the kinds of the
// prefixes removed so far; a kind is never removed twice.
func (s *Stemmer) stripPrefixes(w, suffix string, depth int, removed string) (string, bool) {
	if depth >= 3 {
		return "", false
	}
	for _, alt := range prefixAlternatives(w) {
		if strings.Contains(removed, alt.kind+"|") {
			continue
		}
		if depth == 0 && disallowed(alt.kind, suffix, alt.rest) {
			continue
		}
		if len(alt.rest) < 2 {
			continue
		}
		if s.IsRoot(alt.rest) {
			return alt.rest, true
		}
		if r, ok := s.stripPrefixes(alt.rest, suffix, depth+1, removed+alt.kind+"|"); ok {
			return r, true
		}
	}
	return "", false
}

// disallowed reports the confixes that Nazief and Adriani rule out, with
// ECS's exception ketahui (ke-tahu-i).
func disallowed(kind, suffix, rest string) bool {
	switch kind + "-" + suffix {
	case "be-i", "di-an", "me-an", "se-i", "se-kan", "te-an", "ke-kan":
		return true
	case "ke-i":
		return rest != "tahu"
	}
	return false
}

// fallback strips a trailing particle or -nya from an unknown word when at
// least four letters remain.
func fallback(w string) string {
	for _, suf := range []string{"lah", "kah", "pun", "nya"} {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 4 {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// trimAny removes the first of sufs that w ends with, keeping at least two
// letters.
func trimAny(w string, sufs ...string) string {
	for _, suf := range sufs {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 2 {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

func lettersOnly(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}
