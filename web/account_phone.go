package web

import (
	"net/http"
	"net/url"

	"github.com/rembug/rembug/forum/messaging"
	"github.com/rembug/rembug/forum/otp"
)

// A signed-in citizen links a phone number to their account from /akun:
// the number gets a one-time code by SMS or WhatsApp through the sign-in
// code machinery (forum/otp, Request.LinkUser), and the code typed back in
// the same browser makes the number a way to sign in to this account
// (otp.Store.VerifyLink). A number another account signs in with is
// refused, as social login refuses an identity that belongs to someone
// else.

// handlePhoneLinkStart is POST /akun/telepon: it sends a code to the number
// in the form on the chosen channel and shows where to type it.
func (s *Server) handlePhoneLinkStart(w http.ResponseWriter, r *http.Request) {
	v, ok := s.accountPost(w, r)
	if !ok {
		return
	}
	lang := info(r).lang
	ch := messaging.Channel(r.PostFormValue("channel"))
	if ch == messaging.Email || !s.outbox.Has(ch) {
		s.renderPhoneCode(w, r, http.StatusBadRequest, "error.otp_channel")
		return
	}
	if v.User.Staff() {
		s.renderPhoneCode(w, r, http.StatusForbidden, "error.otp_staff")
		return
	}
	req := otp.Request{Channel: ch, Address: r.PostFormValue("address"), Client: clientIP(r),
		Browser: browserHash(s.visitorID(r)), ReturnTo: "/akun", LinkUser: v.User.ID}
	c, err := s.otp.Start(r.Context(), req, func(_, code, _ string) messaging.Message {
		return messaging.Message{Body: s.msgs.T(lang, "otp.link_body", "Code", code), Lang: lang}
	})
	if err != nil {
		s.codeFailed(w, r, err, func(status int, key string, data map[string]any) {
			s.renderPhoneCode(w, r, status, key, dataArgs(data)...)
		})
		return
	}
	s.outbox.Wake()
	http.Redirect(w, r, "/akun/telepon/"+url.PathEscape(c.Token), http.StatusSeeOther)
}

// renderPhoneCode shows the code form of the link in progress named by the
// {challenge} path value, or the error errKey (with a way back to /akun).
func (s *Server) renderPhoneCode(w http.ResponseWriter, r *http.Request, status int, errKey string, data ...any) {
	lang := info(r).lang
	pg := codePage{Token: r.PathValue("challenge"), Development: s.outbox.Development(), Link: true}
	if pg.Token != "" {
		pg.Challenge, _ = s.otp.Lookup(r.Context(), pg.Token, browserHash(s.visitorID(r)))
	}
	switch {
	case errKey != "":
		pg.Error = s.msgs.T(lang, errKey, data...)
	case pg.Challenge == nil:
		pg.Error, status = s.msgs.T(lang, "error.otp_expired"), http.StatusNotFound
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "signin_code", s.msgs.T(lang, "account.phone_title"), pg)
}

// handlePhoneLinkForm is GET /akun/telepon/{challenge}: the code form.
func (s *Server) handlePhoneLinkForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	s.renderPhoneCode(w, r, http.StatusOK, "")
}

// handlePhoneLinkVerify is POST /akun/telepon/{challenge}: the typed code
// links the number to the signed-in account and returns to /akun.
func (s *Server) handlePhoneLinkVerify(w http.ResponseWriter, r *http.Request) {
	v, ok := s.accountPost(w, r)
	if !ok {
		return
	}
	_, err := s.otp.VerifyLink(r.Context(), r.PathValue("challenge"), r.PostFormValue("code"),
		browserHash(s.visitorID(r)), clientIP(r), v.User.ID)
	if err != nil {
		s.codeFailed(w, r, err, func(status int, key string, data map[string]any) {
			s.renderPhoneCode(w, r, status, key, dataArgs(data)...)
		})
		return
	}
	http.Redirect(w, r, "/akun?ok=phone", http.StatusSeeOther)
}
