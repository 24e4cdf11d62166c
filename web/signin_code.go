package web

import (
	"net"
	"net/http"
	"net/url"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/messaging"
	"github.com/rembug/rembug/forum/otp"
)

// Citizens sign in with a one-time code sent by email (with a magic link),
// SMS or WhatsApp (forum/otp); the code travels through the message outbox
// (forum/messaging).

// clientIP is the client's address, the key of per-client rate limits:
// the connection's peer, or the client a trusted proxy names in
// X-Forwarded-For (forwardedClient, applied by the middleware).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// codeChannels are the channels a citizen may pick for a code: those with
// a sender (every one in development mode).
func (s *Server) codeChannels() (email bool, phone []messaging.Channel) {
	for _, ch := range s.outbox.Channels() {
		if ch == messaging.Email {
			email = true
		} else {
			phone = append(phone, ch)
		}
	}
	return email, phone
}

// publicURL makes path absolute with the configured base URL, or with the
// request's own host when none is configured.
func (s *Server) publicURL(r *http.Request, path string) string {
	if s.baseURL != "" {
		return s.baseURL + path
	}
	scheme := "http"
	if r.TLS != nil || s.secure {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

// handleCodeStart sends a one-time code to the email address or phone
// number in the form and shows where to type it. The answer is the same
// whether or not an account uses the address.
func (s *Server) handleCodeStart(w http.ResponseWriter, r *http.Request) {
	lang := info(r).lang
	ch := messaging.Channel(r.PostFormValue("channel"))
	addr := r.PostFormValue("address")
	if !s.outbox.Has(ch) {
		s.renderSignin(w, r, http.StatusBadRequest, "", "error.otp_channel")
		return
	}
	req := otp.Request{Channel: ch, Address: addr, Client: clientIP(r), Browser: browserHash(s.visitorID(r)),
		ReturnTo: localPath(r.PostFormValue("next"))}
	c, err := s.otp.Start(r.Context(), req, func(to, code, link string) messaging.Message {
		if link == "" {
			return messaging.Message{Body: s.msgs.T(lang, "otp.sms_body", "Code", code), Lang: lang}
		}
		return messaging.Message{Subject: s.msgs.T(lang, "otp.mail_subject", "Code", code), Lang: lang,
			Body: s.msgs.T(lang, "otp.mail_body", "Code", code, "URL", s.publicURL(r, "/masuk/email/"+link))}
	})
	if err != nil {
		s.codeFailed(w, r, err, func(status int, key string, data map[string]any) {
			s.renderSignin(w, r, status, addr, key, dataArgs(data)...)
		})
		return
	}
	s.outbox.Wake()
	http.Redirect(w, r, "/masuk/kode/"+c.Token, http.StatusSeeOther)
}

// codePage is the page where the code is typed in.
type codePage struct {
	Token, Error string
	Challenge    *otp.Challenge
	Development  bool
	// Link is set when the code links a phone number to the signed-in
	// account (account_phone.go) instead of signing in.
	Link bool
}

func (s *Server) renderCode(w http.ResponseWriter, r *http.Request, status int, errKey string, data ...any) {
	lang := info(r).lang
	pg := codePage{Token: r.PathValue("challenge"), Development: s.outbox.Development()}
	pg.Challenge, _ = s.otp.Lookup(r.Context(), pg.Token, browserHash(s.visitorID(r)))
	if errKey != "" {
		pg.Error = s.msgs.T(lang, errKey, data...)
	} else if pg.Challenge == nil {
		pg.Error, status = s.msgs.T(lang, "error.otp_expired"), http.StatusNotFound
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "signin_code", s.msgs.T(lang, "otp.title"), pg)
}

// handleCodeForm shows the form for the code just sent.
func (s *Server) handleCodeForm(w http.ResponseWriter, r *http.Request) {
	s.renderCode(w, r, http.StatusOK, "")
}

// handleCodeVerify checks the typed code and signs the person in.
func (s *Server) handleCodeVerify(w http.ResponseWriter, r *http.Request) {
	u, back, err := s.otp.Verify(r.Context(), r.PathValue("challenge"), r.PostFormValue("code"),
		browserHash(s.visitorID(r)), clientIP(r), s.newcomer(r))
	if err != nil {
		s.codeFailed(w, r, err, func(status int, key string, data map[string]any) {
			s.renderCode(w, r, status, key, dataArgs(data)...)
		})
		return
	}
	s.signedIn(w, r, u, back)
}

// handleMagicLink shows the button that uses an email's sign-in link: a
// GET never uses it up, so a mail scanner opening the link does no harm.
func (s *Server) handleMagicLink(w http.ResponseWriter, r *http.Request) {
	lang := info(r).lang
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	s.render(w, r, http.StatusOK, "signin_link", s.msgs.T(lang, "signin_link.title"),
		map[string]any{"Action": "/masuk/email/" + url.PathEscape(r.PathValue("token"))})
}

// handleMagicLinkUse uses an email's sign-in link.
func (s *Server) handleMagicLinkUse(w http.ResponseWriter, r *http.Request) {
	u, back, err := s.otp.UseLink(r.Context(), r.PathValue("token"), s.newcomer(r))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.signedIn(w, r, u, back)
}

// newcomer is what an account created at this sign-in starts with.
func (s *Server) newcomer(r *http.Request) otp.Person {
	lang := info(r).lang
	return otp.Person{Lang: lang, Name: s.msgs.T(lang, "account.default_name")}
}

// signedIn starts u's session and goes back to where the person was.
func (s *Server) signedIn(w http.ResponseWriter, r *http.Request, u *forum.User, back string) {
	if err := s.startSession(w, r, u); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, localPath(back), http.StatusSeeOther)
}

// codeFailed answers a sign-in code error: the person's mistakes (a bad
// address, a wrong or expired code, too many tries, a staff account: any
// 4xx of the one status mapping, statusOf) go back to the form through show
// with the one mapping's status and Retry-After and the error's message;
// anything else is answered by serveError.
func (s *Server) codeFailed(w http.ResponseWriter, r *http.Request, err error, show func(status int, key string, data map[string]any)) {
	code, e := statusOf(err), errs.As(err)
	if e == nil || code >= http.StatusInternalServerError || code == http.StatusNotFound {
		s.serveError(w, r, err)
		return
	}
	setRetryAfter(w, code, err)
	show(code, e.Key, e.Data)
}

// dataArgs turns template data into the key/value list catalog.T takes.
func dataArgs(data map[string]any) []any {
	var out []any
	for k, v := range data {
		out = append(out, k, v)
	}
	return out
}

// handleOutbox lists the newest messages of the outbox for admins: in
// development mode the codes themselves, otherwise what was sent to whom
// and how it went.
func (s *Server) handleOutbox(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	fv, err := s.forumViewer(r, false)
	if err == nil {
		err = forum.Can(r.Context(), fv, forum.ActAdminister, forum.Item{Kind: forum.ItemSite})
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	rows, err := messaging.Recent(r.Context(), s.db, 100)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "outbox", s.msgs.T(info(r).lang, "outbox.title"),
		map[string]any{"Rows": rows, "Development": s.outbox.Development(), "Channels": s.outbox.Channels()})
}
