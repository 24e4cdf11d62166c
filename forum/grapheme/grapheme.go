// Package grapheme cuts text on grapheme-cluster boundaries, so that a
// shortened label, snippet or name never ends in half of a character that a
// reader sees as one: a ZWJ family emoji (👨‍👩‍👧), a flag (🇮🇩, two regional
// indicators), an emoji with a skin tone (👍🏽) or a letter with combining
// marks. Cluster boundaries follow Unicode Standard Annex #29 (extended
// grapheme clusters) as implemented by github.com/rivo/uniseg.
//
// Every function here is pure and safe for concurrent use. Invalid UTF-8 in
// the input is replaced by U+FFFD first, so every result is valid UTF-8.
package grapheme

import (
	"strings"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// Unit is what a limit counts.
type Unit int

const (
	// Clusters counts grapheme clusters, the characters a reader sees; use it
	// for text shown on screen (chart labels, titles).
	Clusters Unit = iota
	// Runes counts Unicode code points; use it where a format or a column
	// limits code points (an XLSX sheet name holds 31, a stored name 80).
	Runes
	// Bytes counts UTF-8 bytes; use it where byte offsets are at hand.
	Bytes
)

// Ellipsis is appended by Truncate to a string it shortened.
const Ellipsis = "…"

// Prefix returns the longest prefix of s that ends on a grapheme-cluster
// boundary and measures at most n in unit. It returns s unchanged when s
// fits, and "" when n <= 0 or the first cluster alone is longer than n.
func Prefix(s string, n int, unit Unit) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if n <= 0 {
		return ""
	}
	if size(s, unit) <= n {
		return s
	}
	used, end := 0, 0
	rest, state := s, -1
	for len(rest) > 0 {
		var cluster string
		cluster, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		used += size(cluster, unit)
		if used > n {
			break
		}
		end += len(cluster)
	}
	return s[:end]
}

// Truncate shortens s for display to at most n grapheme clusters: a string
// that is longer loses clusters from its end and gains Ellipsis, which
// counts as one of the n. n below 1 is treated as 1 (Ellipsis alone).
func Truncate(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	n = max(n, 1)
	if uniseg.GraphemeClusterCount(s) <= n {
		return s
	}
	return Prefix(s, n-1, Clusters) + Ellipsis
}

// Count returns the number of grapheme clusters in s.
func Count(s string) int {
	return uniseg.GraphemeClusterCount(strings.ToValidUTF8(s, "\uFFFD"))
}

// Floor returns the largest grapheme-cluster boundary of s at or before
// byte offset i: 0 when i <= 0, len(s) when i >= len(s). An invalid byte
// counts as a cluster of its own, so the result is always an offset into s.
func Floor(s string, i int) int {
	if i >= len(s) {
		return len(s)
	}
	end, rest, state := 0, s, -1
	for len(rest) > 0 {
		var cluster string
		cluster, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		if end+len(cluster) > i {
			break
		}
		end += len(cluster)
	}
	return end
}

func size(s string, unit Unit) int {
	switch unit {
	case Runes:
		return utf8.RuneCountInString(s)
	case Bytes:
		return len(s)
	}
	return uniseg.GraphemeClusterCount(s)
}
