package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/errs"
)

// Public intake limit per client address (guests; token clients such as a
// channel gateway are not limited here).
//
// complaintsPerIP counts accepted submissions: a submission refused for bad
// input (400) is taken back from it and counted instead on its own budget
// of complaintRefusalsPerIP, so a citizen correcting the form is not locked
// out; past that budget refusals count on complaintsPerIP again.
const (
	complaintsPerIP        = 20
	complaintRefusalsPerIP = 100
	complaintsIPWindow     = time.Hour
	complaintSecretHead    = "X-Complaint-Secret"
)

// complaintActor identifies who calls the complaint API: a staff personal
// access token (Authorization: Bearer), else the session's user, else a
// guest; a guest may present a tracking secret in X-Complaint-Secret.
func (s *Server) complaintActor(r *http.Request) (complaint.Actor, bool, error) {
	v, bearer, err := s.apiViewer(r)
	if err != nil {
		return complaint.Actor{}, false, err
	}
	if bearer {
		return s.complaints.Actor(v, ""), true, nil
	}
	return s.complaints.Actor(v, r.Header.Get(complaintSecretHead)), false, nil
}

// staffActor is complaintActor for staff-only endpoints.
func (s *Server) staffActor(w http.ResponseWriter, r *http.Request) (complaint.Actor, bool) {
	a, _, err := s.complaintActor(r)
	if err == nil && !a.Staff() {
		err = errs.E(errs.Forbidden, "error.action_forbidden", nil)
	}
	if err != nil {
		s.serveError(w, r, err)
		return a, false
	}
	return a, true
}

// localDate parses an optional YYYY-MM-DD query parameter.
func localDate(r *http.Request, name string) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, errs.E(errs.Invalid, "complaint.error.date", nil)
	}
	return t, nil
}

// handleAPIComplaintStats answers GET /api/v1/complaints/stats?from=&to=&by=
// for staff: {"groups":[{"key","received","answered",
// "first_response_hours":{"median","p90"},"sla_met_share",…}]}.
func (s *Server) handleAPIComplaintStats(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.staffActor(w, r); !ok {
		return
	}
	from, err := localDate(r, "from")
	if err == nil {
		var to time.Time
		if to, err = localDate(r, "to"); err == nil {
			by := r.URL.Query().Get("by")
			if by == "" {
				by = complaint.ByAgency
			}
			var gs []complaint.Group
			if gs, err = s.complaints.Stats(r.Context(), from, to, by); err == nil {
				writeJSON(w, http.StatusOK, map[string]any{"groups": gs})
				return
			}
		}
	}
	s.serveError(w, r, err)
}

// handleAPIComplaints answers GET
// /api/v1/complaints?status=&agency=&topic=&kecamatan=&from=&to=&cursor=
// (agency and topic by name, kecamatan by exact name, from and to local
// dates, received in [from, to)) with the complaints the caller may see
// (guests: the public ones), newest first, 50 a page:
// {"complaints":[…],"next_cursor":"…"}.
func (s *Server) handleAPIComplaints(w http.ResponseWriter, r *http.Request) {
	a, _, err := s.complaintActor(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	q := r.URL.Query()
	f := complaint.Filter{Status: complaint.Status(q.Get("status")), Cursor: q.Get("cursor")}
	if f.From, err = localDate(r, "from"); err == nil {
		f.To, err = localDate(r, "to")
	}
	if err == nil && q.Get("agency") != "" {
		f.AgencyID, err = s.complaints.FindAgency(r.Context(), q.Get("agency"))
	}
	if err == nil && q.Get("topic") != "" {
		f.TopicID, err = s.complaints.FindTopic(r.Context(), q.Get("topic"))
	}
	f.Kecamatan = q.Get("kecamatan")
	var p complaint.Page
	if err == nil {
		p, err = s.complaints.List(r.Context(), a, f)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if p.Items == nil {
		p.Items = []*complaint.Presented{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"complaints": p.Items, "next_cursor": p.Next})
}

// handleAPIComplaint answers GET /api/v1/complaints/{number} with the
// complaint and its timeline as the caller may see them (404 otherwise).
func (s *Server) handleAPIComplaint(w http.ResponseWriter, r *http.Request) {
	a, _, err := s.complaintActor(r)
	var c *complaint.Complaint
	if err == nil {
		c, err = s.complaints.ByNumber(r.Context(), r.PathValue("number"))
	}
	var p *complaint.Presented
	if err == nil {
		p, err = s.complaints.Present(r.Context(), a, c, true)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// handleAPIComplaintRouting answers GET /api/v1/complaints/routing?text=
// for staff: {"suggestions":[{"agency","topic","score"}]}, best first.
func (s *Server) handleAPIComplaintRouting(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.staffActor(w, r); !ok {
		return
	}
	sg := s.complaints.Suggest(r.URL.Query().Get("text"))
	if sg == nil {
		writeJSON(w, http.StatusOK, map[string]any{"suggestions": []any{}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"suggestions": sg})
}

// apiIntake is the body of POST /api/v1/complaints.
type apiIntake struct {
	Text         string   `json:"text"`
	Kecamatan    string   `json:"kecamatan"`
	Kelurahan    string   `json:"kelurahan"`
	Latitude     *float64 `json:"latitude"`
	Longitude    *float64 `json:"longitude"`
	Public       bool     `json:"public"`
	Confidential bool     `json:"confidential"`
	Name         string   `json:"name"`
	Phone        string   `json:"phone"`
	Email        string   `json:"email"`
	LaporID      string   `json:"lapor_id"`
}

// handleAPIComplaintCreate answers POST /api/v1/complaints: anyone may file
// a complaint (guests at most complaintsPerIP an hour per address), as a
// JSON body (at most maxBodyBytes) or as multipart/form-data with the same
// JSON object in the field "complaint" and up to complaint.MaxPhotos
// "photo" files (each at most complaint.MaxPhotoBytes, checked by
// forum.CheckFile as the form's photos are; 400 for too many or a file
// that is not a photo, 413 for a larger one, nothing stored). An
// Idempotency-Key header makes a retry by the same sender (idemScope) with
// the same content return the first complaint (200, without the secret)
// instead of a new one (201 with the tracking secret, shown once); the same
// key from another sender is another key, and the same sender's key with
// different content is refused (422 complaint.error.idem_reused).
func (s *Server) handleAPIComplaintCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, bearer, err := s.complaintActor(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if !bearer && a.User() == nil {
		if err := s.limitComplaintIntake(r); err != nil {
			s.serveError(w, r, err)
			return
		}
	}
	fail := func(err error) { s.intakeRefused(r, !bearer && a.User() == nil, err); s.serveError(w, r, err) }
	var in apiIntake
	var body io.Reader = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	var photos []complaint.PhotoInput
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		// The form's multipart intake: the JSON object in the field
		// "complaint", up to complaint.MaxPhotos "photo" files, checked as
		// the form's are.
		http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadReadTime)) //nolint:errcheck // not every writer supports it
		if photos, err = complaintPhotos(r); err != nil {
			fail(err)
			return
		}
		body = strings.NewReader(r.PostFormValue("complaint"))
	}
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(formError(err))
			return
		}
		fail(errs.E(errs.Invalid, "complaint.error.json", nil))
		return
	}
	it := complaint.Intake{Channel: complaint.ChannelAPI, Photos: photos, IdemKey: r.Header.Get("Idempotency-Key"), Body: in.Text,
		Latitude: in.Latitude, Longitude: in.Longitude, Public: in.Public, Confidential: in.Confidential,
		ReporterName: in.Name, ReporterPhone: in.Phone, ReporterEmail: in.Email, LaporID: in.LaporID}
	if in.Kecamatan != "" {
		id, err := s.complaints.FindArea(ctx, in.Kecamatan, in.Kelurahan)
		if err != nil {
			fail(err)
			return
		}
		it.AreaID = &id
	}
	if u := a.User(); !bearer && u != nil {
		it.ReporterUserID = &u.ID
	}
	it.IdemScope = s.idemScope(r, a.User())
	rec, err := s.complaints.Submit(ctx, a, it)
	if err != nil {
		fail(err)
		return
	}
	out := map[string]any{"number": rec.Complaint.Number, "status": rec.Complaint.Status, "replayed": rec.Replayed}
	code := http.StatusOK
	if !rec.Replayed {
		out["secret"] = rec.Secret
		code = http.StatusCreated
	}
	writeJSON(w, code, out)
}

// idemScope is the sender an idempotency key belongs to: the signed-in or
// token's user, else the guest's visitor cookie, else the guest's address.
func (s *Server) idemScope(r *http.Request, u *forum.User) string {
	if u != nil {
		return fmt.Sprintf("user:%d", u.ID)
	}
	if id := s.visitorID(r); id != "" {
		return "visitor:" + id
	}
	return "ip:" + clientIP(r)
}

// limitComplaintIntake counts one intake by a guest's address:
// errs.RateLimited (complaint.error.rate_limited, with the wait) after
// complaintsPerIP in complaintsIPWindow, on the JSON API and the form alike.
func (s *Server) limitComplaintIntake(r *http.Request) error {
	ok, wait, err := s.forum.CountAttempt(r.Context(), "complaint-ip:"+clientIP(r), complaintsPerIP, complaintsIPWindow)
	if err != nil {
		return err
	}
	if !ok {
		return errs.Limited("complaint.error.rate_limited", wait, nil)
	}
	return nil
}

// intakeRefused moves a guest's intake refused with err from the
// complaintsPerIP budget to the complaintRefusalsPerIP one, when err is bad
// input (errs.Invalid) and that budget is not spent; otherwise it leaves the
// count. guest says whether limitComplaintIntake counted the request.
func (s *Server) intakeRefused(r *http.Request, guest bool, err error) {
	if !guest || errs.KindOf(err) != errs.Invalid {
		return
	}
	ip := clientIP(r)
	ok, _, cerr := s.forum.CountAttempt(r.Context(), "complaint-refused-ip:"+ip, complaintRefusalsPerIP, complaintsIPWindow)
	if cerr == nil && ok {
		if err := s.forum.RefundAttempt(r.Context(), "complaint-ip:"+ip, complaintsIPWindow); err != nil {
			s.log.Error("complaint intake refund", "err", err)
		}
	}
}

// ComplaintJobs runs the periodic complaint jobs once (deadline warnings
// and escalations, auto-close, erasure after the retention period); cmd
// calls it on a timer.
func (s *Server) ComplaintJobs(ctx context.Context) error { return s.complaints.Jobs(ctx) }
