package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/complaint/routing"
	"github.com/rembug/rembug/forum/errs"
)

// complaintStaffData is what the complaint page adds for the complaint desk
// and the routed agencies' officers.
type complaintStaffData struct {
	Agencies    []complaint.Agency
	Topics      []complaint.Topic
	Suggestions []routing.Suggestion // at triage: top 3, best first
	Canned      []complaint.Canned
	Draft       string // the answer box, prefilled from a canned response (?templat=id)
	Assigned    bool
	Mine        bool
}

// complaintStaff reads the staff part of complaint c's page for actor a.
func (s *Server) complaintStaff(r *http.Request, a complaint.Actor, c *complaint.Complaint, p *complaint.Presented) (*complaintStaffData, error) {
	ctx := r.Context()
	d := &complaintStaffData{Assigned: c.AssigneeUserID != nil, Mine: c.AssigneeUserID != nil && *c.AssigneeUserID == a.UserID()}
	var err error
	if p.View.Triage {
		if d.Agencies, err = s.complaints.Agencies(ctx); err != nil {
			return nil, err
		}
		if d.Topics, err = s.complaints.Topics(ctx); err != nil {
			return nil, err
		}
		if c.Status == complaint.StatusReceived || c.Status == complaint.StatusVerified {
			d.Suggestions = s.complaints.Suggest(c.Body)
		}
	}
	if p.View.Handle {
		if d.Canned, err = s.complaints.CannedFor(ctx, a.Viewer.Agencies()); err != nil {
			return nil, err
		}
		if id, err := strconv.ParseInt(r.URL.Query().Get("templat"), 10, 64); err == nil {
			for _, cn := range d.Canned {
				if cn.ID == id {
					d.Draft = cn.Body
				}
			}
		}
	}
	return d, nil
}

// handleComplaintStaff takes the complaint desk's and officers' actions on
// the {nomor} complaint (do=verify, route, start, ask, answer, note, take,
// release, reject, lapor) and goes back to its page. Who may do which is the
// access rule's (complaint.Store.Access through forum.Can).
func (s *Server) handleComplaintStaff(w http.ResponseWriter, r *http.Request) {
	a, c, err := s.complaintFor(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	ctx, id, text := r.Context(), c.ID, r.PostFormValue("text")
	switch r.PostFormValue("do") {
	case "verify":
		var topic *int64
		if t, e := strconv.ParseInt(r.PostFormValue("topic"), 10, 64); e == nil && t > 0 {
			topic = &t
		}
		_, err = s.complaints.Verify(ctx, a, id, topic, r.PostFormValue("complex") == "1")
	case "route":
		var ags []int64
		for _, v := range r.PostForm["agency"] {
			if n, e := strconv.ParseInt(v, 10, 64); e == nil {
				ags = append(ags, n)
			}
		}
		_, err = s.complaints.Route(ctx, a, id, ags, text)
	case "start":
		_, err = s.complaints.Start(ctx, a, id)
	case "ask":
		_, err = s.complaints.AskCitizen(ctx, a, id, text)
	case "answer":
		_, err = s.complaints.Answer(ctx, a, id, text)
	case "note":
		_, err = s.complaints.Note(ctx, a, id, text)
	case "take":
		_, err = s.complaints.Assign(ctx, a, id, a.UserID())
	case "release":
		_, err = s.complaints.Assign(ctx, a, id, 0)
	case "reject":
		_, err = s.complaints.Reject(ctx, a, id, complaint.RejectReason(r.PostFormValue("reason")), text)
	case "lapor":
		_, err = s.complaints.SetLaporID(ctx, a, id, strings.TrimSpace(r.PostFormValue("lapor_id")))
	default:
		err = errs.E(errs.Invalid, "complaint.error.action", nil)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.outbox.Wake() // the citizen's message, if the change sends one
	http.Redirect(w, r, "/pengaduan/"+c.Number, http.StatusSeeOther)
}

// complaintInboxData is the officer inbox's data.
type complaintInboxData struct {
	Items    []*complaint.Presented
	Next     string
	Status   string
	Overdue  bool
	Agency   int64
	Agencies []complaint.Agency // the filter's choices: the viewer's agencies, or all for the desk
	Statuses []complaint.Status
}

// handleComplaintInbox lists, newest first, 50 a page, the complaints the
// signed-in staff member handles: every complaint for the complaint desk,
// those routed to their agencies for officers. Filters: status, agency,
// overdue (within the page). Each line carries its deadline badge: warning
// at 80 % of the stage's target, overdue past it. Non-staff get 403.
func (s *Server) handleComplaintInbox(w http.ResponseWriter, r *http.Request) {
	v, err := s.readerViewer(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	a := s.complaints.Actor(v, "")
	if !a.Staff() {
		s.serveError(w, r, errs.E(errs.Forbidden, "error.action_forbidden", nil))
		return
	}
	q := r.URL.Query()
	d := complaintInboxData{Status: q.Get("status"), Overdue: q.Get("overdue") == "1", Statuses: complaint.Statuses}
	f := complaint.Filter{Status: complaint.Status(d.Status), Cursor: q.Get("cursor")}
	d.Agency, _ = strconv.ParseInt(q.Get("agency"), 10, 64)
	f.AgencyID = d.Agency
	all, err := s.complaints.Agencies(r.Context())
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	for _, ag := range all {
		if v.ModeratesAll() || v.OfficerOfAny([]int64{ag.ID}) {
			d.Agencies = append(d.Agencies, ag)
		}
	}
	pg, err := s.complaints.List(r.Context(), a, f)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	d.Next = pg.Next
	for _, p := range pg.Items {
		if !p.View.Internal || d.Overdue && (p.Deadline == nil || !p.Deadline.Overdue) {
			continue
		}
		d.Items = append(d.Items, p)
	}
	s.render(w, r, http.StatusOK, "complaint_inbox", s.msgs.T(info(r).lang, "complaint.inbox.title"), d)
}

// handleComplaintLaporExport downloads the SP4N-LAPOR! reconciliation CSV
// (complaint.LaporExportColumns) for the complaint desk and analysts; 403
// for anyone else.
func (s *Server) handleComplaintLaporExport(w http.ResponseWriter, r *http.Request) {
	v, err := s.readerViewer(r)
	if err == nil && !v.Analyst() {
		err = errs.E(errs.Forbidden, "error.action_forbidden", nil)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="pengaduan-lapor.csv"`)
	if err := s.complaints.ExportLapor(r.Context(), s.complaints.Actor(v, ""), w); err != nil {
		s.log.Error("lapor export", "request_id", info(r).id, "err", err)
	}
}
