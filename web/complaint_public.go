package web

import (
	"net/http"

	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/errs"
)

// complaintPublicData is the public list's data: one page of complaints as
// anyone may see them (masked), and the counts per kecamatan.
type complaintPublicData struct {
	Items       []*complaint.Presented
	Next        string
	ByKecamatan []complaint.Group
}

// handleComplaintPublic lists the public, non-confidential complaints,
// masked, newest first, 50 a page, with their counts per kecamatan (groups
// under complaint.MinPublicCell pooled): only when the pemda publishes
// complaints (404 otherwise).
func (s *Server) handleComplaintPublic(w http.ResponseWriter, r *http.Request) {
	if !s.complaints.Published() {
		s.serveError(w, r, errs.ErrNotFound)
		return
	}
	pg, err := s.complaints.List(r.Context(), complaint.Actor{}, complaint.Filter{PublicOnly: true, Cursor: r.URL.Query().Get("cursor")})
	var d complaintPublicData
	if err == nil {
		d.Items, d.Next = pg.Items, pg.Next
		d.ByKecamatan, err = s.complaints.PublicStats(r.Context(), complaint.ByKecamatan)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "complaint_public", s.msgs.T(info(r).lang, "complaint.public.title"), d)
}

// complaintStatsTable is one table of the public statistics page: its
// title's translation key, its groups and how many complaints its
// response times leave out (complaint.AnsweredBeforeReceived).
type complaintStatsTable struct {
	Title    string
	Rows     []complaint.Group
	Excluded int
}

// handleComplaintStats shows, per agency and per kecamatan, how many public
// non-confidential complaints were received and answered, the median first
// response in hours, the share answered within the target and the mean
// rating (1–4): the agencies' satisfaction figure. Groups under
// complaint.MinPublicCell are pooled. 404 unless the pemda publishes
// complaints.
func (s *Server) handleComplaintStats(w http.ResponseWriter, r *http.Request) {
	var d []complaintStatsTable
	for _, by := range []string{complaint.ByAgency, complaint.ByKecamatan} {
		gs, err := s.complaints.PublicStats(r.Context(), by)
		if err != nil {
			s.serveError(w, r, err)
			return
		}
		t := complaintStatsTable{Title: "complaint.stats.by_" + by, Rows: gs}
		for _, g := range gs {
			t.Excluded += g.Excluded
		}
		d = append(d, t)
	}
	s.render(w, r, http.StatusOK, "complaint_stats", s.msgs.T(info(r).lang, "complaint.stats.title"), d)
}
