package forum

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rembug/rembug/forum/errs"
)

// Length limits in characters (runes), checked in code because SQLite does
// not enforce VARCHAR(n) (CASES C09). The web layer's translations state
// the same numbers.
const (
	MinTitleRunes   = 3
	MaxTitleRunes   = 150
	MaxBodyRunes    = 20000
	MaxCommentRunes = 5000
	MaxTopicRunes   = 40
	MaxTopics       = 5
	MaxReasonRunes  = 500
	MaxAnswerRunes  = 10000
)

// plainText checks one line of plain text (a title or a name): valid
// UTF-8, control characters turned into spaces, runs of spaces collapsed,
// and between min and max characters. A violation is errs.Invalid with the
// key "error.length_<field>" (or "error.utf8").
func plainText(s, field string, min, max int) (string, error) {
	if !utf8.ValidString(s) {
		return "", errs.E(errs.Invalid, "error.utf8", nil)
	}
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if n := utf8.RuneCountInString(s); n < min || n > max {
		return "", errs.E(errs.Invalid, "error.length_"+field, map[string]any{"Min": min, "Max": max})
	}
	return s, nil
}

// longText checks a markdown body: valid UTF-8, trimmed, no NUL bytes,
// between min and max characters.
func longText(s, field string, min, max int) (string, error) {
	if !utf8.ValidString(s) {
		return "", errs.E(errs.Invalid, "error.utf8", nil)
	}
	s = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "\x00", ""), "\r\n", "\n"))
	if n := utf8.RuneCountInString(s); n < min || n > max {
		return "", errs.E(errs.Invalid, "error.length_"+field, map[string]any{"Min": min, "Max": max})
	}
	return s, nil
}

// topicList normalizes comma-separated topics: trimmed, lowercased,
// de-duplicated, at most MaxTopics of at most MaxTopicRunes each. It
// returns them in the stored form "|a|b|" (empty when there are none).
func topicList(s string) ([]string, string, error) {
	var out []string
	seen := map[string]bool{}
	for _, t := range strings.Split(s, ",") {
		t, err := plainText(strings.ToLower(strings.ReplaceAll(t, "|", " ")), "topic", 0, MaxTopicRunes)
		if err != nil {
			return nil, "", err
		}
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	if len(out) > MaxTopics {
		return nil, "", errs.E(errs.Invalid, "error.length_topics", map[string]any{"Max": MaxTopics})
	}
	if len(out) == 0 {
		return nil, "", nil
	}
	return out, "|" + strings.Join(out, "|") + "|", nil
}
