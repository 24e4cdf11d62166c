package web

import (
	"net/http"
	"net/url"

	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/ikm"
)

// adminIKMPage is the data of admin_ikm.html: every service unit and the
// form that creates one.
type adminIKMPage struct {
	Units []polls.IKMUnit
	Name  string
	Error string
}

// adminIKMUnitPage is the data of admin_ikm_unit.html: the nine element
// labels of one unit. Codes are shown, never edited.
type adminIKMUnitPage struct {
	Unit     *polls.IKMUnit
	Elements []adminIKMElement
	Saved    bool
	Error    string
	Periods  []ikmPeriodLink // the unit's reports (ikm_periods.go)
}

type adminIKMElement struct {
	Code                 string
	LabelID, LabelEN     string // the unit's labels (the defaults when not set)
	DefaultID, DefaultEN string
}

// handleAdminIKM lists the service units (admins only).
func (s *Server) handleAdminIKM(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.adminViewer(w, r); !ok {
		return
	}
	s.renderAdminIKM(w, r, http.StatusOK, &adminIKMPage{})
}

func (s *Server) renderAdminIKM(w http.ResponseWriter, r *http.Request, code int, pg *adminIKMPage) {
	us, err := polls.IKMUnits(r.Context(), s.db)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	pg.Units = us
	s.render(w, r, code, "admin_ikm", s.msgs.T(info(r).lang, "ikmadmin.title"), pg)
}

// handleAdminIKMCreate creates a service unit and opens its labels.
func (s *Server) handleAdminIKMCreate(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminViewer(w, r)
	if !ok {
		return
	}
	name := r.PostFormValue("name")
	u, err := s.polls.CreateIKMUnit(r.Context(), v, name)
	if err != nil {
		code, _, msg := s.errorText(info(r).lang, err)
		if code >= http.StatusInternalServerError {
			s.serveError(w, r, err)
			return
		}
		s.renderAdminIKM(w, r, code, &adminIKMPage{Name: name, Error: msg})
		return
	}
	http.Redirect(w, r, "/admin/ikm/"+url.PathEscape(u.Slug), http.StatusSeeOther)
}

// handleAdminIKMUnit shows the label form of one unit.
func (s *Server) handleAdminIKMUnit(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.adminViewer(w, r); !ok {
		return
	}
	u, err := polls.IKMUnitByRef(r.Context(), s.db, r.PathValue("unit"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	els, err := polls.IKMElements(r.Context(), s.db, u.ID)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	pg := &adminIKMUnitPage{Unit: u, Saved: r.URL.Query().Get("saved") == "1"}
	if pg.Periods, err = s.ikmPeriodLinks(r, u); err != nil {
		s.serveError(w, r, err)
		return
	}
	for i, d := range ikm.Elements() {
		pg.Elements = append(pg.Elements, adminIKMElement{Code: d.Code, LabelID: els[i].LabelID, LabelEN: els[i].LabelEN,
			DefaultID: d.LabelID, DefaultEN: d.LabelEN})
	}
	s.render(w, r, http.StatusOK, "admin_ikm_unit", u.Name, pg)
}

// handleAdminIKMLabels saves the nine labels of a unit: fields id_U1 …
// id_U9 and en_U1 … en_U9; a blank field restores the default label.
func (s *Server) handleAdminIKMLabels(w http.ResponseWriter, r *http.Request) {
	v, ok := s.adminViewer(w, r)
	if !ok {
		return
	}
	u, err := polls.IKMUnitByRef(r.Context(), s.db, r.PathValue("unit"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	var ls []polls.IKMLabel
	for _, e := range ikm.Elements() {
		ls = append(ls, polls.IKMLabel{Code: e.Code, LabelID: r.PostFormValue("id_" + e.Code), LabelEN: r.PostFormValue("en_" + e.Code)})
	}
	if err := s.polls.SetIKMLabels(r.Context(), v, u.ID, ls); err != nil {
		code, _, msg := s.errorText(info(r).lang, err)
		if code >= http.StatusInternalServerError {
			s.serveError(w, r, err)
			return
		}
		pg := &adminIKMUnitPage{Unit: u, Error: msg}
		for i, d := range ikm.Elements() {
			pg.Elements = append(pg.Elements, adminIKMElement{Code: d.Code, LabelID: ls[i].LabelID, LabelEN: ls[i].LabelEN,
				DefaultID: d.LabelID, DefaultEN: d.LabelEN})
		}
		s.render(w, r, code, "admin_ikm_unit", u.Name, pg)
		return
	}
	http.Redirect(w, r, "/admin/ikm/"+url.PathEscape(u.Slug)+"?saved=1", http.StatusSeeOther)
}
