package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/tz"
	"github.com/rembug/rembug/polls/evaluation"
	"github.com/rembug/rembug/polls/indicators"
)

// Evaluation cycles (siklus evaluasi): /admin/evaluasi lists them and
// plans a new one, /admin/evaluasi/{id} is a cycle's report with the
// forms to close it, write findings and recommendations, follow them up
// and publish; /evaluasi and /evaluasi/{id} are the published reports.
// Who may do what is forum.ItemEvaluation's rule; the writes are
// evaluation.Store's.

// evalListPage is the data of evaluation_list.html.
type evalListPage struct {
	Public  bool
	Admin   bool
	Cycles  []evaluation.Cycle
	Metrics []evaluation.Metric
	Form    evalForm
	Error   string
}

// Period is c's first and last day in the installation's zone.
func (p *evalListPage) Period(c evaluation.Cycle) string { return evalPeriod(&c) }

func evalPeriod(c *evaluation.Cycle) string {
	loc := tz.Default().Loc
	return c.From.In(loc).Format(time.DateOnly) + " – " + c.To.In(loc).AddDate(0, 0, -1).Format(time.DateOnly)
}

// evalForm holds the plan form's values (again after an error).
type evalForm struct {
	Name, From, To, Plan string
	Targets              map[string]string
}

// evalStore is the evaluation Store over the server's database and the
// indicators' source.
func (s *Server) evalStore() *evaluation.Store {
	return evaluation.NewStore(s.db, s.indicators.Source)
}

// evalStaff returns the viewer when they read unpublished cycles (staff),
// else the error to show.
func (s *Server) evalStaff(r *http.Request) (forum.Viewer, error) {
	v, err := s.readerViewer(r)
	if err != nil {
		return v, err
	}
	if err := forum.Can(r.Context(), v, forum.ActRead, forum.Item{Kind: forum.ItemEvaluation}); err != nil {
		return v, errs.E(errs.Forbidden, "error.action_forbidden", nil)
	}
	return v, nil
}

func evalAdmin(r *http.Request, v forum.Viewer) bool {
	return forum.Can(r.Context(), v, forum.ActAdminister, forum.Item{Kind: forum.ItemEvaluation}) == nil
}

// handleEvalList shows /admin/evaluasi (staff) and /evaluasi (the
// published reports).
func (s *Server) handleEvalList(w http.ResponseWriter, r *http.Request) {
	staff := strings.HasPrefix(r.URL.Path, "/admin/")
	pg := &evalListPage{Public: !staff}
	if staff {
		v, err := s.evalStaff(r)
		if err != nil {
			s.serveError(w, r, err)
			return
		}
		pg.Admin = evalAdmin(r, v)
	}
	s.renderEvalList(w, r, http.StatusOK, pg)
}

func (s *Server) renderEvalList(w http.ResponseWriter, r *http.Request, code int, pg *evalListPage) {
	var err error
	if pg.Cycles, err = evaluation.Cycles(r.Context(), s.db, pg.Public); err != nil {
		s.serveError(w, r, err)
		return
	}
	pg.Metrics = evaluation.Metrics
	if pg.Form.From == "" {
		// The default plan is the current semester.
		t := s.now().In(tz.Default().Loc)
		m := time.January
		if t.Month() > time.June {
			m = time.July
		}
		from := time.Date(t.Year(), m, 1, 0, 0, 0, 0, t.Location())
		pg.Form.From, pg.Form.To = from.Format(time.DateOnly), from.AddDate(0, 6, -1).Format(time.DateOnly)
	}
	title := s.msgs.T(info(r).lang, "eval.title")
	if pg.Public {
		title = s.msgs.T(info(r).lang, "eval.public_title")
	}
	s.render(w, r, code, "evaluation_list", title, pg)
}

// handleEvalOpen plans a cycle: name, first and last day, the plan's text
// and a target per metric (empty: none).
func (s *Server) handleEvalOpen(w http.ResponseWriter, r *http.Request) {
	v, err := s.evalStaff(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	loc := tz.Default().Loc
	f := evalForm{Name: r.PostFormValue("name"), From: r.PostFormValue("from"), To: r.PostFormValue("to"),
		Plan: r.PostFormValue("plan"), Targets: map[string]string{}}
	c := &evaluation.Cycle{Name: f.Name, Plan: f.Plan}
	from, err1 := time.ParseInLocation(time.DateOnly, f.From, loc)
	to, err2 := time.ParseInLocation(time.DateOnly, f.To, loc)
	if err1 != nil || err2 != nil {
		err = errs.E(errs.Invalid, "eval.error.period", nil)
	}
	c.From, c.To = from, to.AddDate(0, 0, 1)
	targets := map[string]float64{}
	for _, m := range evaluation.Metrics {
		raw := strings.TrimSpace(r.PostFormValue("target_" + m.Key))
		f.Targets[m.Key] = raw
		if raw == "" {
			continue
		}
		t, perr := strconv.ParseFloat(strings.ReplaceAll(raw, ",", "."), 64)
		if perr != nil && err == nil {
			err = errs.E(errs.Invalid, "eval.error.target", nil)
		}
		targets[m.Key] = t
	}
	if err == nil {
		err = s.evalStore().Open(r.Context(), v, c, targets)
	}
	if err == nil {
		http.Redirect(w, r, "/admin/evaluasi/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
		return
	}
	code, _, msg := s.errorText(info(r).lang, err)
	if code >= http.StatusInternalServerError || code == http.StatusForbidden {
		s.serveError(w, r, err)
		return
	}
	s.renderEvalList(w, r, code, &evalListPage{Admin: true, Form: f, Error: msg})
}

// evalCycle reads the cycle of the path's {id}; errs.ErrNotFound for a bad
// or unknown id.
func (s *Server) evalCycle(r *http.Request) (*evaluation.Cycle, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, errs.ErrNotFound
	}
	return evaluation.Get(r.Context(), s.db, id)
}

// evalWrite runs one admin write on the path's cycle and redirects to it,
// or shows the cycle again with the error in the admin's language.
func (s *Server) evalWrite(w http.ResponseWriter, r *http.Request, write func(v forum.Viewer, c *evaluation.Cycle) error) {
	v, err := s.evalStaff(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	c, err := s.evalCycle(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if err := write(v, c); err != nil {
		code, _, msg := s.errorText(info(r).lang, err)
		if code >= http.StatusInternalServerError || code == http.StatusForbidden || code == http.StatusNotFound {
			s.serveError(w, r, err)
			return
		}
		s.serveEvalReport(w, r, c, true, code, msg)
		return
	}
	http.Redirect(w, r, "/admin/evaluasi/"+strconv.FormatInt(c.ID, 10)+"?saved=1", http.StatusSeeOther)
}

// handleEvalClose freezes the cycle's indicators.
func (s *Server) handleEvalClose(w http.ResponseWriter, r *http.Request) {
	s.evalWrite(w, r, func(v forum.Viewer, c *evaluation.Cycle) error {
		return s.evalStore().Close(r.Context(), v, c.ID)
	})
}

// handleEvalPublish publishes (publish=1) or withdraws (publish=0) the
// cycle's report.
func (s *Server) handleEvalPublish(w http.ResponseWriter, r *http.Request) {
	s.evalWrite(w, r, func(v forum.Viewer, c *evaluation.Cycle) error {
		return s.evalStore().SetPublished(r.Context(), v, c.ID, r.PostFormValue("publish") == "1")
	})
}

// handleEvalFinding records a finding.
func (s *Server) handleEvalFinding(w http.ResponseWriter, r *http.Request) {
	s.evalWrite(w, r, func(v forum.Viewer, c *evaluation.Cycle) error {
		return s.evalStore().AddFinding(r.Context(), v, &evaluation.Finding{CycleID: c.ID,
			Section: r.PostFormValue("section"), Body: r.PostFormValue("body")})
	})
}

// handleEvalFindingEdit changes the finding {item} of the cycle, or
// deletes it when the form says delete=1.
func (s *Server) handleEvalFindingEdit(w http.ResponseWriter, r *http.Request) {
	st := s.evalStore()
	s.evalItemWrite(w, r, st.DeleteFinding, func(ctx context.Context, v forum.Viewer, cycle, id int64) error {
		return st.EditFinding(ctx, v, cycle, id, r.PostFormValue("section"), r.PostFormValue("body"))
	})
}

// evalItemWrite is evalWrite on the path's {item} of the cycle: del when
// the form says delete=1, edit otherwise; a malformed {item} is 404.
func (s *Server) evalItemWrite(w http.ResponseWriter, r *http.Request, del, edit func(ctx context.Context, v forum.Viewer, cycle, id int64) error) {
	s.evalWrite(w, r, func(v forum.Viewer, c *evaluation.Cycle) error {
		id, err := strconv.ParseInt(r.PathValue("item"), 10, 64)
		if err != nil {
			return errs.ErrNotFound
		}
		if r.PostFormValue("delete") == "1" {
			return del(r.Context(), v, c.ID, id)
		}
		return edit(r.Context(), v, c.ID, id)
	})
}

// evalOwner reads the owner field: an agency id, 0 for none chosen (an
// unknown or malformed id is refused by the Store as no such agency).
func evalOwner(r *http.Request) int64 {
	raw := strings.TrimSpace(r.PostFormValue("owner"))
	if raw == "" {
		return 0
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 0 {
		return -1
	}
	return id
}

// handleEvalRecommendation records a recommendation: what, owner (an
// agency), due date.
func (s *Server) handleEvalRecommendation(w http.ResponseWriter, r *http.Request) {
	s.evalWrite(w, r, func(v forum.Viewer, c *evaluation.Cycle) error {
		rec := &evaluation.Recommendation{CycleID: c.ID, Body: r.PostFormValue("body"), Due: r.PostFormValue("due")}
		if a := evalOwner(r); a > 0 {
			rec.OwnerAgencyID = &a
		}
		return s.evalStore().AddRecommendation(r.Context(), v, rec)
	})
}

// handleEvalRecommendationEdit changes the text, owner and due date of
// the recommendation {item} of the cycle, or deletes it (delete=1).
func (s *Server) handleEvalRecommendationEdit(w http.ResponseWriter, r *http.Request) {
	st := s.evalStore()
	s.evalItemWrite(w, r, st.DeleteRecommendation, func(ctx context.Context, v forum.Viewer, cycle, id int64) error {
		return st.EditRecommendation(ctx, v, cycle, id, r.PostFormValue("body"), evalOwner(r), r.PostFormValue("due"))
	})
}

// handleEvalProgress records a progress update on one of the cycle's
// recommendations (rec): its status and a note.
func (s *Server) handleEvalProgress(w http.ResponseWriter, r *http.Request) {
	s.evalWrite(w, r, func(v forum.Viewer, c *evaluation.Cycle) error {
		id, err := strconv.ParseInt(r.PostFormValue("rec"), 10, 64)
		if err != nil {
			return errs.ErrNotFound
		}
		recs, err := evaluation.Recommendations(r.Context(), s.db, c.ID)
		if err != nil {
			return err
		}
		for _, rec := range recs {
			if rec.ID == id {
				return s.evalStore().Progress(r.Context(), v, id, r.PostFormValue("status"), r.PostFormValue("note"))
			}
		}
		return errs.ErrNotFound
	})
}

// evalSections are the finding form's choices: the service as a whole
// ("") and each indicator.
func evalSections() []string { return append([]string{""}, indicators.Sections...) }

// EvaluationReminders runs the periodic reminder job of recommendations
// due soon or overdue (evaluation.Store.Remind, days in the installation's
// zone): each reminder is an in-app notification, and is mailed when mail
// is set up (the queue asks forum.Deliverable again before sending). The
// caller runs it on one node at a time (storage.RunOnce).
func (s *Server) EvaluationReminders(ctx context.Context) error {
	ds, err := s.evalStore().Remind(ctx, tz.Default().Loc)
	s.deliverSubjects(ctx, ds)
	return err
}

// handleEvalRecommendationPage shows /evaluasi/{id}/rekomendasi/{rec}: one
// recommendation with its owner, due date, status and progress, to whoever
// may read it (forum.ItemRecommendation: the cycle's readers, and the
// officers of its owning agency even before the report is published).
func (s *Server) handleEvalRecommendationPage(w http.ResponseWriter, r *http.Request) {
	pg, err := s.evalRecommendation(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "evaluation_rec", s.msgs.T(info(r).lang, "eval.col.recommendation"), pg)
}

func (s *Server) evalRecommendation(r *http.Request) (*evalRecPage, error) {
	id, err := strconv.ParseInt(r.PathValue("rec"), 10, 64)
	if err != nil || id <= 0 {
		return nil, errs.ErrNotFound
	}
	rec, c, err := evaluation.RecommendationOf(r.Context(), s.db, id)
	if err != nil {
		return nil, err
	}
	if r.PathValue("id") != strconv.FormatInt(c.ID, 10) {
		return nil, errs.ErrNotFound
	}
	v, err := s.readerViewer(r)
	if err != nil {
		return nil, err
	}
	if err := forum.Can(r.Context(), v, forum.ActRead, rec.Item(c.Published())); err != nil {
		return nil, err
	}
	today := s.now().In(tz.Default().Loc).Format(time.DateOnly)
	return &evalRecPage{Cycle: c, Recs: s.evalRecs([]evaluation.Recommendation{*rec}, today)}, nil
}

// evalRecPage is the data of evaluation_rec.html.
type evalRecPage struct {
	Cycle *evaluation.Cycle
	Recs  []evalRecView
}

// RecBlock is the recommendation for the "eval-recs" template.
func (p *evalRecPage) RecBlock(lang string) evalRecBlock { return evalRecBlock{L: lang, Recs: p.Recs} }
