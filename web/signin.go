package web

import (
	"crypto/rand"
	"net/http"
	"net/url"
	"strconv"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/rancangan"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/realtime/live"
)

// newMergers is the one list of merge steps run at sign-in: forum's own,
// then every other package that owns participant-keyed rows registers its
// step (see forum.Mergers).
func newMergers() *forum.Mergers {
	m := forum.NewMergers()
	polls.RegisterMerge(m)
	live.RegisterMerge(m)
	rancangan.RegisterMerge(m)
	return m
}

// startSession signs u in on this browser (CASES C16): forum.Store.SignIn
// ends the session the browser presented, if any, moves everything the
// guest did to u's participant (s.mergers), and creates a fresh session, in
// one transaction; then it sets the new session cookie, a fresh visitor id (so CSRF tokens
// from before sign-in stop working) and u's preferred language.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *forum.User) error {
	prev := ""
	if c, err := r.Cookie(sessionCookie); err == nil {
		prev = c.Value
	}
	visitor := s.visitorID(r)
	tok, err := s.forum.SignIn(r.Context(), u, prev, visitor, s.mergers)
	if err != nil {
		return err
	}
	if visitor != "" {
		// the guest's live upvotes and answers are the account's now: forget
		// the guest's cached participant and send the open sessions their
		// recounted numbers
		s.live.parts.forget(liveUser(viewer{VisitorID: visitor}))
		if p, err := forum.FindParticipant(r.Context(), s.db, forum.ParticipantUser, strconv.FormatInt(u.ID, 10)); err == nil {
			s.live.svc.Merged(r.Context(), p.ID)
		}
	}
	s.setCookie(w, sessionCookie, tok, int(forum.SessionTTL.Seconds()))
	var b [18]byte
	rand.Read(b[:]) //nolint:errcheck // crypto/rand never fails on supported systems
	vid := b64.EncodeToString(b[:])
	s.setCookie(w, visitorCookie, vid+"."+s.sign("visitor", vid), 365*24*3600)
	if supported(u.Lang) {
		s.setCookie(w, langCookie, u.Lang, 365*24*3600)
	}
	return nil
}

// setCookie sets an HttpOnly, SameSite=Lax cookie for the whole site,
// Secure when served over HTTPS; maxAge < 0 deletes it.
func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

// handleSignOut ends the session on the server (so a copied cookie stops
// working everywhere) and forgets the browser's cookies.
func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.forum.SignOut(r.Context(), c.Value); err != nil {
			s.serveError(w, r, err)
			return
		}
	}
	s.setCookie(w, sessionCookie, "", -1)
	s.setCookie(w, visitorCookie, "", -1)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// requireUser returns the signed-in viewer, or answers a guest through
// serveError (errs.Unauthenticated, "error.sign_in_required": the sign-in
// page for a browser, 401 for a JSON caller) and returns false.
func (s *Server) requireUser(w http.ResponseWriter, r *http.Request) (viewer, bool) {
	v := s.viewerOf(r)
	if v.SignedIn() {
		return v, true
	}
	s.serveError(w, r, errs.E(errs.Unauthenticated, "error.sign_in_required", nil))
	return v, false
}

// askSignIn reports whether err, answering a guest's request for a page
// (not the JSON API), is answered by the sign-in page, which brings the
// person back: a request that needs an account (errs.Unauthenticated,
// requireUser). A JSON caller gets 401 instead.
func (s *Server) askSignIn(r *http.Request, err error) bool {
	return errs.KindOf(err) == errs.Unauthenticated && !jsonPath(r) && !s.viewerOf(r).SignedIn()
}

// redirectToSignIn sends a guest to the sign-in page, coming back to the
// page asked for (or to the account page after a form post).
func redirectToSignIn(w http.ResponseWriter, r *http.Request) {
	next := "/akun"
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		next = r.URL.RequestURI()
	}
	http.Redirect(w, r, "/masuk?next="+url.QueryEscape(next), http.StatusSeeOther)
}

// providerLabel names provider name for people, falling back to the name.
func (s *Server) providerLabel(name string) string {
	if p := s.auth.Get(name); p != nil {
		return p.Label()
	}
	return name
}
