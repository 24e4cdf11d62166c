package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/complaint/routing"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/search"
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
	Assignee    int64              // the assigned user, 0 for none
	Assignees   []forum.User       // who it may be assigned to: officers of its agencies
	ForwardFrom []complaint.Agency // its agencies the viewer may forward from
	ForwardTo   []complaint.Agency // agencies it may be forwarded to
}

// complaintStaff reads the staff part of complaint c's page for actor a.
func (s *Server) complaintStaff(r *http.Request, a complaint.Actor, c *complaint.Complaint, p *complaint.Presented) (*complaintStaffData, error) {
	ctx := r.Context()
	d := &complaintStaffData{Assigned: c.AssigneeUserID != nil, Mine: c.AssigneeUserID != nil && *c.AssigneeUserID == a.UserID()}
	var err error
	if p.View.Triage {
		all, err := s.complaints.Agencies(ctx)
		if err != nil {
			return nil, err
		}
		for _, ag := range all {
			if ag.DeactivatedAt == nil { // a deactivated agency takes no new routing
				d.Agencies = append(d.Agencies, ag)
			}
		}
		if d.Topics, err = s.complaints.Topics(ctx); err != nil {
			return nil, err
		}
		if c.Status == complaint.StatusReceived || c.Status == complaint.StatusVerified {
			for _, sg := range s.complaints.Suggest(c.Body) {
				if slices.ContainsFunc(d.Agencies, func(ag complaint.Agency) bool { return ag.Name == sg.Agency }) {
					d.Suggestions = append(d.Suggestions, sg) // active agencies only
				}
			}
		}
	}
	if p.View.Handle {
		if c.AssigneeUserID != nil {
			d.Assignee = *c.AssigneeUserID
		}
		if d.Assignees, err = s.complaints.Assignees(ctx, a, c); err != nil {
			return nil, err
		}
		all, err := s.complaints.Agencies(ctx)
		if err != nil {
			return nil, err
		}
		for _, ag := range all {
			switch {
			case !slices.Contains(c.Agencies, ag.ID):
				if ag.DeactivatedAt == nil {
					d.ForwardTo = append(d.ForwardTo, ag)
				}
			case a.Viewer.ModeratesAll() || a.Viewer.OfficerOfAny([]int64{ag.ID}):
				d.ForwardFrom = append(d.ForwardFrom, ag)
			}
		}
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
// release, assign, forward, reject, lapor) and goes back to its page. Who may do which is the
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
	case "assign":
		var to int64
		if to, err = strconv.ParseInt(r.PostFormValue("user"), 10, 64); err != nil {
			err = errs.E(errs.Invalid, "complaint.error.assignee", nil)
		} else {
			_, err = s.complaints.Assign(ctx, a, id, to)
		}
	case "forward":
		from, e1 := strconv.ParseInt(r.PostFormValue("from"), 10, 64)
		to, e2 := strconv.ParseInt(r.PostFormValue("to"), 10, 64)
		if e1 != nil || e2 != nil {
			err = errs.E(errs.Invalid, "complaint.error.forward", nil)
		} else {
			_, err = s.complaints.Forward(ctx, a, id, from, to, text)
		}
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
	if r.PostFormValue("do") == "forward" {
		if nc, err := s.complaints.ByNumber(ctx, c.Number); err == nil && !s.complaints.Access(a, nc).Read {
			// Forwarded out of the officer's own agencies: back to the inbox.
			http.Redirect(w, r, "/admin/pengaduan", http.StatusSeeOther)
			return
		}
	}
	http.Redirect(w, r, "/pengaduan/"+c.Number, http.StatusSeeOther)
}

// complaintInboxData is the officer inbox's data.
type complaintInboxData struct {
	Items    []*complaint.Presented
	Next     string
	NextURL  string // the next page with the same filters
	Status   string
	Overdue  bool
	Mine     bool // only those assigned to the viewer
	Query    string
	SLA      []complaint.AgencySLA // open, warned and overdue per agency the viewer handles
	Agency   int64
	Agencies []complaint.Agency // the filter's choices: the viewer's agencies, or all for the desk
	Statuses []complaint.Status
}

// handleComplaintInbox lists, newest first, 50 a page, the complaints the
// signed-in staff member handles: every complaint for the complaint desk,
// those routed to their agencies for officers. Filters: status, agency,
// overdue (flagged by the deadline job, over all pages) and q (words in the
// text as the viewer may see it). Each line carries its deadline badge:
// warning at 80 % of the stage's target, overdue past it. Above the list,
// the service-level view counts open, warned and overdue complaints per
// agency. Non-staff get 403.
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
	d := complaintInboxData{Status: q.Get("status"), Overdue: q.Get("overdue") == "1", Mine: q.Get("mine") == "1", Statuses: complaint.Statuses,
		Query: strings.TrimSpace(q.Get("q"))}
	if len(d.Query) > 200 {
		s.serveError(w, r, errs.E(errs.Invalid, "complaint.error.too_long", nil))
		return
	}
	d.Agency, _ = strconv.ParseInt(q.Get("agency"), 10, 64)
	f := complaint.Filter{Status: complaint.Status(d.Status), Cursor: q.Get("cursor"), AgencyID: d.Agency,
		Overdue: d.Overdue}
	switch {
	case d.Query == "":
	case s.search == nil:
		f.Query = d.Query // a server without a search index: substring match
	default:
		if f.IDs, err = s.complaintSearchIDs(r.Context(), v, d.Query); err != nil {
			s.serveError(w, r, err)
			return
		}
	}
	if d.Mine {
		f.AssigneeID = v.User.ID
	}
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
	if d.SLA, err = s.complaints.SLAView(r.Context(), a); err != nil {
		s.serveError(w, r, err)
		return
	}
	pg, err := s.complaints.List(r.Context(), a, f)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	d.Next = pg.Next
	if pg.Next != "" {
		nq := url.Values{}
		for k, val := range map[string]string{"status": d.Status, "q": d.Query, "cursor": pg.Next} {
			if val != "" {
				nq.Set(k, val)
			}
		}
		if d.Agency != 0 {
			nq.Set("agency", strconv.FormatInt(d.Agency, 10))
		}
		if d.Overdue {
			nq.Set("overdue", "1")
		}
		if d.Mine {
			nq.Set("mine", "1")
		}
		d.NextURL = "/admin/pengaduan?" + nq.Encode()
	}
	for _, p := range pg.Items {
		if p.View.Internal {
			d.Items = append(d.Items, p)
		}
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

// inboxSearchMax is how many of the newest complaints matching the inbox's
// words the inbox pages through.
const inboxSearchMax = 1000

// complaintSearchIDs returns the complaints matching the inbox's words q in
// the site search, newest first, at most inboxSearchMax: the engine stems
// the words ("jalan" finds "jalannya") and answers only with the complaints
// v is a search reader of (forum.ComplaintSearchAudience: the desk,
// analysts, officers of the agencies a complaint is routed to). The text
// searched is the masked one. The inbox's other filters and its paging then
// apply to these (complaint.Filter.IDs). errs.Unavailable when the index
// cannot answer (search.error.unavailable). Only a server run without a
// search index (Config.Search nil) filters by substring instead
// (complaint.Filter.Query).
func (s *Server) complaintSearchIDs(ctx context.Context, v forum.Viewer, q string) ([]int64, error) {
	rights, err := s.searchViewer(ctx, v)
	if err != nil {
		return nil, err
	}
	ids := []int64{}
	for page := 1; len(ids) < inboxSearchMax; page++ {
		res, err := s.search.Search(ctx, search.Query{Text: q, Kinds: []string{search.KindComplaint}, Sort: search.SortNewest,
			Page: page, PerPage: search.MaxPerPage, Viewer: rights})
		if err != nil {
			return nil, searchError(err)
		}
		for _, h := range res.Hits {
			if kind, id, ok := search.ParseDocID(h.ID); ok && kind == search.KindComplaint {
				ids = append(ids, id)
			}
		}
		if len(res.Hits) < search.MaxPerPage || page*search.MaxPerPage >= res.Total {
			break
		}
	}
	return ids, nil
}
