package web

import (
	"net/http"
	"strconv"

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
}

// agencyRow is one agency and its IKM unit (0 for none).
type agencyRow struct {
	ID   int64
	Name string
	Unit int64
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
	d := complaintAgenciesData{Saved: r.URL.Query().Get("disimpan") == "1"}
	var as []complaint.Agency
	if as, err = s.complaints.Agencies(r.Context()); err == nil {
		d.Units, err = polls.IKMUnits(r.Context(), s.db)
	}
	for _, a := range as {
		row := agencyRow{ID: a.ID, Name: a.Name}
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
