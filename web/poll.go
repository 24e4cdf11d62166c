package web

import (
	"net/http"
	"strconv"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/locale"
	"github.com/rembug/rembug/polls"
)

// choiceView is one radio button, checkbox or select option.
type choiceView struct {
	Value   string
	Label   string
	Checked bool
}

// itemView is one row of a Likert matrix.
type itemView struct {
	Label string
	Name  string
	Scale []choiceView
}

// questionView is a question ready for the plain-HTML answer form: every
// field name and checked state is computed here, so the template needs no
// logic and the form works without JavaScript.
type questionView struct {
	Code, Kind, Text string
	Name             string
	Required         bool
	// ShowIf describes the condition ("only if … is …"); the server ignores
	// answers to questions whose condition does not hold.
	ShowIf    string
	Min, Max  int
	Choices   []choiceView   // single, multiple, yes/no, rating, NPS
	Positions []rankPosition // ranked: one select per position
	Items     []itemView     // Likert
	Text_     string         // text and word answers
}

// rankPosition is the select for the N-th preference (1-based).
type rankPosition struct {
	N       int
	Options []choiceView
}

// pollPage is the data of poll.html.
type pollPage struct {
	Survey    *polls.Survey
	Opens     string
	Closes    string
	ZoneLinks []zoneLink
	State     string // "open", "not_open" or "closed"
	Answered  bool
	Editable  bool
	Done      bool
	Error     string
	// More is set when the answers just sent revealed questions that
	// depend on them; Conditional when some questions may still appear.
	More        bool
	Conditional bool
	Questions   []questionView
}

// zoneLink switches the page to another time zone.
type zoneLink struct {
	Name, Label, URL string
	Current          bool
}

func (s *Server) loadSurvey(r *http.Request) (*polls.Survey, []polls.Question, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, nil, errs.ErrNotFound
	}
	return s.visibleSurvey(r, id) // poll_breakdown.go
}

// handlePoll shows a poll or survey with its answer form.
func (s *Server) handlePoll(w http.ResponseWriter, r *http.Request) {
	sv, qs, err := s.loadSurvey(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	pg := &pollPage{Done: r.URL.Query().Get("done") == "1"}
	var prev polls.Answers
	if me, err := s.participant(r.Context(), s.viewerOf(r), false); err != nil {
		s.serveError(w, r, err)
		return
	} else if me != nil {
		if pg.Answered, err = polls.HasAnswered(r.Context(), s.db, sv.ID, me.ID); err == nil && pg.Answered && sv.Editable() {
			prev, err = polls.AnswersOf(r.Context(), s.db, sv.ID, me.ID)
		}
		if err != nil {
			s.serveError(w, r, err)
			return
		}
	}
	s.renderPoll(w, r, http.StatusOK, sv, qs, pg, prev)
}

func (s *Server) renderPoll(w http.ResponseWriter, r *http.Request, code int, sv *polls.Survey, qs []polls.Question, pg *pollPage, prev polls.Answers) {
	lang := info(r).lang
	z := s.viewerZone(w, r)
	now := s.now()
	pg.Survey, pg.Editable = sv, sv.Editable()
	pg.Opens, pg.Closes = locale.For(lang, z).Time(sv.OpensAt), locale.For(lang, z).Time(sv.ClosesAt)
	switch {
	case now.Before(sv.OpensAt):
		pg.State = "not_open"
	case !sv.Open(now):
		pg.State = "closed"
	default:
		pg.State = "open"
	}
	for _, name := range zoneChoices {
		zz, _ := zoneNamed(name)
		q := r.URL.Query()
		q.Set("tz", name)
		pg.ZoneLinks = append(pg.ZoneLinks, zoneLink{Name: name, Label: zz.Label, URL: r.URL.Path + "?" + q.Encode(), Current: name == z.Name})
	}
	pg.Questions = s.questionViews(lang, qs, prev)
	for _, q := range qs {
		pg.Conditional = pg.Conditional || q.Spec.ShowIf != nil
	}
	s.render(w, r, code, "poll", sv.Title, pg)
}
