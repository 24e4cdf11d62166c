package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
)

// The survey builder: staff who moderate a consultation (admins, global
// moderators and its own moderators, by forum.Can moderate on a poll) create
// and edit its polls and surveys with plain forms, one POST per action, each
// ending in a redirect; a form with bad input comes back with the message
// next to the field and everything typed kept. Questions lock at the first
// response (polls.ErrQuestionsLocked).

// localInput is the datetime-local format of the builder's time fields.
const localInput = "2006-01-02T15:04"

// builderListPage is the data of poll_builder_list.html.
type builderListPage struct {
	List     bool // always true: poll_builder.html shows the list
	C        *forum.Consultation
	Surveys  []builderListRow
	Settings settingsForm
	Action   string // where the settings form posts
	Button   string // its button's message key
	Admin    bool   // may create IKM service units (site administration)
	Zone     string
}

type builderListRow struct {
	Survey    polls.Survey
	State     string
	Responses int
}

// settingsForm is the survey settings form, as typed.
type settingsForm struct {
	Title, Description, Opens, Closes string
	Anonymous, Locked                 bool
	Err                               map[string]string // field → message
}

// canBuild is the access rule of the builder: forum.Can moderate on a poll
// of consultation c.
func canBuild(ctx context.Context, v forum.Viewer, c *forum.Consultation) error {
	return forum.Can(ctx, v, forum.ActModerate, forum.Item{Kind: forum.ItemPoll, Consultation: c})
}

// builderConsultation reads the viewer and the {ref} consultation they may
// build surveys in.
func (s *Server) builderConsultation(r *http.Request) (forum.Viewer, *forum.Consultation, error) {
	v, err := s.forumViewer(r, false)
	if err != nil {
		return v, nil, err
	}
	c, err := s.consultationFor(r, v)
	if err != nil {
		return v, nil, err
	}
	return v, c, canBuild(r.Context(), v, c)
}

// builderSurvey reads the viewer, survey {id}, its questions and its
// consultation, when the viewer may build surveys there.
func (s *Server) builderSurvey(r *http.Request) (forum.Viewer, *forum.Consultation, *polls.Survey, []polls.Question, error) {
	v, err := s.forumViewer(r, false)
	if err != nil {
		return v, nil, nil, nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return v, nil, nil, nil, errs.ErrNotFound
	}
	sv, qs, err := s.readSurvey(r.Context(), v, id)
	if err != nil {
		return v, nil, nil, nil, err
	}
	c, err := forum.ConsultationByRef(r.Context(), s.db, strconv.FormatInt(sv.ConsultationID, 10))
	if err != nil {
		return v, nil, nil, nil, err
	}
	return v, c, sv, qs, canBuild(r.Context(), v, c)
}

func builderURL(id int64) string { return "/survei/" + strconv.FormatInt(id, 10) + "/ubah" }

func surveyState(sv *polls.Survey, now time.Time) string {
	switch {
	case now.Before(sv.OpensAt):
		return "not_open"
	case !sv.Open(now):
		return "closed"
	}
	return "open"
}

// handleBuilderList lists a consultation's surveys for staff, with the form
// that creates one.
func (s *Server) handleBuilderList(w http.ResponseWriter, r *http.Request) {
	v, c, err := s.builderConsultation(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	loc := adminZone(v)
	day := s.now().In(loc).AddDate(0, 0, 1)
	opens := time.Date(day.Year(), day.Month(), day.Day(), 8, 0, 0, 0, loc)
	s.renderBuilderList(w, r, http.StatusOK, v, c, settingsForm{Opens: opens.Format(localInput),
		Closes: opens.AddDate(0, 0, 30).Add(15*time.Hour + 59*time.Minute).Format(localInput)})
}

func (s *Server) renderBuilderList(w http.ResponseWriter, r *http.Request, code int, v forum.Viewer, c *forum.Consultation, f settingsForm) {
	ss, err := polls.SurveysOf(r.Context(), s.db, c.ID)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	pg := &builderListPage{List: true, C: c, Settings: f, Action: surveysURL(c), Button: "builder.create",
		Admin: v.Admin(), Zone: adminZone(v).String()}
	for _, sv := range ss {
		n, err := polls.ResponseCount(r.Context(), s.db, sv.ID)
		if err != nil {
			s.serveError(w, r, err)
			return
		}
		pg.Surveys = append(pg.Surveys, builderListRow{Survey: sv, State: surveyState(&sv, s.now()), Responses: n})
	}
	s.render(w, r, code, "poll_builder", s.msgs.T(info(r).lang, "builder.list_title")+" · "+c.Title, pg)
}

// readSettings reads the settings form: title, description, opens and
// closes (datetime-local in loc), anonymous and locked.
func readSettings(r *http.Request, loc *time.Location) (settingsForm, *polls.Survey, error) {
	f := settingsForm{Title: r.PostFormValue("title"), Description: r.PostFormValue("description"),
		Opens: r.PostFormValue("opens"), Closes: r.PostFormValue("closes"),
		Anonymous: r.PostFormValue("anonymous") != "", Locked: r.PostFormValue("locked") != ""}
	sv := &polls.Survey{Title: f.Title, Description: f.Description, Anonymous: f.Anonymous, Locked: f.Locked}
	var err1, err2 error
	sv.OpensAt, err1 = time.ParseInLocation(localInput, f.Opens, loc)
	sv.ClosesAt, err2 = time.ParseInLocation(localInput, f.Closes, loc)
	if err1 != nil || err2 != nil {
		return f, sv, errs.E(errs.Invalid, "poll.error.no_times", nil)
	}
	return f, sv, nil
}

// settingsField names the settings field an error of the settings form
// belongs to.
func settingsField(err error) string {
	var e *errs.Error
	if !errors.As(err, &e) {
		return "title"
	}
	if f, ok := e.Data["Field"].(string); ok && f == "description" {
		return "description"
	}
	switch e.Key {
	case "poll.error.no_times", "poll.error.bad_times", "poll.error.reopen_needs_close":
		return "closes"
	case "poll.error.settings_locked":
		return "anonymous"
	}
	return "title"
}

// formError turns err into a message for a form: ok is false when err is
// our fault (the caller serves the error page instead).
func (s *Server) formError(r *http.Request, err error) (code int, msg string, ok bool) {
	code, _, msg = s.errorText(info(r).lang, err)
	return code, msg, code < http.StatusInternalServerError
}

// handleBuilderCreate creates an empty survey and opens the builder.
func (s *Server) handleBuilderCreate(w http.ResponseWriter, r *http.Request) {
	v, c, err := s.builderConsultation(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	f, sv, err := readSettings(r, adminZone(v))
	if err == nil {
		sv.ConsultationID = c.ID
		err = s.polls.CreateEmptySurvey(r.Context(), v, sv)
	}
	if err != nil {
		code, msg, ok := s.formError(r, err)
		if !ok {
			s.serveError(w, r, err)
			return
		}
		f.Err = map[string]string{settingsField(err): msg}
		s.renderBuilderList(w, r, code, v, c, f)
		return
	}
	http.Redirect(w, r, builderURL(sv.ID), http.StatusSeeOther)
}

// handleBuilderSettings saves a survey's settings.
func (s *Server) handleBuilderSettings(w http.ResponseWriter, r *http.Request) {
	v, c, sv, qs, err := s.builderSurvey(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	f, next, err := readSettings(r, adminZone(v))
	if err == nil {
		next.ID, next.ConsultationID = sv.ID, sv.ConsultationID
		err = s.polls.UpdateSurvey(r.Context(), v, next)
	}
	if err != nil {
		code, msg, ok := s.formError(r, err)
		if !ok {
			s.serveError(w, r, err)
			return
		}
		f.Err = map[string]string{settingsField(err): msg}
		s.renderBuilder(w, r, code, v, c, sv, qs, &builderPage{Settings: f})
		return
	}
	http.Redirect(w, r, builderURL(sv.ID)+"?saved=1", http.StatusSeeOther)
}

// handleBuilderState opens or closes a survey now ({action} buka or tutup).
// Opening needs a question and a closing time still ahead; closing sets the
// closing time to the minute that just ended, so answers stop at once.
func (s *Server) handleBuilderState(w http.ResponseWriter, r *http.Request) {
	v, c, sv, qs, err := s.builderSurvey(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	now := s.now().UTC()
	switch r.PathValue("action") {
	case "buka":
		switch {
		case len(qs) == 0:
			err = errs.E(errs.Invalid, "poll.error.no_questions", nil)
		case !now.Before(sv.ClosesAt):
			err = errs.E(errs.Invalid, "poll.error.reopen_needs_close", nil)
		case now.Before(sv.OpensAt):
			err = s.polls.SetSurveyTimes(r.Context(), v, sv.ID, now, time.Time{})
		}
	case "tutup":
		closes := now.Truncate(time.Minute).Add(-time.Minute)
		opens := time.Time{}
		if !sv.OpensAt.Before(closes) {
			opens = closes.Add(-time.Minute)
		}
		err = s.polls.SetSurveyTimes(r.Context(), v, sv.ID, opens, closes)
	default:
		err = errs.ErrNotFound
	}
	if err != nil {
		s.stateError(w, r, err, v, c, sv, qs)
		return
	}
	s.results.changed(sv.ID)
	http.Redirect(w, r, builderURL(sv.ID), http.StatusSeeOther)
}

// handleBuilderDuplicate copies a survey with its questions, without
// answers, opening a week from now, and opens the copy in the builder.
func (s *Server) handleBuilderDuplicate(w http.ResponseWriter, r *http.Request) {
	v, c, sv, qs, err := s.builderSurvey(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	opens := s.now().Add(7 * 24 * time.Hour).Truncate(time.Hour)
	closes := opens.Add(max(sv.ClosesAt.Sub(sv.OpensAt), time.Hour))
	title := s.msgs.T(info(r).lang, "builder.copy_of", "Title", sv.Title)
	cp, err := s.polls.DuplicateSurvey(r.Context(), v, sv.ID, title, opens, closes)
	if err != nil {
		s.stateError(w, r, err, v, c, sv, qs)
		return
	}
	http.Redirect(w, r, builderURL(cp.ID), http.StatusSeeOther)
}

// stateError shows the builder with err above the state buttons, or the
// error page for a missing survey or our own fault.
func (s *Server) stateError(w http.ResponseWriter, r *http.Request, err error, v forum.Viewer, c *forum.Consultation,
	sv *polls.Survey, qs []polls.Question) {
	code, msg, ok := s.formError(r, err)
	if !ok || code == http.StatusNotFound {
		s.serveError(w, r, err)
		return
	}
	s.renderBuilder(w, r, code, v, c, sv, qs, &builderPage{StateError: msg})
}

func surveysURL(c *forum.Consultation) string { return "/k/" + url.PathEscape(c.Slug) + "/survei" }
