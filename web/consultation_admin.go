package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/reach"
	"github.com/rembug/rembug/forum/tz"
)

// adminConsultationPage is the data of admin_consultation.html: the form
// of one consultation (nil C for a new one), its rules and its phases.
type adminConsultationPage struct {
	C        *forum.Consultation
	Rules    *forum.Rules
	Phases   []forum.Phase
	Stage    forum.Stage
	Statuses []string
	Kinds    []string
	Features []string
	Zone     string
	// Cover and Docs are the consultation's files (files.go).
	Cover *fileView
	Docs  []fileView
	// Roles is the moderators and analysts named for the consultation.
	Roles []forum.ConsultationRole
	// Arrivals counts visits through tagged share links by channel, all
	// time (forum/reach); Channels is their display order.
	Arrivals map[string]int64
	Channels []string
}

// adminViewer returns the request's viewer when it is an admin; otherwise
// it answers 403 itself and returns false.
func (s *Server) adminViewer(w http.ResponseWriter, r *http.Request) (forum.Viewer, bool) {
	v, err := s.forumViewer(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return v, false
	}
	if !v.Admin() {
		s.serveError(w, r, errs.E(errs.Forbidden, "error.action_forbidden", nil))
		return v, false
	}
	return v, true
}

// adminZone is the time zone phase dates are entered and shown in: the
// admin's own, or Asia/Jakarta (WIB).
func adminZone(v forum.Viewer) *time.Location {
	if v.User != nil {
		if z, ok := tz.Named(v.User.TimeZone); ok {
			return z.Loc
		}
	}
	return tz.Default().Loc
}

func adminURL(c *forum.Consultation) string { return "/admin/konsultasi/" + url.PathEscape(c.Slug) }

// handleAdminConsultations lists every consultation, drafts included.
func (s *Server) handleAdminConsultations(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminViewer(w, r)
	if !ok {
		return
	}
	cs, err := forum.AllConsultations(r.Context(), s.db, v)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_consultations", s.msgs.T(info(r).lang, "admin.consultations"), cs)
}

// handleAdminConsultationNew shows the empty form.
func (s *Server) handleAdminConsultationNew(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminViewer(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "admin_consultation", s.msgs.T(info(r).lang, "admin.new"), s.adminPage(nil, v))
}

func (s *Server) adminPage(c *forum.Consultation, v forum.Viewer) *adminConsultationPage {
	return &adminConsultationPage{C: c, Statuses: forum.Statuses, Kinds: forum.PhaseKinds, Features: forum.AllFeatures,
		Zone: adminZone(v).String()}
}

func consultationInput(r *http.Request) forum.ConsultationInput {
	f := r.PostFormValue
	return forum.ConsultationInput{Title: f("title"), Summary: f("summary"), Body: f("body"), Organizer: f("organizer"),
		Region: f("region"), Topics: f("topics"), Status: f("status")}
}

// handleAdminConsultationCreate stores a new consultation and opens its
// edit page (for rules and phases).
func (s *Server) handleAdminConsultationCreate(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminViewer(w, r)
	if !ok {
		return
	}
	c, err := s.forum.CreateConsultation(r.Context(), v, consultationInput(r))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, adminURL(c), http.StatusSeeOther)
}

// adminConsultation loads the {ref} consultation for an admin.
func (s *Server) adminConsultation(w http.ResponseWriter, r *http.Request) (forum.Viewer, *forum.Consultation, bool) {
	v, ok := s.adminViewer(w, r)
	if !ok {
		return v, nil, false
	}
	c, err := forum.ConsultationByRef(r.Context(), s.db, r.PathValue("ref"))
	if err != nil {
		s.serveError(w, r, err)
		return v, nil, false
	}
	return v, c, true
}

// handleAdminConsultation shows the edit page: details, rules, phases.
func (s *Server) handleAdminConsultation(w http.ResponseWriter, r *http.Request) {
	v, c, ok := s.adminConsultation(w, r)
	if !ok {
		return
	}
	ctx, d := r.Context(), s.adminPage(c, v)
	var err error
	if d.Rules, err = forum.RulesOf(ctx, s.db, c.ID); err == nil {
		if d.Phases, err = forum.Phases(ctx, s.db, c.ID); err == nil {
			if d.Stage, err = forum.StageOf(ctx, s.db, c, s.now()); err == nil {
				if d.Cover, d.Docs, err = s.consultationFiles(r, c); err == nil {
					if d.Roles, err = forum.ConsultationRoles(ctx, s.db, v, c); err == nil {
						d.Arrivals, err = reach.ByChannel(ctx, s.db, c.ID, "0000-01-01", "9999-12-31")
						d.Channels = reach.Channels
					}
				}
			}
		}
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	loc := adminZone(v)
	for i := range d.Phases {
		d.Phases[i].StartsAt, d.Phases[i].EndsAt = d.Phases[i].StartsAt.In(loc), d.Phases[i].EndsAt.In(loc)
	}
	s.render(w, r, http.StatusOK, "admin_consultation", c.Title, d)
}

// handleAdminConsultationUpdate saves the details form.
func (s *Server) handleAdminConsultationUpdate(w http.ResponseWriter, r *http.Request) {
	v, c, ok := s.adminConsultation(w, r)
	if !ok {
		return
	}
	if err := s.forum.UpdateConsultation(r.Context(), v, c, consultationInput(r)); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, adminURL(c), http.StatusSeeOther)
}

// handleAdminRules saves the rules form.
func (s *Server) handleAdminRules(w http.ResponseWriter, r *http.Request) {
	v, c, ok := s.adminConsultation(w, r)
	if !ok {
		return
	}
	num := func(k string) int { return atoiOr(strings.TrimSpace(r.PostFormValue(k)), -1) }
	rules := &forum.Rules{ConsultationID: c.ID, SupportLimit: num("support_limit"), SupportThreshold: num("support_threshold"),
		GuestSupports: r.PostFormValue("guest_supports") == "1", Premoderation: r.PostFormValue("premoderation") == "1",
		ParticipantStatements: r.PostFormValue("participant_statements") == "1", FlagThreshold: num("flag_threshold")}
	if err := s.forum.ConfigureRules(r.Context(), v, rules); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, adminURL(c)+"#rules", http.StatusSeeOther)
}

// handleAdminPhaseAdd adds a phase from the form: kind, features
// (checkboxes) and start and end (datetime-local in the admin's zone).
func (s *Server) handleAdminPhaseAdd(w http.ResponseWriter, r *http.Request) {
	v, c, ok := s.adminConsultation(w, r)
	if !ok {
		return
	}
	loc := adminZone(v)
	start, err1 := time.ParseInLocation("2006-01-02T15:04", r.PostFormValue("starts_at"), loc)
	end, err2 := time.ParseInLocation("2006-01-02T15:04", r.PostFormValue("ends_at"), loc)
	if err1 != nil || err2 != nil {
		s.serveError(w, r, errs.E(errs.Invalid, "error.phase_dates", nil))
		return
	}
	p := &forum.Phase{ConsultationID: c.ID, Kind: r.PostFormValue("kind"), Features: strings.Join(r.PostForm["features"], ","),
		StartsAt: start.UTC(), EndsAt: end.UTC()}
	if err := s.forum.SchedulePhase(r.Context(), v, p); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, adminURL(c)+"#phases", http.StatusSeeOther)
}

// handleAdminPhaseRemove deletes a phase.
func (s *Server) handleAdminPhaseRemove(w http.ResponseWriter, r *http.Request) {
	v, c, ok := s.adminConsultation(w, r)
	if !ok {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := s.forum.RemovePhase(r.Context(), v, c.ID, id); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, adminURL(c)+"#phases", http.StatusSeeOther)
}
