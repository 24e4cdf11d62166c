package polls

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rembug/rembug/forum/errs"
)

// invalid builds an errs.Invalid error with translation key "poll.error."+key.
func invalid(key string, data map[string]any) *errs.Error {
	return errs.E(errs.Invalid, "poll.error."+key, data)
}

// checkText checks that s is valid UTF-8, not blank when required, and at
// most max runes; what names the field in the message data.
func checkText(what, s string, max int, required bool) error {
	if !utf8.ValidString(s) {
		return invalid("invalid_utf8", map[string]any{"Field": what})
	}
	if required && strings.TrimSpace(s) == "" {
		return invalid("blank", map[string]any{"Field": what})
	}
	if n := utf8.RuneCountInString(s); n > max {
		return invalid("too_long", map[string]any{"Field": what, "Max": max, "Count": n})
	}
	return nil
}

// CheckQuestions validates a survey's questions in order: known kinds,
// unique codes, texts and options within the limits, a sensible selection
// rule, a known ranked method, and conditions that refer to an earlier
// question of a kind that can be matched. It fills defaults (Position, the
// IRV method). It returns an errs.Invalid *errs.Error.
func CheckQuestions(qs []Question) error {
	if len(qs) == 0 {
		return invalid("no_questions", nil)
	}
	if len(qs) > MaxQuestions {
		return invalid("too_many_questions", map[string]any{"Max": MaxQuestions})
	}
	seen := map[string]int{}
	for i := range qs {
		q := &qs[i]
		q.Position = i
		if err := checkText("code", q.Code, MaxCodeRunes, true); err != nil {
			return err
		}
		if _, dup := seen[q.Code]; dup {
			return invalid("duplicate_code", map[string]any{"Code": q.Code})
		}
		if !slices.Contains(Kinds(), q.Kind) {
			return invalid("unknown_kind", map[string]any{"Kind": string(q.Kind)})
		}
		if err := checkText(q.Code, q.Text, MaxTextRunes, true); err != nil {
			return err
		}
		if err := checkSpec(q); err != nil {
			return err
		}
		if c := q.Spec.ShowIf; c != nil {
			at, ok := seen[c.Question]
			if !ok {
				return invalid("bad_condition", map[string]any{"Code": q.Code})
			}
			if err := checkConditionTarget(&qs[at], c.Value); err != nil {
				return invalid("bad_condition", map[string]any{"Code": q.Code})
			}
		}
		seen[q.Code] = i
	}
	return nil
}

func checkSpec(q *Question) error {
	sp := &q.Spec
	needsOptions := q.Kind == KindSingle || q.Kind == KindMultiple || q.Kind == KindRanked
	if needsOptions {
		if len(sp.Options) < 2 || len(sp.Options) > MaxOptions {
			return invalid("option_count", map[string]any{"Code": q.Code, "Max": MaxOptions})
		}
		for _, o := range sp.Options {
			if err := checkText(q.Code, o, MaxOptionRunes, true); err != nil {
				return err
			}
		}
	} else if len(sp.Options) > 0 {
		return invalid("unexpected_options", map[string]any{"Code": q.Code})
	}
	if q.Kind == KindLikert {
		if len(sp.Items) < 1 || len(sp.Items) > MaxOptions {
			return invalid("option_count", map[string]any{"Code": q.Code, "Max": MaxOptions})
		}
		for _, it := range sp.Items {
			if err := checkText(q.Code, it, MaxOptionRunes, true); err != nil {
				return err
			}
		}
	} else if len(sp.Items) > 0 {
		return invalid("unexpected_options", map[string]any{"Code": q.Code})
	}
	if q.Kind == KindMultiple {
		if sp.Max == 0 {
			sp.Max = len(sp.Options)
		}
		if sp.Min < 0 || sp.Max < 1 || sp.Min > sp.Max || sp.Max > len(sp.Options) {
			return invalid("bad_selection", map[string]any{"Code": q.Code})
		}
		if q.Required && sp.Min == 0 {
			sp.Min = 1
		}
	} else if sp.Min != 0 || sp.Max != 0 {
		return invalid("bad_selection", map[string]any{"Code": q.Code})
	}
	if q.Kind == KindRanked {
		switch sp.Method {
		case "":
			sp.Method = MethodIRV
		case MethodIRV, MethodBorda, MethodSchulze:
		default:
			return invalid("bad_method", map[string]any{"Code": q.Code})
		}
	} else if sp.Method != "" {
		return invalid("bad_method", map[string]any{"Code": q.Code})
	}
	return nil
}

func checkConditionTarget(t *Question, v int) error {
	switch t.Kind {
	case KindSingle, KindMultiple, KindRanked, KindYesNo:
		if v >= 0 && v < t.Choices() {
			return nil
		}
	case KindRating:
		if v >= RatingMin && v <= RatingMax {
			return nil
		}
	case KindNPS:
		if v >= NPSMin && v <= NPSMax {
			return nil
		}
	}
	return invalid("bad_condition", nil)
}

// Shown reports whether q is shown given the answers so far: true without a
// condition, else whether the condition holds (an unanswered or hidden
// target hides q).
func Shown(q *Question, byCode map[string]*Question, a Answers) bool {
	c := q.Spec.ShowIf
	if c == nil {
		return true
	}
	t := byCode[c.Question]
	if t == nil || !Shown(t, byCode, a) {
		return false
	}
	ans, ok := a[c.Question]
	if !ok {
		return false
	}
	if t.Kind == KindRating || t.Kind == KindNPS {
		return ans.Value != nil && *ans.Value == c.Value
	}
	return slices.Contains(ans.Choices, c.Value)
}

// CleanAnswers checks a's answers against qs and returns them without the
// answers to hidden questions and to unknown codes. Every shown required
// question must be answered; every answer must fit its question (options in
// range, no duplicates, Min..Max selections, values on the scale, texts
// within the limits). Blank texts and empty selections count as not
// answered. It returns an errs.Invalid *errs.Error naming the question text
// (data "Question").
func CleanAnswers(qs []Question, a Answers) (Answers, error) {
	byCode := make(map[string]*Question, len(qs))
	for i := range qs {
		byCode[qs[i].Code] = &qs[i]
	}
	out := Answers{}
	for i := range qs {
		q := &qs[i]
		if !Shown(q, byCode, out) {
			continue
		}
		ans, ok := a[q.Code]
		if ok {
			var err error
			if ans, ok, err = cleanAnswer(q, ans); err != nil {
				return nil, err
			}
		}
		if !ok {
			if q.Required {
				return nil, invalid("required", map[string]any{"Question": q.Text})
			}
			continue
		}
		out[q.Code] = ans
	}
	return out, nil
}

// cleanAnswer validates one answer; ok is false when it is blank.
func cleanAnswer(q *Question, a Answer) (Answer, bool, error) {
	bad := func(key string) (Answer, bool, error) {
		return Answer{}, false, invalid(key, map[string]any{"Question": q.Text, "Min": q.Spec.Min, "Max": q.Spec.Max})
	}
	switch q.Kind {
	case KindSingle, KindYesNo, KindMultiple, KindRanked:
		if len(a.Choices) == 0 {
			return Answer{}, false, nil
		}
		seen := map[int]bool{}
		for _, c := range a.Choices {
			if c < 0 || c >= q.Choices() {
				return bad("bad_choice")
			}
			if seen[c] {
				return bad("duplicate_choice")
			}
			seen[c] = true
		}
		switch {
		case (q.Kind == KindSingle || q.Kind == KindYesNo) && len(a.Choices) != 1:
			return bad("one_choice")
		case q.Kind == KindMultiple && (len(a.Choices) < q.Spec.Min || len(a.Choices) > q.Spec.Max):
			return bad("selection_count")
		}
		return Answer{Choices: a.Choices}, true, nil
	case KindRating, KindNPS:
		if a.Value == nil {
			return Answer{}, false, nil
		}
		lo, hi := RatingMin, RatingMax
		if q.Kind == KindNPS {
			lo, hi = NPSMin, NPSMax
		}
		if *a.Value < lo || *a.Value > hi {
			return bad("bad_value")
		}
		v := *a.Value
		return Answer{Value: &v}, true, nil
	case KindLikert:
		if len(a.Items) > len(q.Spec.Items) {
			return bad("bad_value")
		}
		any := false
		for _, v := range a.Items {
			if v != 0 && (v < LikertMin || v > LikertMax) {
				return bad("bad_value")
			}
			any = any || v != 0
		}
		return Answer{Items: a.Items}, any, nil
	case KindText, KindWords:
		t := strings.TrimSpace(a.Text)
		max := MaxAnswerRunes
		if q.Kind == KindWords {
			max = MaxWordRunes
		}
		if err := checkText(q.Text, t, max, false); err != nil {
			return Answer{}, false, err
		}
		return Answer{Text: t}, t != "", nil
	}
	return bad("bad_value")
}
