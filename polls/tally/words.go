package tally

import (
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NormalizeWord returns the form under which a word-cloud answer is counted: invalid
// UTF-8 bytes dropped, lower-cased (Unicode default case mapping, which suits
// Indonesian and English), Unicode NFC (golang.org/x/text/unicode/norm), runs of
// white space (including no-break space and tabs) collapsed to one space, leading and
// trailing white space and punctuation (Unicode category P) removed, as are control
// and format characters such as zero-width spaces. Punctuation inside the answer is
// kept ("e-ktp", "jalan-jalan"). The result may be empty.
func NormalizeWord(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) || (unicode.IsControl(r) && !unicode.IsSpace(r)) {
			return -1
		}
		return r
	}, s)
	s = norm.NFC.String(strings.ToLower(s))
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
}

// WordCount is one entry of a word cloud.
type WordCount struct {
	// Word is the normalized form (see NormalizeWord).
	Word string `json:"word"`
	// Count is the number of answers (or words, when split) with that form.
	Count int `json:"count"`
}

// WordOptions tunes WordCloud.
type WordOptions struct {
	// Top keeps only the Top most frequent entries; 0 keeps all.
	Top int
	// Split counts each space-separated word of an answer instead of the whole answer
	// (for free-text answers rather than one-word prompts).
	Split bool
	// StopWords are normalized words left out when Split is set, e.g. StopWords("id").
	StopWords []string
}

// WordCloud counts answers after NormalizeWord, dropping empty ones, and returns the
// entries by count, most first, equal counts in byte order of Word, so the result is
// the same on every view.
func WordCloud(answers []string, opt WordOptions) []WordCount {
	stop := make(map[string]bool, len(opt.StopWords))
	for _, w := range opt.StopWords {
		stop[NormalizeWord(w)] = true
	}
	counts := make(map[string]int)
	for _, a := range answers {
		a = NormalizeWord(a)
		if !opt.Split {
			if a != "" {
				counts[a]++
			}
			continue
		}
		for _, w := range strings.Fields(a) {
			w = strings.TrimFunc(w, unicode.IsPunct)
			if w != "" && !stop[w] {
				counts[w]++
			}
		}
	}
	out := make([]WordCount, 0, len(counts))
	for w, c := range counts {
		out = append(out, WordCount{Word: w, Count: c})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Word < out[j].Word
	})
	if opt.Top > 0 && len(out) > opt.Top {
		out = out[:opt.Top]
	}
	return out
}

const (
	stopID = "ada adalah agar akan aku apa atau bagi bahwa banyak belum bisa dalam dan dari dengan di dia harus ini itu jadi juga kami kamu kan karena ke kita lagi lebih masih mau mereka nya oleh pada para saja sangat saya sebagai sudah supaya tapi tetapi tidak untuk yaitu yang"
	stopEN = "a about all also an and are as at be been but by can do for from has have i if in into is it its more my no not of on or our so than that the their there they this to was we were what which will with you your"
)

// StopWords returns a short list of very common words of lang ("id" or "en") to leave
// out of split word clouds. It returns nil for another lang. The slice is new on every
// call.
func StopWords(lang string) []string {
	switch lang {
	case "id":
		return strings.Fields(stopID)
	case "en":
		return strings.Fields(stopEN)
	}
	return nil
}
