package web

import (
	"crypto/subtle"
	"errors"
	"net/http"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/web/auth"
)

// browserHash binds a login state to the browser that started it: the
// hash of its signed visitor id, which other browsers do not have.
func browserHash(visitorID string) string { return forum.HashToken("login\x00" + visitorID) }

// beginSocial stores a fresh single-use state for provider p (linking it to
// linkUser when non-zero) and redirects the browser to the provider.
func (s *Server) beginSocial(w http.ResponseWriter, r *http.Request, p *auth.Provider, linkUser int64, returnTo string) {
	vid := s.ensureVisitor(w, r)
	state, verifier, nonce := forum.NewToken(), forum.NewToken(), forum.NewToken()
	st := &forum.LoginState{BrowserHash: browserHash(vid), Provider: p.Name(), Verifier: verifier, Nonce: nonce,
		LinkUserID: linkUser, ReturnTo: localPath(returnTo)}
	if err := s.forum.SaveLoginState(r.Context(), state, st); err != nil {
		s.serveError(w, r, err)
		return
	}
	u, err := p.AuthURL(state, verifier, nonce)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, u, http.StatusSeeOther)
}

// handleSocialBegin starts signing in with the provider in the path.
func (s *Server) handleSocialBegin(w http.ResponseWriter, r *http.Request) {
	p := s.auth.Get(r.PathValue("provider"))
	if p == nil {
		s.serveError(w, r, errs.ErrNotFound)
		return
	}
	s.beginSocial(w, r, p, 0, r.URL.Query().Get("next"))
}

// handleSocialCallback finishes a social sign-in (CASES C14, C15). The state
// is taken (deleted) from the database and checked against this browser
// and provider before the code is exchanged; any mismatch is a 400 and no
// session. An identity already linked signs its user in. A new identity
// whose email belongs to an existing account is never linked: the person is
// asked to sign in to that account first and link from the profile page.
func (s *Server) handleSocialCallback(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := s.auth.Get(r.PathValue("provider"))
	if p == nil {
		s.serveError(w, r, errs.ErrNotFound)
		return
	}
	q := r.URL.Query()
	st, err := s.forum.TakeLoginState(ctx, q.Get("state"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	vid := s.visitorID(r)
	if vid == "" || st.Provider != p.Name() || subtle.ConstantTimeCompare([]byte(st.BrowserHash), []byte(browserHash(vid))) != 1 {
		s.serveError(w, r, errs.E(errs.Invalid, "error.login_state", nil))
		return
	}
	if q.Get("error") != "" {
		s.serveError(w, r, errs.E(errs.Invalid, "error.signin_cancelled", nil))
		return
	}
	claims, err := p.Exchange(ctx, q.Get("code"), st.Verifier, st.Nonce)
	if err != nil {
		s.log.Warn("social sign-in failed", "request_id", info(r).id, "provider", p.Name(), "err", err)
		s.serveError(w, r, errs.E(errs.Invalid, "error.signin_failed", nil))
		return
	}
	if st.LinkUserID != 0 {
		s.finishLink(w, r, st, claims)
		return
	}
	u, err := s.forum.SignInIdentity(ctx, p.Name(), claims.Subject)
	if errs.KindOf(err) == errs.NotFound {
		u, err = s.newSocialUser(w, r, p, claims)
		if u == nil && err == nil {
			return // answered with the "account exists" page
		}
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if err := s.startSession(w, r, u); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, localPath(st.ReturnTo), http.StatusSeeOther)
}

// newSocialUser creates the account of a first social sign-in. When the
// provider verified the email in signed claims and an account already uses
// it, it answers with the page that asks to sign in to that account first
// and returns nil. An email the provider did not verify is never looked up
// nor stored: the answer is exactly that for a new email (a fresh account
// without an email, signed in), so the callback does not tell whether an
// address has an account, and an unverified claim can neither take over
// nor squat an address (OpenID Connect Core 1.0, section 5.7: only a
// verified email may be relied on).
func (s *Server) newSocialUser(w http.ResponseWriter, r *http.Request, p *auth.Provider, c auth.Claims) (*forum.User, error) {
	ctx := r.Context()
	email := ""
	if c.EmailVerified {
		email = c.Email
	}
	if email != "" {
		_, err := forum.UserByEmail(ctx, s.db, email)
		if err == nil {
			s.accountExists(w, r, p)
			return nil, nil
		}
		if errs.KindOf(err) != errs.NotFound {
			return nil, err
		}
	}
	u := &forum.User{DisplayName: c.Name, Lang: info(r).lang, Email: email}
	if u.DisplayName == "" {
		u.DisplayName = s.msgs.T(info(r).lang, "account.default_name")
	}
	err := s.forum.CreateUserWithIdentity(ctx, u, p.Name(), c.Subject, email)
	var fe *errs.Error
	if errors.As(err, &fe) && fe.Key == "error.email_taken" {
		s.accountExists(w, r, p)
		return nil, nil
	}
	return u, err
}

func (s *Server) accountExists(w http.ResponseWriter, r *http.Request, p *auth.Provider) {
	lang := info(r).lang
	s.render(w, r, http.StatusConflict, "account_exists", s.msgs.T(lang, "account_exists.title"),
		map[string]any{"Provider": p.Label()})
}

// finishLink links the identity of a callback to the signed-in user who
// started the link from the profile page.
func (s *Server) finishLink(w http.ResponseWriter, r *http.Request, st *forum.LoginState, c auth.Claims) {
	v := s.viewerOf(r)
	if !v.SignedIn() || v.User.ID != st.LinkUserID {
		s.serveError(w, r, errs.E(errs.Forbidden, "error.link_other_user", nil))
		return
	}
	err := s.forum.LinkIdentity(r.Context(), v.User, c.Provider, c.Subject, c.Email)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, "/akun?ok=linked", http.StatusSeeOther)
}

// handleLinkBegin starts linking another provider to the signed-in user.
func (s *Server) handleLinkBegin(w http.ResponseWriter, r *http.Request) {
	v, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	p := s.auth.Get(r.PostFormValue("provider"))
	if p == nil {
		s.serveError(w, r, errs.ErrNotFound)
		return
	}
	s.beginSocial(w, r, p, v.User.ID, "/akun")
}
