package web

import (
	"net/http"
	"strconv"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
)

// complaintAgenciesData is the agency admin page: every agency with the IKM
// unit its complaint ratings count for, and the units to choose from.
type complaintAgenciesData struct {
	Agencies []agencyRow
	Units    []polls.IKMUnit
	Saved    bool
	// Unset counts the agencies linked to no IKM unit, whose ratings count
	// for no IKM: the page notes them and marks each.
	Unset int
	// OfficerSaved is set after an officer was added or removed.
	OfficerSaved bool
	// Created is set after an agency was created, Edited after one was
	// renamed, deactivated or activated.
	Created, Edited bool
}

// agencyRow is one agency and its IKM unit (0 for none).
type agencyRow struct {
	ID       int64
	Name     string
	Code     string
	Contact  string
	Active   bool
	Unit     int64
	Officers []complaint.Officer
}

// handleComplaintAgencies shows GET /admin/pengaduan/instansi to admins:
// each agency (OPD) with a choice of the IKM unit whose element U8 counts
// its complaint ratings (complaint.Store.RatingsOf). Others get 403.
func (s *Server) handleComplaintAgencies(w http.ResponseWriter, r *http.Request) {
	v, err := s.readerViewer(r)
	if err == nil && !v.Admin() {
		err = errs.E(errs.Forbidden, "error.action_forbidden", nil)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	q := r.URL.Query()
	d := complaintAgenciesData{Saved: q.Get("disimpan") == "1", OfficerSaved: q.Get("petugas") == "1",
		Created: q.Get("dibuat") == "1", Edited: q.Get("diubah") == "1"}
	var as []complaint.Agency
	if as, err = s.complaints.Agencies(r.Context()); err == nil {
		d.Units, err = polls.IKMUnits(r.Context(), s.db)
	}
	var officers []complaint.Officer
	if err == nil {
		officers, err = s.complaints.Officers(r.Context())
	}
	for _, a := range as {
		row := agencyRow{ID: a.ID, Name: a.Name, Code: a.Code, Contact: a.Contact, Active: a.DeactivatedAt == nil}
		for _, o := range officers {
			if o.AgencyID == a.ID {
				row.Officers = append(row.Officers, o)
			}
		}
		if a.IKMUnitID != nil {
			row.Unit = *a.IKMUnitID
		} else {
			d.Unset++
		}
		d.Agencies = append(d.Agencies, row)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "complaint_agencies", s.msgs.T(info(r).lang, "complaint.agencies.title"), d)
}

// handleComplaintAgencyIKM answers POST /admin/pengaduan/instansi: links
// agency "agency" to IKM unit "ikm_unit" (empty unlinks), admins only.
// 400 complaint.error.ikm_unit for a malformed or unknown unit, 404 for an
// unknown agency.
func (s *Server) handleComplaintAgencyIKM(w http.ResponseWriter, r *http.Request) {
	v, err := s.readerViewer(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	agency, err := strconv.ParseInt(r.PostFormValue("agency"), 10, 64)
	if err != nil || agency <= 0 {
		s.serveError(w, r, errs.E(errs.Invalid, "complaint.error.ikm_unit", nil))
		return
	}
	var unit *int64
	if u := r.PostFormValue("ikm_unit"); u != "" {
		id, err := strconv.ParseInt(u, 10, 64)
		if err != nil || id <= 0 {
			s.serveError(w, r, errs.E(errs.Invalid, "complaint.error.ikm_unit", nil))
			return
		}
		found, err := polls.IKMUnitByRef(r.Context(), s.db, u)
		if err == nil && found.ID != id {
			err = errs.ErrNotFound // a slug that looks like this id
		}
		if err != nil {
			if errs.KindOf(err) == errs.NotFound {
				err = errs.E(errs.Invalid, "complaint.error.ikm_unit", nil)
			}
			s.serveError(w, r, err)
			return
		}
		unit = &id
	}
	if err := s.complaints.SetAgencyIKMUnit(r.Context(), s.complaints.Actor(v, ""), agency, unit); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/pengaduan/instansi?disimpan=1", http.StatusSeeOther)
}

// handleComplaintAgencyOfficer answers POST /admin/pengaduan/instansi/petugas:
// makes the user with email "email" an officer of agency "agency"
// (action "add") or removes user "user" (action "remove"), admins only
// (complaint.Store.SetOfficer, audited). The officer's rights apply to
// their next request. 400 complaint.error.officer_email for an unknown
// email, 400 error.bad_request for a malformed agency or user.
func (s *Server) handleComplaintAgencyOfficer(w http.ResponseWriter, r *http.Request) {
	v, err := s.readerViewer(r)
	if err == nil && !v.Admin() {
		err = errs.E(errs.Forbidden, "error.action_forbidden", nil)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	agency, err := strconv.ParseInt(r.PostFormValue("agency"), 10, 64)
	if err != nil || agency <= 0 {
		s.serveError(w, r, errs.E(errs.Invalid, "error.bad_form", nil))
		return
	}
	var user int64
	on := r.PostFormValue("action") != "remove"
	if on {
		u, err := forum.UserByEmail(r.Context(), s.db, r.PostFormValue("email"))
		if err != nil {
			if errs.KindOf(err) == errs.NotFound {
				err = errs.E(errs.Invalid, "complaint.error.officer_email", nil)
			}
			s.serveError(w, r, err)
			return
		}
		user = u.ID
	} else if user, err = strconv.ParseInt(r.PostFormValue("user"), 10, 64); err != nil || user <= 0 {
		s.serveError(w, r, errs.E(errs.Invalid, "error.bad_form", nil))
		return
	}
	if err := s.complaints.SetOfficer(r.Context(), s.complaints.Actor(v, ""), user, agency, on); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/pengaduan/instansi?petugas=1#instansi-"+strconv.FormatInt(agency, 10), http.StatusSeeOther)
}

// handleComplaintAgencyCreate answers POST /admin/pengaduan/instansi/baru:
// creates an agency from "name", "code" and "contact"
// (complaint.Store.CreateAgency: admins only, audited). 400
// complaint.error.agency_name for an empty or too long name, 409
// complaint.error.agency_duplicate for a name already taken.
func (s *Server) handleComplaintAgencyCreate(w http.ResponseWriter, r *http.Request) {
	v, err := s.readerViewer(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	id, err := s.complaints.CreateAgency(r.Context(), s.complaints.Actor(v, ""), agencyInput(r))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/pengaduan/instansi?dibuat=1#instansi-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// handleComplaintAgencyEdit answers POST /admin/pengaduan/instansi/ubah:
// with "action" "rename" sets agency "agency"'s name, code and contact
// (complaint.Store.UpdateAgency); with "deactivate" or "activate" takes it
// out of routing or back (complaint.Store.SetAgencyActive). Admins only;
// errors as handleComplaintAgencyCreate, 404 for an unknown agency.
func (s *Server) handleComplaintAgencyEdit(w http.ResponseWriter, r *http.Request) {
	v, err := s.readerViewer(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	agency, err := strconv.ParseInt(r.PostFormValue("agency"), 10, 64)
	if err != nil || agency <= 0 {
		s.serveError(w, r, errs.E(errs.Invalid, "error.bad_form", nil))
		return
	}
	a := s.complaints.Actor(v, "")
	switch r.PostFormValue("action") {
	case "rename":
		err = s.complaints.UpdateAgency(r.Context(), a, agency, agencyInput(r))
	case "deactivate":
		err = s.complaints.SetAgencyActive(r.Context(), a, agency, false)
	case "activate":
		err = s.complaints.SetAgencyActive(r.Context(), a, agency, true)
	default:
		err = errs.E(errs.Invalid, "error.bad_form", nil)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/pengaduan/instansi?diubah=1#instansi-"+strconv.FormatInt(agency, 10), http.StatusSeeOther)
}

func agencyInput(r *http.Request) complaint.AgencyInput {
	return complaint.AgencyInput{Name: r.PostFormValue("name"), Code: r.PostFormValue("code"), Contact: r.PostFormValue("contact")}
}
