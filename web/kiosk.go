package web

import (
	"crypto/hmac"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/ikm"
)

// Kiosk mode: an assisted-entry officer (forum.RoleAssistant) starts it on
// a shared tablet at the desk. Starting ends the officer's own session (no
// account stays signed in on the tablet) and sets kioskCookie, which only
// the /kiosk pages read: it names the officer (whose role forum.Assist
// reads again in each entry's transaction), the IKM unit of the desk and
// when it ends. Each citizen's complaint or IKM answer is an assisted entry
// with their consent. After each submission the visitor cookie is dropped
// and the receipt is shown once (kioskReceiptCookie, cleared on reading);
// every kiosk page is sent with Cache-Control: no-store and its forms with
// autocomplete off, so neither the back button nor the browser's memory
// of form fields shows the previous person's entry. An idle page goes back
// to an empty start page after kioskIdle (a script; without scripts a
// meta refresh), the receipt after kioskReceiptShown.
const (
	kioskCookie        = "rembug_kiosk"
	kioskReceiptCookie = "rembug_kiosk_r"
	kioskShift         = 12 * time.Hour   // how long a started kiosk stays started
	kioskIdle          = 3 * time.Minute  // an untouched form goes back to the start
	kioskReceiptShown  = 90 * time.Second // the receipt page goes back to the start
)

// kioskPage is the data of kiosk.html. Step is "start" (the officer picks
// the desk's IKM unit and starts), "home" (the citizen picks what to do),
// "complaint", "ikm" or "done".
type kioskPage struct {
	Step    string
	Units   []polls.IKMUnit      // start: the IKM units to pick from
	Unit    *polls.IKMUnit       // the desk's IKM unit, nil for none
	Conss   []forum.Consultation // start: the open consultations to pick from
	Cons    *forum.Consultation  // the desk's consultation for proposals, nil for none
	Title   string               // proposal: the entered title, only when re-shown with an error
	IKM     *ikmFormPage         // ikm: the survey's elements and profile
	Error   string
	Body    string // complaint: the entered values, only when re-shown with an error
	Name    string
	Phone   string
	Number  string // done: the complaint's tracking number and secret ("" after an IKM answer)
	Secret  string
	Refresh int // seconds before the page goes back to the start
}

// Chromeless leaves the site's header and footer out: a citizen at the
// kiosk cannot wander to other pages or see the officer's account.
func (*kioskPage) Chromeless() bool { return true }

// NoStore makes render send Cache-Control: no-store.
func (*kioskPage) NoStore() bool { return true }

// kioskState is what kioskCookie carries.
type kioskState struct {
	OfficerID int64
	UnitID    int64
	ConsID    int64
	Ends      time.Time
}

func (k kioskState) encode() string {
	return strconv.FormatInt(k.OfficerID, 10) + "." + strconv.FormatInt(k.UnitID, 10) + "." + strconv.FormatInt(k.ConsID, 10) +
		"." + strconv.FormatInt(k.Ends.Unix(), 10)
}

// kioskDesk is a started kiosk: the officer, the desk's IKM unit and the
// consultation whose proposals it takes (nil for none).
type kioskDesk struct {
	Officer forum.Viewer
	Unit    *polls.IKMUnit
	Cons    *forum.Consultation
}

// kiosk returns the officer viewer and the desk's IKM unit of the
// request's kiosk cookie, or errs.Forbidden "kiosk.error.not_started" when
// there is none, it does not verify or its shift ended.
func (s *Server) kiosk(r *http.Request) (forum.Viewer, *polls.IKMUnit, error) {
	d, err := s.kioskDesk(r)
	return d.Officer, d.Unit, err
}

// kioskDesk is kiosk with the desk's consultation.
func (s *Server) kioskDesk(r *http.Request) (kioskDesk, error) {
	var d kioskDesk
	v, unit, cons, err := s.kioskRead(r)
	if err == nil && cons != 0 {
		d.Cons, err = forum.ConsultationByRef(r.Context(), s.db, strconv.FormatInt(cons, 10))
		if errs.KindOf(err) == errs.NotFound {
			d.Cons, err = nil, nil
		}
	}
	d.Officer, d.Unit = v, unit
	return d, err
}

// kioskRead verifies the kiosk cookie (HMAC under the installation key,
// "officer.unit.consultation.ends.signature") and returns the officer,
// who must still hold the right to assist, the desk's IKM unit (nil when
// none or deleted) and the consultation id (0 for none).
func (s *Server) kioskRead(r *http.Request) (forum.Viewer, *polls.IKMUnit, int64, error) {
	notStarted := errs.E(errs.Forbidden, "kiosk.error.not_started", nil)
	c, err := r.Cookie(kioskCookie)
	if err != nil {
		return forum.Viewer{}, nil, 0, notStarted
	}
	i := strings.LastIndexByte(c.Value, '.')
	if i < 0 || !hmac.Equal([]byte(c.Value[i+1:]), []byte(s.sign("kiosk", c.Value[:i]))) {
		return forum.Viewer{}, nil, 0, notStarted
	}
	parts := strings.Split(c.Value[:i], ".")
	if len(parts) != 4 {
		return forum.Viewer{}, nil, 0, notStarted
	}
	uid, err1 := strconv.ParseInt(parts[0], 10, 64)
	unit, err2 := strconv.ParseInt(parts[1], 10, 64)
	cons, err3 := strconv.ParseInt(parts[2], 10, 64)
	ends, err4 := strconv.ParseInt(parts[3], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil || !s.now().Before(time.Unix(ends, 0)) {
		return forum.Viewer{}, nil, 0, notStarted
	}
	u, err := forum.UserByID(r.Context(), s.db, uid)
	if err != nil {
		if errs.KindOf(err) == errs.NotFound {
			return forum.Viewer{}, nil, 0, notStarted
		}
		return forum.Viewer{}, nil, 0, err
	}
	v, err := forum.LoadViewer(r.Context(), s.db, u, 0)
	if err != nil {
		return v, nil, 0, err
	}
	if err := forum.Can(r.Context(), v, forum.ActAssist, forum.Item{Kind: forum.ItemSite}); err != nil {
		return v, nil, 0, err
	}
	var du *polls.IKMUnit
	if unit != 0 {
		if du, err = polls.IKMUnitByRef(r.Context(), s.db, strconv.FormatInt(unit, 10)); err != nil && errs.KindOf(err) != errs.NotFound {
			return v, nil, 0, err
		}
	}
	return v, du, cons, nil
}

// handleKiosk is the kiosk's start page: for a started kiosk the
// citizen's choice (a complaint, the desk's IKM survey); otherwise, for
// a signed-in officer, the form that starts kiosk mode.
func (s *Server) handleKiosk(w http.ResponseWriter, r *http.Request) {
	if d, err := s.kioskDesk(r); err == nil {
		s.renderKiosk(w, r, http.StatusOK, &kioskPage{Step: "home", Unit: d.Unit, Cons: d.Cons, Refresh: int(kioskIdle.Seconds())})
		return
	} else if errs.KindOf(err) == errs.Internal {
		s.serveError(w, r, err)
		return
	}
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	fv, err := s.forumViewer(r, false)
	if err == nil {
		err = forum.Can(r.Context(), fv, forum.ActAssist, forum.Item{Kind: forum.ItemSite})
	}
	var units []polls.IKMUnit
	if err == nil {
		units, err = polls.IKMUnits(r.Context(), s.db)
	}
	var all, open []forum.Consultation
	if err == nil {
		all, err = forum.PublicConsultations(r.Context(), s.db)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	for _, c := range all {
		if c.Status == forum.StatusOpen {
			open = append(open, c)
		}
	}
	s.renderKiosk(w, r, http.StatusOK, &kioskPage{Step: "start", Units: units, Conss: open})
}

// handleKioskStart starts kiosk mode for the signed-in officer
// (forum.Store.StartKiosk, audited), ends their session and sets the
// kiosk cookie for kioskShift.
func (s *Server) handleKioskStart(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	fv, err := s.forumViewer(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	var unitID int64
	if ref := r.PostFormValue("unit"); ref != "" {
		u, err := polls.IKMUnitByRef(r.Context(), s.db, ref)
		if err != nil {
			s.serveError(w, r, err)
			return
		}
		unitID = u.ID
	}
	var consID int64
	if ref := r.PostFormValue("consultation"); ref != "" {
		c, err := forum.ConsultationByRef(r.Context(), s.db, ref)
		if err == nil {
			err = forum.Can(r.Context(), fv, forum.ActRead, forum.Item{Kind: forum.ItemConsultation, Consultation: c})
		}
		if err != nil {
			s.serveError(w, r, err)
			return
		}
		consID = c.ID
	}
	if err := s.forum.StartKiosk(r.Context(), fv); err != nil {
		s.serveError(w, r, err)
		return
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.forum.SignOut(r.Context(), c.Value); err != nil {
			s.serveError(w, r, err)
			return
		}
	}
	st := kioskState{OfficerID: fv.User.ID, UnitID: unitID, ConsID: consID, Ends: s.now().Add(kioskShift)}
	v := st.encode()
	s.setCookie(w, sessionCookie, "", -1)
	s.setCookie(w, visitorCookie, "", -1)
	s.setCookie(w, kioskCookie, v+"."+s.sign("kiosk", v), int(kioskShift.Seconds()))
	http.Redirect(w, r, "/kiosk", http.StatusSeeOther)
}

// handleKioskStop ends kiosk mode on this device: the officer signs in
// again to do anything else.
func (s *Server) handleKioskStop(w http.ResponseWriter, r *http.Request) {
	s.setCookie(w, kioskCookie, "", -1)
	s.setCookie(w, kioskReceiptCookie, "", -1)
	s.setCookie(w, visitorCookie, "", -1)
	http.Redirect(w, r, "/masuk", http.StatusSeeOther)
}

// handleKioskComplaint shows the empty complaint form of the kiosk.
func (s *Server) handleKioskComplaint(w http.ResponseWriter, r *http.Request) {
	if _, _, err := s.kiosk(r); err != nil {
		s.serveError(w, r, err)
		return
	}
	s.renderKiosk(w, r, http.StatusOK, &kioskPage{Step: "complaint", Refresh: int(kioskIdle.Seconds())})
}

// handleKioskComplaintSubmit records the complaint of the citizen at the
// desk, typed by the kiosk's officer with the citizen's consent
// (complaint.Store.Submit with Intake.Assisted).
func (s *Server) handleKioskComplaintSubmit(w http.ResponseWriter, r *http.Request) {
	v, _, err := s.kiosk(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	pg := &kioskPage{Step: "complaint", Refresh: int(kioskIdle.Seconds()), Body: r.PostFormValue("body"),
		Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone")}
	rec, err := s.complaints.Submit(r.Context(), s.complaints.Actor(v, ""), complaint.Intake{Channel: complaint.ChannelWeb,
		Body: pg.Body, ReporterName: pg.Name, ReporterPhone: pg.Phone, Assisted: true, Consent: r.PostFormValue("consent") == "1"})
	if err != nil {
		s.kioskFormError(w, r, pg, err)
		return
	}
	s.kioskDone(w, r, "complaint", rec.Complaint.Number, rec.Secret)
}

// handleKioskProposal shows the empty proposal form of the desk's
// consultation.
func (s *Server) handleKioskProposal(w http.ResponseWriter, r *http.Request) {
	d, err := s.kioskDesk(r)
	if err == nil && d.Cons == nil {
		err = errs.ErrNotFound
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.renderKiosk(w, r, http.StatusOK, &kioskPage{Step: "proposal", Cons: d.Cons, Refresh: int(kioskIdle.Seconds())})
}

// handleKioskProposalSubmit records the proposal of the citizen at the
// desk (forum.Store.CreateAssistedProposal); the followers' emails go out
// after the commit.
func (s *Server) handleKioskProposalSubmit(w http.ResponseWriter, r *http.Request) {
	d, err := s.kioskDesk(r)
	if err == nil && d.Cons == nil {
		err = errs.ErrNotFound
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	img, err := proposalImageInput(r) // a photo or scan the citizen brought, as on the proposal form
	pg := &kioskPage{Step: "proposal", Cons: d.Cons, Refresh: int(kioskIdle.Seconds()), Title: r.PostFormValue("title"), Body: r.PostFormValue("body")}
	if err != nil {
		s.kioskFormError(w, r, pg, err)
		return
	}
	p, ds, err := s.forum.CreateAssistedProposal(r.Context(), d.Officer, d.Cons,
		forum.ProposalInput{Title: pg.Title, Body: pg.Body, Image: img}, r.PostFormValue("consent") == "1")
	if err != nil {
		s.kioskFormError(w, r, pg, err)
		return
	}
	s.deliver(r, ds, d.Cons, p, nil)
	s.kioskDone(w, r, "proposal", "", "")
}

// handleKioskIKM shows the empty IKM survey of the desk's unit.
func (s *Server) handleKioskIKM(w http.ResponseWriter, r *http.Request) {
	_, unit, err := s.kiosk(r)
	if err == nil && unit == nil {
		err = errs.ErrNotFound
	}
	var f *ikmFormPage
	if err == nil {
		f, err = s.ikmForm(r, unit)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.renderKiosk(w, r, http.StatusOK, &kioskPage{Step: "ikm", Unit: unit, IKM: f, Refresh: int(kioskIdle.Seconds())})
}

// handleKioskIKMSubmit records the IKM answer of the citizen at the desk
// (polls.Store.SubmitIKMAssisted).
func (s *Server) handleKioskIKMSubmit(w http.ResponseWriter, r *http.Request) {
	v, unit, err := s.kiosk(r)
	if err == nil && unit == nil {
		err = errs.ErrNotFound
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	err = s.polls.SubmitIKMAssisted(r.Context(), v, unit.ID, ikmResponseOf(r), r.PostFormValue("consent") == "1")
	if err != nil {
		f, ferr := s.ikmForm(r, unit)
		if ferr != nil {
			s.serveError(w, r, ferr)
			return
		}
		s.kioskFormError(w, r, &kioskPage{Step: "ikm", Unit: unit, IKM: f, Refresh: int(kioskIdle.Seconds())}, err)
		return
	}
	s.kioskDone(w, r, "ikm", "", "")
}

// kioskFormError shows pg again with err's message (4xx), or the error
// page for a fault.
func (s *Server) kioskFormError(w http.ResponseWriter, r *http.Request, pg *kioskPage, err error) {
	code, _, msg := s.errorText(info(r).lang, err)
	if code >= http.StatusInternalServerError || code == http.StatusForbidden {
		s.serveError(w, r, err)
		return
	}
	pg.Error = msg
	s.renderKiosk(w, r, code, pg)
}

// kioskDone ends one citizen's turn: the visitor cookie is dropped, the
// receipt is handed to the next page once, and the browser goes there
// (POST-redirect-GET, so going back never sends the entry again).
func (s *Server) kioskDone(w http.ResponseWriter, r *http.Request, kind, number, secret string) {
	v := b64.EncodeToString([]byte(kind + "\n" + number + "\n" + secret))
	s.setCookie(w, visitorCookie, "", -1)
	http.SetCookie(w, &http.Cookie{Name: kioskReceiptCookie, Value: v + "." + s.sign("kiosk-receipt", v), Path: "/kiosk",
		MaxAge: int(kioskReceiptShown.Seconds()), HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/kiosk/selesai", http.StatusSeeOther)
}

// handleKioskDone shows the receipt once and clears it: reloading the
// page, or coming back to it, shows no one's receipt.
func (s *Server) handleKioskDone(w http.ResponseWriter, r *http.Request) {
	if _, _, err := s.kiosk(r); err != nil {
		s.serveError(w, r, err)
		return
	}
	pg := &kioskPage{Step: "done", Refresh: int(kioskReceiptShown.Seconds())}
	if c, err := r.Cookie(kioskReceiptCookie); err == nil {
		http.SetCookie(w, &http.Cookie{Name: kioskReceiptCookie, Path: "/kiosk", MaxAge: -1, HttpOnly: true, Secure: s.secure,
			SameSite: http.SameSiteStrictMode})
		if v, sig, ok := strings.Cut(c.Value, "."); ok && hmac.Equal([]byte(sig), []byte(s.sign("kiosk-receipt", v))) {
			if b, err := b64.DecodeString(v); err == nil {
				if parts := strings.SplitN(string(b), "\n", 3); len(parts) == 3 && parts[0] == "complaint" {
					pg.Number, pg.Secret = parts[1], parts[2]
				}
			}
		}
	}
	s.renderKiosk(w, r, http.StatusOK, pg)
}

func (s *Server) renderKiosk(w http.ResponseWriter, r *http.Request, code int, pg *kioskPage) {
	s.render(w, r, code, "kiosk", s.msgs.T(info(r).lang, "kiosk.title"), pg)
}

// ikmResponseOf reads an IKM answer from the form: u1..u9 (a score 1–4;
// missing is 0, not a number -1, which the store refuses) and the profile.
func ikmResponseOf(r *http.Request) ikm.Response {
	var resp ikm.Response
	for i := range resp.Scores {
		if v := r.PostFormValue("u" + strconv.Itoa(i+1)); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				n = -1
			}
			resp.Scores[i] = n
		}
	}
	resp.Profile = ikm.Profile{AgeBand: r.PostFormValue("age"), Sex: r.PostFormValue("sex"),
		Education: r.PostFormValue("education"), Occupation: r.PostFormValue("occupation")}
	return resp
}
