package forum

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// maxSlugRunes bounds a slug's length in characters (not bytes), so a long
// Chinese title still gives a readable URL.
const maxSlugRunes = 60

// Slugify turns a title into a URL path segment in any script: letters and
// digits of every alphabet are kept (lowercased, NFC), everything else becomes
// one hyphen. A title with no letters or digits (an emoji-only title, "???")
// gives fallback instead, and a slug made only of digits gets a "k-" prefix so
// it can never be mistaken for a numeric id (CASES C07).
func Slugify(title, fallback string) string {
	var b strings.Builder
	n, dash := 0, false
	for _, r := range norm.NFC.String(title) {
		if n >= maxSlugRunes {
			break
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
				n++
			}
			b.WriteRune(unicode.ToLower(r))
			n++
			dash = false
			continue
		}
		dash = true
	}
	s := b.String()
	if s == "" {
		s = fallback
	}
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
		s = "k-" + s
	}
	return s
}
