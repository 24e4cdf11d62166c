package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
)

// builderPage is the data of poll_builder.html: the settings form, the
// survey's state and lock, one edit form per question and the form that
// adds one. Forms that came back with an error hold what was typed.
type builderPage struct {
	List       bool // always false: poll_builder.html shows the builder
	Action     string
	Button     string
	C          *forum.Consultation
	Survey     *polls.Survey
	Settings   settingsForm
	State      string // "open", "not_open" or "closed"
	Opens      string
	Closes     string
	Zone       string
	Responses  int
	Locked     bool // questions locked by the first response
	Saved      bool
	StateError string
	Questions  []builderQuestion
	New        builderQuestion
	Kinds      []choiceView
	Methods    []string
}

// builderQuestion is one question's edit form, or the add form.
type builderQuestion struct {
	Code, Kind, Text string
	Required         bool
	Satisfaction     bool   // rating, Likert and NPS: counts in the satisfaction indicator
	Options, Items   string // one per line
	Min, Max         string
	Method           string
	ShowIf           string // "code=value", or ""
	Conditions       []choiceView
	// Summary describes the question for the list ("Pilihan tunggal ·
	// wajib · tampil jika …").
	Summary     string
	First, Last bool
	Err         map[string]string // field → message
}

// handleBuilder shows the builder of one survey.
func (s *Server) handleBuilder(w http.ResponseWriter, r *http.Request) {
	v, c, sv, qs, err := s.builderSurvey(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.renderBuilder(w, r, http.StatusOK, v, c, sv, qs, &builderPage{Saved: r.URL.Query().Get("saved") == "1"})
}

// renderBuilder fills pg around what the handler set (a form with an
// error, a message) and renders it with status code. Edit forms keep a
// question's typed values when pg.Questions already holds them.
func (s *Server) renderBuilder(w http.ResponseWriter, r *http.Request, code int, v forum.Viewer, c *forum.Consultation,
	sv *polls.Survey, qs []polls.Question, pg *builderPage) {
	lang := info(r).lang
	loc := adminZone(v)
	n, err := polls.ResponseCount(r.Context(), s.db, sv.ID)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	pg.C, pg.Survey, pg.Responses, pg.Locked = c, sv, n, n > 0
	pg.Action, pg.Button = builderURL(sv.ID), "builder.save"
	pg.State, pg.Zone = surveyState(sv, s.now()), loc.String()
	pg.Opens, pg.Closes = sv.OpensAt.In(loc).Format("2006-01-02 15:04"), sv.ClosesAt.In(loc).Format("2006-01-02 15:04")
	if pg.Settings.Title == "" && pg.Settings.Err == nil {
		pg.Settings = settingsForm{Title: sv.Title, Description: sv.Description, Anonymous: sv.Anonymous, Locked: sv.Locked,
			Opens: sv.OpensAt.In(loc).Format(localInput), Closes: sv.ClosesAt.In(loc).Format(localInput)}
	}
	typed := map[string]builderQuestion{}
	for _, q := range pg.Questions {
		typed[q.Code] = q
	}
	pg.Questions = nil
	for i := range qs {
		bq, ok := typed[qs[i].Code]
		if !ok {
			bq = questionForm(&qs[i])
		}
		bq.Summary = s.questionSummary(lang, qs, i)
		bq.Conditions = s.conditionChoices(lang, qs[:i], bq.ShowIf)
		bq.First, bq.Last = i == 0, i == len(qs)-1
		pg.Questions = append(pg.Questions, bq)
	}
	if pg.New.Kind == "" {
		pg.New.Kind = string(polls.KindSingle)
	}
	pg.New.Conditions = s.conditionChoices(lang, qs, pg.New.ShowIf)
	for _, k := range polls.Kinds() {
		pg.Kinds = append(pg.Kinds, choiceView{Value: string(k), Label: s.msgs.T(lang, "builder.kind."+string(k))})
	}
	pg.Methods = []string{polls.MethodIRV, polls.MethodBorda, polls.MethodSchulze}
	s.render(w, r, code, "poll_builder", s.msgs.T(lang, "builder.title")+" · "+sv.Title, pg)
}

// questionForm is q as its edit form shows it.
func questionForm(q *polls.Question) builderQuestion {
	f := builderQuestion{Code: q.Code, Kind: string(q.Kind), Text: q.Text, Required: q.Required, Satisfaction: q.Spec.Satisfaction,
		Options: strings.Join(q.Spec.Options, "\n"), Items: strings.Join(q.Spec.Items, "\n"), Method: q.Spec.Method}
	if q.Kind == polls.KindMultiple {
		f.Min, f.Max = strconv.Itoa(q.Spec.Min), strconv.Itoa(q.Spec.Max)
	}
	if c := q.Spec.ShowIf; c != nil {
		f.ShowIf = c.Question + "=" + strconv.Itoa(c.Value)
	}
	return f
}

// questionSummary describes question i of qs: its kind, whether it is
// required, and its condition.
func (s *Server) questionSummary(lang string, qs []polls.Question, i int) string {
	q := &qs[i]
	parts := []string{s.msgs.T(lang, "builder.kind."+string(q.Kind))}
	if q.Required {
		parts = append(parts, s.msgs.T(lang, "poll.required"))
	}
	if c := q.Spec.ShowIf; c != nil {
		for j := range qs[:i] {
			if qs[j].Code == c.Question {
				parts = append(parts, s.msgs.T(lang, "builder.shown_if", "Question", qs[j].Text, "Answer", answerLabel(s, lang, &qs[j], c.Value)))
			}
		}
	}
	return strings.Join(parts, " · ")
}

// conditionChoices lists the answers a question may be conditioned on: every
// answer of the earlier questions of a kind a condition can match (choice,
// yes/no, rating and NPS questions), as "code=value".
func (s *Server) conditionChoices(lang string, earlier []polls.Question, current string) []choiceView {
	var out []choiceView
	for i := range earlier {
		q := &earlier[i]
		var vals []int
		switch q.Kind {
		case polls.KindSingle, polls.KindMultiple, polls.KindRanked, polls.KindYesNo:
			for o := 0; o < q.Choices(); o++ {
				vals = append(vals, o)
			}
		case polls.KindRating:
			for n := polls.RatingMin; n <= polls.RatingMax; n++ {
				vals = append(vals, n)
			}
		case polls.KindNPS:
			for n := polls.NPSMin; n <= polls.NPSMax; n++ {
				vals = append(vals, n)
			}
		}
		for _, val := range vals {
			v := q.Code + "=" + strconv.Itoa(val)
			out = append(out, choiceView{Value: v, Checked: v == current,
				Label: q.Code + ": " + q.Text + " = " + answerLabel(s, lang, q, val)})
		}
	}
	return out
}

// questionFormData is the data of the "questionform" template: the page,
// one question's form, where it posts and its button's message key.
type questionFormData struct {
	Page           page
	Q              builderQuestion
	Action, Button string
	ID             string // the form's element id, prefix of its error ids
}

func questionFormOf(p page, q builderQuestion, action, button string) questionFormData {
	id := "new-question"
	if button != "builder.add_question" {
		id = "edit-" + q.Code
	}
	return questionFormData{Page: p, Q: q, Action: action, Button: button, ID: id}
}

// fieldError is the data of the "fielderr" template: the message of one
// field (blank: nothing is shown) and its element id.
type fieldError struct{ Msg, ID string }

func fieldErrorOf(q builderQuestion, field, form string) fieldError {
	return fieldError{Msg: q.Err[field], ID: form + "-err-" + field}
}
