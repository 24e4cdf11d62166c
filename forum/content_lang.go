package forum

import (
	"strings"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"
)

// Bounds of DetectLang: it reads up to detectTexts texts, each cut to
// detectRunes characters (whatlanggo's confidence is meant for sentences
// and breaks down on very long input), and trusts a language that most
// of the reliable answers give.
const (
	detectTexts = 300
	detectRunes = 1000
	detectMin   = 15 // characters: shorter texts say too little
)

// DetectLang returns the language the texts are written in, as a BCP 47
// primary language subtag (ISO 639-1: "en", "de", "es", "zh"), or "" when
// it cannot tell. It asks whatlanggo (the trigram profiles of whatlang-rs)
// about each of the first detectTexts texts of at least detectMin
// characters and keeps the language of more than half of the reliable
// answers. The importers tag a consultation's imported content with it
// (Consultation.ContentLang), so that pages mark that content with its
// language (WCAG 2.1 SC 3.1.2, Language of Parts).
func DetectLang(texts ...string) string {
	votes, reliable, asked := map[string]int{}, 0, 0
	for _, t := range texts {
		if asked == detectTexts {
			break
		}
		t = strings.TrimSpace(t)
		if utf8.RuneCountInString(t) < detectMin {
			continue
		}
		if n := 0; utf8.RuneCountInString(t) > detectRunes {
			for i := range t {
				if n == detectRunes {
					t = t[:i]
					break
				}
				n++
			}
		}
		asked++
		info := whatlanggo.Detect(t)
		if info.IsReliable() {
			votes[info.Lang.Iso6391()]++
			reliable++
		}
	}
	for lang, n := range votes {
		if 2*n > reliable && lang != "" {
			return lang
		}
	}
	return ""
}
