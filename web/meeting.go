package web

import (
	"cmp"
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/meeting"
	"github.com/rembug/rembug/polls"
)

// Meetings (pertemuan) of a consultation: the list with the organizers'
// form, a meeting's page where citizens register (a plain form, no
// script), where organizers write the minutes and tick who attended, and
// the iCalendar files of one meeting and of the consultation.

// meetingsPage is the data of meetings.html.
type meetingsPage struct {
	C         *forum.Consultation
	Meetings  []meeting.Meeting
	Groups    []forum.FocusGroup
	Kinds     []string
	Modes     []string
	Moderator bool
}

// meetingPage is the data of meeting.html.
type meetingPage struct {
	C         *forum.Consultation
	M         *meeting.Meeting
	Mine      *meeting.Registration
	Regs      []meeting.Registration
	CanWrite  bool
	SignedIn  bool
	Moderator bool
	Started   bool
	Waiting   int
	// Outcomes are the proposals and statements that came out of the
	// meeting, as far as the viewer may read them.
	Outcomes []meeting.Outcome
}

// viewerAndMeeting is the first step of the meeting handlers: who is
// asking, the {ref} consultation and its {id} meeting they may read.
func (s *Server) viewerAndMeeting(r *http.Request) (forum.Viewer, *forum.Consultation, *meeting.Meeting, error) {
	v, c, err := s.viewerAndConsultation(r, false)
	if err != nil {
		return v, nil, nil, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return v, nil, nil, err
	}
	m, err := meeting.MeetingFor(r.Context(), s.db, v, c, id)
	return v, c, m, err
}

// handleMeetings lists the meetings of a consultation v reads and, for
// its moderators, the form to announce one.
func (s *Server) handleMeetings(w http.ResponseWriter, r *http.Request) {
	v, c, err := s.viewerAndConsultation(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	p := meetingsPage{C: c, Kinds: meeting.Kinds, Modes: meeting.Modes, Moderator: s.allowed(r, v, forum.ActModerate, c.Item())}
	if p.Meetings, err = meeting.Meetings(r.Context(), s.db, v, c); err != nil {
		s.serveError(w, r, err)
		return
	}
	if p.Moderator {
		if p.Groups, err = forum.FocusGroupsFor(r.Context(), s.db, v, c); err != nil {
			s.serveError(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "meetings", s.msgs.T(info(r).lang, "meeting.title"), p)
}

// handleMeetingCreate announces a meeting from the organizers' form; the
// times are datetime-local values in the organizer's zone (WIB unless
// their account says otherwise).
func (s *Server) handleMeetingCreate(w http.ResponseWriter, r *http.Request) {
	v, c, err := s.viewerAndConsultation(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	loc := adminZone(v)
	start, err1 := time.ParseInLocation("2006-01-02T15:04", r.PostFormValue("starts_at"), loc)
	end, err2 := time.ParseInLocation("2006-01-02T15:04", r.PostFormValue("ends_at"), loc)
	if err1 != nil || err2 != nil {
		s.serveError(w, r, errs.E(errs.Invalid, "meeting.bad_time", nil))
		return
	}
	capacity, err := strconv.Atoi(r.PostFormValue("capacity"))
	if err != nil {
		s.serveError(w, r, errs.E(errs.Invalid, "meeting.bad_capacity", map[string]any{"Max": meeting.MaxCapacity}))
		return
	}
	group, _ := strconv.ParseInt(r.PostFormValue("group"), 10, 64)
	m, err := s.meetings.Create(r.Context(), v, c, meeting.Input{FocusGroupID: group, Title: r.PostFormValue("title"),
		Kind: r.PostFormValue("kind"), Mode: r.PostFormValue("mode"), Place: r.PostFormValue("place"),
		OnlineURL: r.PostFormValue("online_url"), StartsAt: start, EndsAt: end, Capacity: capacity,
		Accessibility: r.PostFormValue("accessibility"), Agenda: r.PostFormValue("agenda")})
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, meeting.Path(c.Slug, m.ID), http.StatusSeeOther)
}

// handleMeeting shows a meeting: time, place, places left, agenda, the
// registration form, and after it the minutes; organizers also see who
// registered and the minutes and attendance form.
func (s *Server) handleMeeting(w http.ResponseWriter, r *http.Request) {
	v, c, m, err := s.viewerAndMeeting(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	ctx := r.Context()
	p := meetingPage{C: c, M: m, SignedIn: v.User != nil, Started: !s.now().Before(m.StartsAt),
		CanWrite: s.allowed(r, v, forum.ActWrite, m.Item(c)), Moderator: s.allowed(r, v, forum.ActModerate, m.Item(c))}
	if p.Mine, err = meeting.RegistrationOf(ctx, s.db, m, v.ParticipantID); err != nil {
		s.serveError(w, r, err)
		return
	}
	if p.Outcomes, err = meeting.Outcomes(ctx, s.db, v, c, m, s.meetingStatements); err != nil {
		s.serveError(w, r, err)
		return
	}
	if p.Moderator {
		if p.Regs, err = meeting.Registrations(ctx, s.db, v, c, m); err != nil {
			s.serveError(w, r, err)
			return
		}
		for _, reg := range p.Regs {
			if reg.Status == meeting.StatusWaiting {
				p.Waiting++
			}
		}
	}
	s.render(w, r, http.StatusOK, "meeting", m.Title, p)
}

// handleMeetingRegister registers the viewer (a place or the waiting list).
func (s *Server) handleMeetingRegister(w http.ResponseWriter, r *http.Request) {
	v, c, m, err := s.viewerAndMeeting(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if _, err := s.meetings.Register(r.Context(), v, c, m); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, meeting.Path(c.Slug, m.ID)+"#daftar", http.StatusSeeOther)
}

// handleMeetingUnregister withdraws the viewer's registration.
func (s *Server) handleMeetingUnregister(w http.ResponseWriter, r *http.Request) {
	v, c, m, err := s.viewerAndMeeting(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if err := s.meetings.Unregister(r.Context(), v, c, m); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, meeting.Path(c.Slug, m.ID)+"#daftar", http.StatusSeeOther)
}

// handleMeetingMinutes stores the minutes and the attendance ticks
// ("hadir" holds participant ids).
func (s *Server) handleMeetingMinutes(w http.ResponseWriter, r *http.Request) {
	v, c, m, err := s.viewerAndMeeting(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	var attended []int64
	for _, raw := range r.PostForm["hadir"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			s.serveError(w, r, errs.E(errs.Invalid, "error.bad_form", nil))
			return
		}
		attended = append(attended, id)
	}
	if err := s.meetings.RecordMinutes(r.Context(), v, c, m, r.PostFormValue("minutes"), attended); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, meeting.Path(c.Slug, m.ID)+"#notulen", http.StatusSeeOther)
}

// handleMeetingOutcomes links proposals ("usulan": numbers, references or
// links) and statements ("pernyataan": numbers) to the meeting they came
// out of, or with "lepas" = "proposal:12" / "statement:7" removes one link.
func (s *Server) handleMeetingOutcomes(w http.ResponseWriter, r *http.Request) {
	v, c, m, err := s.viewerAndMeeting(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if raw := r.PostFormValue("lepas"); raw != "" {
		kind, num, _ := strings.Cut(raw, ":")
		id, perr := strconv.ParseInt(num, 10, 64)
		if perr != nil || (kind != meeting.OutcomeProposal && kind != meeting.OutcomeStatement) {
			s.serveError(w, r, errs.E(errs.Invalid, "error.bad_form", nil))
			return
		}
		err = s.meetings.Unlink(r.Context(), v, c, m, kind, id)
	} else {
		props, err1 := meeting.ParseIDs(r.PostFormValue("usulan"))
		stmts, err2 := meeting.ParseIDs(r.PostFormValue("pernyataan"))
		if err = cmp.Or(err1, err2); err == nil {
			err = s.meetings.Link(r.Context(), v, c, m, props, stmts)
		}
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, meeting.Path(c.Slug, m.ID)+"#hasil", http.StatusSeeOther)
}

// handleMeetingICS serves one meeting as an iCalendar file.
func (s *Server) handleMeetingICS(w http.ResponseWriter, r *http.Request) {
	_, c, m, err := s.viewerAndMeeting(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.serveCalendar(w, r, m.Title, "pertemuan-"+strconv.FormatInt(m.ID, 10), c, []meeting.Meeting{*m})
}

// handleMeetingsICS serves the meetings of a consultation v reads as one
// iCalendar file, for a calendar app to subscribe to.
func (s *Server) handleMeetingsICS(w http.ResponseWriter, r *http.Request) {
	v, c, err := s.viewerAndConsultation(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	ms, err := meeting.Meetings(r.Context(), s.db, v, c)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.serveCalendar(w, r, c.Title, "pertemuan-"+c.Slug, c, ms)
}

func (s *Server) serveCalendar(w http.ResponseWriter, r *http.Request, name, file string, c *forum.Consultation, ms []meeting.Meeting) {
	body := meeting.Calendar(name, s.publicURL(r, ""), c.Slug, ms)
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+file+`.ics"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write([]byte(body))
}

// meetingStatements is meeting.Outcomes' StatementsFunc: the linked
// statements read through polls, with the access item each one has.
func (s *Server) meetingStatements(ctx context.Context, c *forum.Consultation, ids []int64) ([]meeting.LinkedStatement, error) {
	ss, err := polls.StatementsIn(ctx, s.db, c.ID, ids)
	if err != nil {
		return nil, err
	}
	out := make([]meeting.LinkedStatement, len(ss))
	for i := range ss {
		out[i] = meeting.LinkedStatement{ID: ss[i].ID, Text: ss[i].Text, Item: ss[i].Item(c)}
	}
	return out, nil
}
