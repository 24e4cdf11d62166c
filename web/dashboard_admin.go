package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls/indicators"
)

// dashAdminPage is the data of dashboard_admin.html: the figures only the
// pemda knows (unit prices, the traditional channel's cost per
// transaction, the availability target), which sections /dasbor
// publishes, and the cost items and incidents admins entered.
type dashAdminPage struct {
	Settings  indicators.Settings
	Sections  []string
	Costs     []indicators.CostItem
	Incidents []indicators.Incident
	Cost      indicators.CostItem // the cost form's values after an error
	Loc       *time.Location
	Saved     bool
	Error     string
}

// Published reports whether section is on /dasbor.
func (p *dashAdminPage) Published(section string) bool {
	return slices.Contains(p.Settings.Public, section)
}

// Input shows t (a time.Time or *time.Time) for a datetime-local field in
// the admin's zone, "" for nil.
func (p *dashAdminPage) Input(t any) string {
	switch x := t.(type) {
	case time.Time:
		return x.In(p.Loc).Format("2006-01-02T15:04")
	case *time.Time:
		if x != nil {
			return x.In(p.Loc).Format("2006-01-02T15:04")
		}
	}
	return ""
}

// When shows t (a time.Time or *time.Time) in the admin's zone, "" for nil.
func (p *dashAdminPage) When(t any) string {
	switch x := t.(type) {
	case time.Time:
		return x.In(p.Loc).Format("2006-01-02 15:04")
	case *time.Time:
		if x != nil {
			return x.In(p.Loc).Format("2006-01-02 15:04")
		}
	}
	return ""
}

// Categories are the cost categories of the form.
func (p *dashAdminPage) Categories() []string {
	return []string{indicators.CostHosting, indicators.CostStaff, indicators.CostTraining, indicators.CostOther}
}

// handleDashboardSettings shows the settings, cost and incident forms
// (admins only).
func (s *Server) handleDashboardSettings(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminViewer(w, r)
	if !ok {
		return
	}
	s.renderDashboardAdmin(w, r, v, http.StatusOK, &dashAdminPage{Saved: r.URL.Query().Get("saved") == "1"})
}

func (s *Server) renderDashboardAdmin(w http.ResponseWriter, r *http.Request, v forum.Viewer, code int, pg *dashAdminPage) {
	ctx := r.Context()
	var err error
	if pg.Settings.AvailabilityGoal == 0 {
		if pg.Settings, err = indicators.LoadSettings(ctx, s.db); err != nil {
			s.serveError(w, r, err)
			return
		}
	}
	if pg.Costs, err = indicators.RecentCosts(ctx, s.db, 50); err != nil {
		s.serveError(w, r, err)
		return
	}
	if pg.Incidents, err = indicators.RecentIncidents(ctx, s.db, 50); err != nil {
		s.serveError(w, r, err)
		return
	}
	if pg.Cost.Month == "" {
		pg.Cost.Month = s.now().In(adminZone(v)).Format("2006-01")
	}
	pg.Sections, pg.Loc = indicators.Sections, adminZone(v)
	s.render(w, r, code, "dashboard_admin", s.msgs.T(info(r).lang, "dash.admin.title"), pg)
}

// dashAdminDone redirects after a saved form, or shows the page again with
// the error in the admin's language (4xx) or the error page (5xx).
func (s *Server) dashAdminDone(w http.ResponseWriter, r *http.Request, v forum.Viewer, err error, pg *dashAdminPage) {
	if err == nil {
		s.indicators.Invalidate()
		http.Redirect(w, r, "/admin/dasbor/pengaturan?saved=1", http.StatusSeeOther)
		return
	}
	code, _, msg := s.errorText(info(r).lang, err)
	if code >= http.StatusInternalServerError {
		s.serveError(w, r, err)
		return
	}
	pg.Error = msg
	s.renderDashboardAdmin(w, r, v, code, pg)
}

// formNumber reads a non-negative whole number field (thousands may be
// grouped with points, "1.500.000"); "" is 0; anything else is KindInvalid
// with key.
func formNumber(r *http.Request, name, key string) (int64, error) {
	raw := strings.TrimSpace(r.PostFormValue(name))
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(raw, ".", ""), 10, 64)
	if err != nil || n < 0 {
		return 0, errs.E(errs.Invalid, key, nil)
	}
	return n, nil
}

// formDecimal reads a decimal field written with a comma or a point.
func formDecimal(r *http.Request, name string) (float64, error) {
	raw := strings.TrimSpace(strings.ReplaceAll(r.PostFormValue(name), ",", "."))
	if raw == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return 0, errs.E(errs.Invalid, "indicators.error.amount", nil)
	}
	return f, nil
}

// handleDashboardSettingsSave saves prices, the traditional channel's cost,
// the availability target and the published sections.
func (s *Server) handleDashboardSettingsSave(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminViewer(w, r)
	if !ok {
		return
	}
	var st indicators.Settings
	var err error
	if st.SMSPrice, err = formNumber(r, "sms_price", "indicators.error.settings"); err == nil {
		if st.WhatsAppPrice, err = formNumber(r, "whatsapp_price", "indicators.error.settings"); err == nil {
			if st.TraditionalCost, err = formNumber(r, "traditional_cost", "indicators.error.settings"); err == nil {
				st.AvailabilityGoal, err = formDecimal(r, "availability_target")
			}
		}
	}
	if err == nil && st.AvailabilityGoal == 0 {
		err = errs.E(errs.Invalid, "indicators.error.settings", nil)
	}
	r.ParseForm() //nolint:errcheck // read by PostFormValue above
	st.Public = r.PostForm["public"]
	if err == nil {
		err = indicators.NewStore(s.db, s.now).SaveSettings(r.Context(), v, st)
	}
	s.dashAdminDone(w, r, v, err, &dashAdminPage{Settings: st})
}

// handleDashboardCostAdd records a cost item for a month.
func (s *Server) handleDashboardCostAdd(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminViewer(w, r)
	if !ok {
		return
	}
	c, err := costForm(r)
	if err == nil {
		err = indicators.NewStore(s.db, s.now).AddCost(r.Context(), v, &c)
	}
	s.dashAdminDone(w, r, v, err, &dashAdminPage{Cost: c})
}

// handleDashboardCostEdit changes the cost item {id}, or deletes it when
// the form says delete=1.
func (s *Server) handleDashboardCostEdit(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminViewer(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.serveError(w, r, errs.ErrNotFound)
		return
	}
	st := indicators.NewStore(s.db, s.now)
	if r.PostFormValue("delete") == "1" {
		s.dashAdminDone(w, r, v, st.DeleteCost(r.Context(), v, id), &dashAdminPage{})
		return
	}
	c, err := costForm(r)
	c.ID = id
	if err == nil {
		err = st.UpdateCost(r.Context(), v, &c)
	}
	s.dashAdminDone(w, r, v, err, &dashAdminPage{})
}

// costForm reads a cost item's form fields.
func costForm(r *http.Request) (indicators.CostItem, error) {
	c := indicators.CostItem{Month: strings.TrimSpace(r.PostFormValue("month")), Category: r.PostFormValue("category"), Note: r.PostFormValue("note")}
	var err error
	if c.Amount, err = formNumber(r, "amount", "indicators.error.amount"); err == nil {
		c.Hours, err = formDecimal(r, "hours")
	}
	return c, err
}

// handleDashboardIncidentAdd records an incident: start and end
// (datetime-local in the admin's zone; end empty while it lasts), cause
// and fix.
func (s *Server) handleDashboardIncidentAdd(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminViewer(w, r)
	if !ok {
		return
	}
	in, err := incidentForm(r, adminZone(v))
	if err == nil {
		err = indicators.NewStore(s.db, s.now).AddIncident(r.Context(), v, &in)
	}
	s.dashAdminDone(w, r, v, err, &dashAdminPage{})
}

// handleDashboardIncidentEdit changes the incident {id} (its end and fix
// once it is over), or deletes it when the form says delete=1.
func (s *Server) handleDashboardIncidentEdit(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminViewer(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.serveError(w, r, errs.ErrNotFound)
		return
	}
	st := indicators.NewStore(s.db, s.now)
	if r.PostFormValue("delete") == "1" {
		s.dashAdminDone(w, r, v, st.DeleteIncident(r.Context(), v, id), &dashAdminPage{})
		return
	}
	in, err := incidentForm(r, adminZone(v))
	in.ID = id
	if err == nil {
		err = st.UpdateIncident(r.Context(), v, &in)
	}
	s.dashAdminDone(w, r, v, err, &dashAdminPage{})
}

// incidentForm reads an incident's form fields, times in loc.
func incidentForm(r *http.Request, loc *time.Location) (indicators.Incident, error) {
	in := indicators.Incident{Cause: r.PostFormValue("cause"), Fix: r.PostFormValue("fix")}
	start, err := time.ParseInLocation("2006-01-02T15:04", r.PostFormValue("started_at"), loc)
	if err == nil {
		in.StartedAt = start
		if raw := r.PostFormValue("ended_at"); raw != "" {
			var end time.Time
			if end, err = time.ParseInLocation("2006-01-02T15:04", raw, loc); err == nil {
				end = end.UTC()
				in.EndedAt = &end
			}
		}
	}
	if err != nil {
		return in, errs.E(errs.Invalid, "indicators.error.incident", nil)
	}
	return in, nil
}
