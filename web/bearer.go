package web

import (
	"net/http"
	"strings"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// apiViewer identifies who calls a JSON API: the owner of a staff personal
// access token (Authorization: Bearer, forum/token; bearer true), else the
// session's user or guest. A malformed, unknown or revoked token is
// KindForbidden ("complaint.error.token"), never a silent fall back to the
// session.
func (s *Server) apiViewer(r *http.Request) (v forum.Viewer, bearer bool, err error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		v, err = s.readerViewer(r)
		return v, false, err
	}
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return v, false, errs.E(errs.Forbidden, "complaint.error.token", nil)
	}
	u, err := s.tokens.User(r.Context(), strings.TrimSpace(tok))
	if errs.KindOf(err) == errs.NotFound {
		return v, false, errs.E(errs.Forbidden, "complaint.error.token", nil)
	}
	if err != nil {
		return v, false, err
	}
	v, err = forum.LoadViewer(r.Context(), s.db, u, 0)
	return v, true, err
}
