package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/messaging"
	"github.com/rembug/rembug/web/auth"
)

// Password sign-in limits, counted in the database so that they hold
// across nodes: growing delays per (email, client address) pair
// (forum.Store.ThrottlePassword: guessing one staff password from one address,
// while the owner elsewhere is never held up), and a fixed budget per client
// address (trying many emails). The address is clientIP's: the peer, or the
// client named by a trusted proxy (proxy.go).
const (
	passwordPerIP  = 30
	passwordWindow = 15 * time.Minute
)

type signinPage struct {
	Providers []*auth.Provider
	Next      string
	Email     string
	Phone     string
	Error     string
	// CodeEmail and Phones offer one-time codes (signin_code.go): by email,
	// and by phone over these channels; Development says they are not sent.
	CodeEmail   bool
	Phones      []messaging.Channel
	Development bool
}

func (s *Server) renderSignin(w http.ResponseWriter, r *http.Request, code int, email, errKey string, data ...any) {
	lang := info(r).lang
	pg := signinPage{Providers: s.auth.List(), Next: localPath(r.FormValue("next")), Email: email, Development: s.outbox.Development()}
	pg.CodeEmail, pg.Phones = s.codeChannels()
	if email != "" && !strings.Contains(email, "@") {
		pg.Email, pg.Phone = "", email
	}
	if errKey != "" {
		pg.Error = s.msgs.T(lang, errKey, data...)
	}
	s.render(w, r, code, "signin", s.msgs.T(lang, "signin.title"), pg)
}

// handleSignin shows the sign-in page: one button per configured provider
// and the staff password form.
func (s *Server) handleSignin(w http.ResponseWriter, r *http.Request) {
	if s.viewerOf(r).SignedIn() {
		http.Redirect(w, r, "/akun", http.StatusSeeOther)
		return
	}
	s.renderSignin(w, r, http.StatusOK, "", "")
}

// handlePasswordSignin signs a staff member in with email and password,
// within the rate limits.
func (s *Server) handlePasswordSignin(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	host := clientIP(r)
	wait, err := s.forum.ThrottlePassword(ctx, email, host)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if wait == 0 {
		var ok bool
		ok, wait, err = s.forum.CountAttempt(ctx, "pw-ip:"+host, passwordPerIP, passwordWindow)
		if err != nil {
			s.serveError(w, r, err)
			return
		}
		if ok {
			wait = 0
		}
	}
	if wait > 0 {
		secs := int((wait + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		s.renderSignin(w, r, http.StatusTooManyRequests, email, "error.password_wait", "Count", secs)
		return
	}
	u, err := forum.CheckPassword(ctx, s.db, email, r.PostFormValue("password"))
	if err != nil {
		if errs.KindOf(err) == errs.Forbidden {
			s.renderSignin(w, r, http.StatusUnauthorized, email, "error.password_wrong")
			return
		}
		s.serveError(w, r, err)
		return
	}
	if err := s.forum.ClearPasswordThrottle(ctx, email, host); err != nil {
		s.serveError(w, r, err)
		return
	}
	if err := s.startSession(w, r, u); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, localPath(r.PostFormValue("next")), http.StatusSeeOther)
}

// handleSigninLink shows the button that uses a one-time sign-in link: a
// GET never uses it up, so a mail scanner opening the link does no harm.
func (s *Server) handleSigninLink(w http.ResponseWriter, r *http.Request) {
	lang := info(r).lang
	s.render(w, r, http.StatusOK, "signin_link", s.msgs.T(lang, "signin_link.title"),
		map[string]any{"Action": "/masuk/tautan/" + r.PathValue("token")})
}

// handleSigninLinkUse uses a one-time sign-in link.
func (s *Server) handleSigninLinkUse(w http.ResponseWriter, r *http.Request) {
	u, err := s.forum.UseSignInLink(r.Context(), r.PathValue("token"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if err := s.startSession(w, r, u); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, "/akun", http.StatusSeeOther)
}
