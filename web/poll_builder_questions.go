package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
)

// readQuestion reads a question form: code (blank: the next free "qN"),
// kind, text, required, satisfaction (rating, Likert, NPS), options and items (one per line), min and max
// (multiple choice), method (ranked) and show_if ("code=value" or blank).
// Fields that do not belong to the chosen kind are ignored, so changing a
// question's kind never fails on a leftover list.
func readQuestion(r *http.Request) builderQuestion {
	return builderQuestion{Code: strings.TrimSpace(r.PostFormValue("code")), Kind: r.PostFormValue("kind"),
		Text: r.PostFormValue("text"), Required: r.PostFormValue("required") != "", Satisfaction: r.PostFormValue("satisfaction") != "",
		Options: r.PostFormValue("options"), Items: r.PostFormValue("items"),
		Min: strings.TrimSpace(r.PostFormValue("min")), Max: strings.TrimSpace(r.PostFormValue("max")),
		Method: r.PostFormValue("method"), ShowIf: r.PostFormValue("show_if")}
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// question turns the form into a polls.Question; a number that does not
// parse becomes -1, which polls.CheckQuestions refuses with its message.
func (f builderQuestion) question() polls.Question {
	q := polls.Question{Code: f.Code, Kind: polls.Kind(f.Kind), Text: strings.TrimSpace(f.Text), Required: f.Required}
	num := func(s string) int {
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return -1
		}
		return n
	}
	switch q.Kind {
	case polls.KindSingle, polls.KindRanked:
		q.Spec.Options = lines(f.Options)
	case polls.KindMultiple:
		q.Spec.Options = lines(f.Options)
		q.Spec.Min, q.Spec.Max = num(f.Min), num(f.Max)
	case polls.KindLikert:
		q.Spec.Items = lines(f.Items)
	}
	switch q.Kind {
	case polls.KindRating, polls.KindLikert, polls.KindNPS:
		q.Spec.Satisfaction = f.Satisfaction
	}
	if q.Kind == polls.KindRanked {
		q.Spec.Method = f.Method
	}
	if code, val, ok := strings.Cut(f.ShowIf, "="); ok {
		q.Spec.ShowIf = &polls.Condition{Question: code, Value: num(val)}
	}
	return q
}

// nextCode returns the first of q1, q2, … that no question of qs uses.
func nextCode(qs []polls.Question) string {
	for n := len(qs) + 1; ; n++ {
		c := "q" + strconv.Itoa(n)
		if !slices.ContainsFunc(qs, func(q polls.Question) bool { return q.Code == c }) {
			return c
		}
	}
}

// questionField names the field of the question form that err is about.
func questionField(err error, f builderQuestion) string {
	var e *errs.Error
	if !errors.As(err, &e) {
		return "text"
	}
	switch e.Key {
	case "poll.error.duplicate_code":
		return "code"
	case "poll.error.unknown_kind":
		return "kind"
	case "poll.error.bad_condition":
		return "show_if"
	case "poll.error.bad_selection":
		return "min"
	case "poll.error.bad_method":
		return "method"
	case "poll.error.option_count", "poll.error.unexpected_options":
		if f.Kind == string(polls.KindLikert) {
			return "items"
		}
		return "options"
	}
	if fld, _ := e.Data["Field"].(string); fld == "code" {
		return "code"
	}
	if t := strings.TrimSpace(f.Text); t == "" || utf8.RuneCountInString(t) > polls.MaxTextRunes || !utf8.ValidString(t) {
		return "text"
	}
	if f.Kind == string(polls.KindLikert) {
		return "items"
	}
	return "options"
}

// questionError renders the builder with err next to the field of form f
// (the add form when code is "", else the edit form of question code).
func (s *Server) questionError(w http.ResponseWriter, r *http.Request, err error, code string, f builderQuestion) {
	v, c, sv, qs, lerr := s.builderSurvey(r)
	if lerr != nil {
		s.serveError(w, r, lerr)
		return
	}
	status, msg, ok := s.formError(r, err)
	if !ok {
		s.serveError(w, r, err)
		return
	}
	f.Err = map[string]string{questionField(err, f): msg}
	pg := &builderPage{}
	if errors.Is(err, polls.ErrQuestionsLocked) {
		pg.StateError = msg
	} else if code == "" {
		pg.New = f
	} else {
		f.Code = code
		pg.Questions = []builderQuestion{f}
	}
	s.renderBuilder(w, r, status, v, c, sv, qs, pg)
}

// handleBuilderAdd adds a question at the end.
func (s *Server) handleBuilderAdd(w http.ResponseWriter, r *http.Request) {
	v, _, sv, _, err := s.builderSurvey(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	f := readQuestion(r)
	err = s.polls.EditQuestions(r.Context(), v, sv.ID, func(qs []polls.Question) ([]polls.Question, error) {
		q := f.question()
		if q.Code == "" {
			q.Code = nextCode(qs)
		}
		return append(qs, q), nil
	})
	if err != nil {
		s.questionError(w, r, err, "", f)
		return
	}
	http.Redirect(w, r, builderURL(sv.ID)+"#questions", http.StatusSeeOther)
}

// handleBuilderEdit replaces question {code} by the form's; a new code
// carries the conditions that pointed at the old one (polls.ReplaceQuestion).
func (s *Server) handleBuilderEdit(w http.ResponseWriter, r *http.Request) {
	v, _, sv, _, err := s.builderSurvey(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	code := r.PathValue("code")
	f := readQuestion(r)
	err = s.polls.EditQuestions(r.Context(), v, sv.ID, func(qs []polls.Question) ([]polls.Question, error) {
		return polls.ReplaceQuestion(qs, code, f.question())
	})
	if errors.Is(err, errs.ErrNotFound) {
		s.serveError(w, r, err)
		return
	}
	if err != nil {
		s.questionError(w, r, err, code, f)
		return
	}
	http.Redirect(w, r, builderURL(sv.ID)+"#q-"+f.Code, http.StatusSeeOther)
}

// handleBuilderMove moves question {code} up (naik) or down (turun), or
// deletes it (hapus). A move or delete that would leave a condition
// pointing at a later or missing question is refused with its message.
func (s *Server) handleBuilderMove(w http.ResponseWriter, r *http.Request) {
	v, _, sv, qs0, err := s.builderSurvey(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	code, action := r.PathValue("code"), r.PathValue("action")
	if action != "naik" && action != "turun" && action != "hapus" {
		s.serveError(w, r, errs.ErrNotFound)
		return
	}
	err = s.polls.EditQuestions(r.Context(), v, sv.ID, func(qs []polls.Question) ([]polls.Question, error) {
		i := slices.IndexFunc(qs, func(q polls.Question) bool { return q.Code == code })
		if i < 0 {
			return nil, errs.ErrNotFound
		}
		switch {
		case action == "hapus":
			return slices.Delete(qs, i, i+1), nil
		case action == "naik" && i > 0:
			qs[i-1], qs[i] = qs[i], qs[i-1]
		case action == "turun" && i < len(qs)-1:
			qs[i], qs[i+1] = qs[i+1], qs[i]
		}
		return qs, nil
	})
	if errors.Is(err, errs.ErrNotFound) {
		s.serveError(w, r, err)
		return
	}
	if err != nil {
		var f builderQuestion
		if i := slices.IndexFunc(qs0, func(q polls.Question) bool { return q.Code == code }); i >= 0 {
			f = questionForm(&qs0[i])
		}
		s.questionError(w, r, err, code, f)
		return
	}
	http.Redirect(w, r, builderURL(sv.ID)+"#questions", http.StatusSeeOther)
}
