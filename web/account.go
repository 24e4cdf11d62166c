package web

import (
	"net/http"
	"slices"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/messaging"
	"github.com/rembug/rembug/forum/otp"
	"github.com/rembug/rembug/web/auth"
)

// accountPage is the data of the profile page (/akun).
type accountPage struct {
	User *forum.User
	// PhoneChannels are the channels a phone number may be linked by
	// (account_phone.go); empty for staff, who sign in with a password,
	// or when the account has a number already.
	PhoneChannels []messaging.Channel
	Identities    []identityRow
	Linkable      []*auth.Provider
	HasPassword   bool
	CanUnlink     bool
	TimeZones     [][2]string
	Questions     []forum.ProfileQuestion
	Answers       map[string]string
	Consent       map[string]bool
	Consents      []forum.Consent
	OK            string
}

type identityRow struct {
	forum.Identity
	Label string
	// Detail is what the person recognizes the identity by: the email
	// address, or the phone number of a "phone" identity.
	Detail string
}

// accountOK lists the confirmation messages ?ok= may show.
var accountOK = []string{"saved", "linked", "unlinked", "consent", "phone"}

func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request) {
	v, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	uid := v.User.ID
	pg := accountPage{User: v.User, TimeZones: forum.TimeZones(), Questions: forum.ProfileQuestions()}
	ids, err := forum.Identities(ctx, s.db, uid)
	if err == nil {
		pg.HasPassword, err = forum.HasPassword(ctx, s.db, uid)
	}
	if err == nil {
		pg.Answers, err = forum.ProfileAnswers(ctx, s.db, uid)
	}
	if err == nil {
		pg.Consent, err = forum.ActiveConsents(ctx, s.db, uid)
	}
	if err == nil {
		pg.Consents, err = forum.Consents(ctx, s.db, uid)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	linked := map[string]bool{}
	for _, id := range ids {
		row := identityRow{Identity: id, Label: s.providerLabel(id.Provider), Detail: id.Email}
		switch id.Provider {
		case otp.Provider(messaging.SMS):
			row.Label, row.Detail = s.msgs.T(info(r).lang, "account.phone_way"), id.Subject
		case otp.Provider(messaging.Email):
			row.Label = s.msgs.T(info(r).lang, "account.email_way")
		}
		pg.Identities = append(pg.Identities, row)
		linked[id.Provider] = true
	}
	if _, phone := s.codeChannels(); !v.User.Staff() && !linked[otp.Provider(messaging.SMS)] {
		pg.PhoneChannels = phone
	}
	for _, p := range s.auth.List() {
		if !linked[p.Name()] {
			pg.Linkable = append(pg.Linkable, p)
		}
	}
	pg.CanUnlink = len(ids) > 1 || pg.HasPassword
	if ok := r.URL.Query().Get("ok"); slices.Contains(accountOK, ok) {
		pg.OK = ok
	}
	s.render(w, r, http.StatusOK, "account", s.msgs.T(info(r).lang, "account.title"), pg)
}

// accountPost checks sign-in and CSRF for a profile form and returns the
// viewer; on failure it has answered.
func (s *Server) accountPost(w http.ResponseWriter, r *http.Request) (viewer, bool) {
	v, ok := s.requireUser(w, r)
	if !ok {
		return v, false
	}
	return v, true
}

// handleProfileSave saves display name, language and time zone; the
// language becomes the UI's at once.
func (s *Server) handleProfileSave(w http.ResponseWriter, r *http.Request) {
	v, ok := s.accountPost(w, r)
	if !ok {
		return
	}
	u := *v.User
	u.DisplayName, u.Lang, u.TimeZone = r.PostFormValue("display_name"), r.PostFormValue("lang"), r.PostFormValue("time_zone")
	if err := s.forum.UpdateProfile(r.Context(), forum.Viewer{User: v.User}, &u); err != nil {
		s.serveError(w, r, err)
		return
	}
	s.setCookie(w, langCookie, u.Lang, 365*24*3600)
	http.Redirect(w, r, "/akun?ok=saved", http.StatusSeeOther)
}

// handleOptionalSave saves the optional region and demographic answers. For
// each purpose, a ticked consent box records the consent (time and
// purpose) and saves its answers; an unticked box withdraws the consent
// and deletes its answers.
func (s *Server) handleOptionalSave(w http.ResponseWriter, r *http.Request) {
	v, ok := s.accountPost(w, r)
	if !ok {
		return
	}
	consents, answers := map[string]bool{}, map[string]string{}
	for _, purpose := range []string{forum.ConsentRegion, forum.ConsentDemographics} {
		consents[purpose] = r.PostFormValue("consent_"+purpose) == "yes"
		if !consents[purpose] {
			continue
		}
		for _, q := range forum.ProfileQuestions() {
			if q.Purpose == purpose {
				answers[q.Key] = r.PostFormValue(q.Key)
			}
		}
	}
	if err := s.forum.SaveOptional(r.Context(), v.User.ID, consents, answers); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, "/akun?ok=consent", http.StatusSeeOther)
}

// handleUnlink removes one sign-in provider while another way in remains.
func (s *Server) handleUnlink(w http.ResponseWriter, r *http.Request) {
	v, ok := s.accountPost(w, r)
	if !ok {
		return
	}
	if err := s.forum.UnlinkIdentity(r.Context(), v.User, r.PostFormValue("provider")); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, "/akun?ok=unlinked", http.StatusSeeOther)
}

// handleAccountDelete deletes the account after an explicit confirmation:
// contributions stay, pseudonymized; votes stay counted; sessions and
// identities go.
func (s *Server) handleAccountDelete(w http.ResponseWriter, r *http.Request) {
	v, ok := s.accountPost(w, r)
	if !ok {
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		s.serveError(w, r, errs.E(errs.Invalid, "error.delete_confirm", nil))
		return
	}
	if err := s.forum.DeleteAccount(r.Context(), forum.Viewer{User: v.User}, v.User.ID); err != nil {
		s.serveError(w, r, err)
		return
	}
	s.setCookie(w, sessionCookie, "", -1)
	s.setCookie(w, visitorCookie, "", -1)
	http.Redirect(w, r, "/?deleted=1", http.StatusSeeOther)
}
