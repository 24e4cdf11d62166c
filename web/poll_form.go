package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
)

// Form field names: "a_<code>" for a question, "a_<code>_<item>" for a
// Likert item. Ranked questions send "a_<code>" once per position, in
// order; blank positions are skipped.

func fieldName(code string) string { return "a_" + code }

func itemField(code string, i int) string { return "a_" + code + "_" + strconv.Itoa(i) }

func (s *Server) questionViews(lang string, qs []polls.Question, prev polls.Answers) []questionView {
	byCode := map[string]*polls.Question{}
	for i := range qs {
		byCode[qs[i].Code] = &qs[i]
	}
	var out []questionView
	for i := range qs {
		q := &qs[i]
		if !polls.Shown(q, byCode, prev) {
			continue // shown once the answers it depends on are given (handlePollSubmit)
		}
		a := prev[q.Code]
		v := questionView{Code: q.Code, Kind: string(q.Kind), Text: q.Text, Name: fieldName(q.Code), Required: q.Required,
			Min: q.Spec.Min, Max: q.Spec.Max, Text_: a.Text}
		if c := q.Spec.ShowIf; c != nil {
			if t := byCode[c.Question]; t != nil {
				v.ShowIf = s.msgs.T(lang, "poll.show_if", "Question", t.Text, "Answer", answerLabel(s, lang, t, c.Value))
			}
		}
		choice := func(val int, label string) choiceView {
			checked := slices.Contains(a.Choices, val) || (a.Value != nil && *a.Value == val)
			return choiceView{Value: strconv.Itoa(val), Label: label, Checked: checked}
		}
		switch q.Kind {
		case polls.KindSingle, polls.KindMultiple, polls.KindYesNo:
			for o := 0; o < q.Choices(); o++ {
				v.Choices = append(v.Choices, choice(o, answerLabel(s, lang, q, o)))
			}
		case polls.KindRating, polls.KindNPS:
			lo, hi := polls.RatingMin, polls.RatingMax
			if q.Kind == polls.KindNPS {
				lo, hi = polls.NPSMin, polls.NPSMax
			}
			for n := lo; n <= hi; n++ {
				v.Choices = append(v.Choices, choice(n, strconv.Itoa(n)))
			}
		case polls.KindRanked:
			for pos := range q.Spec.Options {
				var sel []choiceView
				for o, label := range q.Spec.Options {
					sel = append(sel, choiceView{Value: strconv.Itoa(o), Label: label, Checked: pos < len(a.Choices) && a.Choices[pos] == o})
				}
				v.Positions = append(v.Positions, rankPosition{N: pos + 1, Options: sel})
			}
		case polls.KindLikert:
			for it, label := range q.Spec.Items {
				iv := itemView{Label: label, Name: itemField(q.Code, it)}
				for n := polls.LikertMin; n <= polls.LikertMax; n++ {
					checked := it < len(a.Items) && a.Items[it] == n
					iv.Scale = append(iv.Scale, choiceView{Value: strconv.Itoa(n), Label: s.msgs.T(lang, "poll.likert."+strconv.Itoa(n)), Checked: checked})
				}
				v.Items = append(v.Items, iv)
			}
		}
		out = append(out, v)
	}
	return out
}

// newlyShown reports whether answers a show a question that the form did
// not: its "shown" fields list the codes it displayed (a client that sends
// none, such as a script, is taken to have shown every question). Conditions are
// evaluated on the server, so a survey with conditions works without
// JavaScript: the form comes back with the questions the answers revealed.
func newlyShown(r *http.Request, qs []polls.Question, a polls.Answers) bool {
	byCode := map[string]*polls.Question{}
	for i := range qs {
		byCode[qs[i].Code] = &qs[i]
	}
	shown := r.PostForm["shown"]
	if len(shown) == 0 {
		return false
	}
	for i := range qs {
		if polls.Shown(&qs[i], byCode, a) && !slices.Contains(shown, qs[i].Code) {
			return true
		}
	}
	return false
}

// answerLabel names answer value v of question q.
func answerLabel(s *Server, lang string, q *polls.Question, v int) string {
	switch q.Kind {
	case polls.KindYesNo:
		if v == 0 {
			return s.msgs.T(lang, "poll.yes")
		}
		return s.msgs.T(lang, "poll.no")
	case polls.KindSingle, polls.KindMultiple, polls.KindRanked:
		if v >= 0 && v < len(q.Spec.Options) {
			return q.Spec.Options[v]
		}
	}
	return strconv.Itoa(v)
}

// formAnswers reads the answer form. Unparseable numbers become -1, which
// polls.CleanAnswers rejects with a message naming the question.
func formAnswers(r *http.Request, qs []polls.Question) polls.Answers {
	num := func(s string) int {
		n, err := strconv.Atoi(s)
		if err != nil || n < -1 {
			return -1
		}
		return n
	}
	out := polls.Answers{}
	for _, q := range qs {
		vals := r.PostForm[fieldName(q.Code)]
		var a polls.Answer
		switch q.Kind {
		case polls.KindSingle, polls.KindMultiple, polls.KindYesNo, polls.KindRanked:
			for _, v := range vals {
				if v != "" {
					a.Choices = append(a.Choices, num(v))
				}
			}
			if len(a.Choices) == 0 {
				continue
			}
		case polls.KindRating, polls.KindNPS:
			if len(vals) == 0 || vals[0] == "" {
				continue
			}
			n := num(vals[0])
			a.Value = &n
		case polls.KindLikert:
			for i := range q.Spec.Items {
				v := r.PostFormValue(itemField(q.Code, i))
				n := 0
				if v != "" {
					n = num(v)
				}
				a.Items = append(a.Items, n)
			}
		case polls.KindText, polls.KindWords:
			a.Text = r.PostFormValue(fieldName(q.Code))
		}
		out[q.Code] = a
	}
	return out
}

// handlePollSubmit stores the answers of the visitor (guest or signed-in)
// and redirects back to the poll; invalid answers show the form again with
// the message and what was entered.
func (s *Server) handlePollSubmit(w http.ResponseWriter, r *http.Request) {
	sv, qs, err := s.loadSurvey(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	fv, err := s.forumViewer(r, true)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if fv.ParticipantID == 0 {
		s.serveError(w, r, errs.E(errs.Forbidden, "error.csrf", nil))
		return
	}
	me := &forum.Participant{ID: fv.ParticipantID}
	ans := formAnswers(r, qs)
	// Showing the questions that the answers so far reveal stores nothing;
	// the right to answer is decided by Submit inside its transaction
	// (forum.Can).
	if newlyShown(r, qs, ans) {
		answered, _ := polls.HasAnswered(r.Context(), s.db, sv.ID, me.ID)
		s.renderPoll(w, r, http.StatusOK, sv, qs, &pollPage{More: true, Answered: answered}, ans)
		return
	}
	if _, err = s.polls.Submit(r.Context(), fv, sv, qs, ans); err != nil {
		code, _, msg := s.errorText(info(r).lang, err)
		if code == http.StatusInternalServerError {
			s.serveError(w, r, err)
			return
		}
		answered, _ := polls.HasAnswered(r.Context(), s.db, sv.ID, me.ID)
		s.renderPoll(w, r, code, sv, qs, &pollPage{Error: msg, Answered: answered}, ans)
		return
	}
	s.results.changed(sv.ID) // live results pages (poll_live.go)
	http.Redirect(w, r, "/survei/"+strconv.FormatInt(sv.ID, 10)+"?done=1", http.StatusSeeOther)
}
