package web

import (
	"bytes"
	"crypto/hmac"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"

	"github.com/rembug/rembug/forum/errs"
)

// route is one entry of the route table (routes.go): a method, a
// ServeMux path pattern and its handler. Every route is registered through
// guard, so no handler checks CSRF or the method itself.
type route struct {
	method, path string
	handler      http.HandlerFunc
}

// pattern is the route's ServeMux pattern, e.g. "POST /k/{ref}/vote".
func (rt route) pattern() string { return rt.method + " " + rt.path }

// unsafe reports whether the route's method changes state (RFC 9110
// section 9.2.1): everything but GET, HEAD, OPTIONS and TRACE.
func (rt route) unsafe() bool {
	return !slices.Contains([]string{"GET", "HEAD", "OPTIONS", "TRACE"}, rt.method)
}

// guard is the one CSRF check. For an unsafe route it wraps the handler
// with Go's cross-origin protection (Sec-Fetch-Site / Origin) and the
// visitor's token (checkToken); a refused request gets 403 "error.csrf"
// through serveError. Routes listed in foreign (foreignRoutes, routes.go)
// skip the token, never the cross-origin protection: their callers are
// programs that authenticate themselves to the handler. Safe routes are
// left as they are.
func (s *Server) guard(rt route, foreign map[string]string, cop *http.CrossOriginProtection) http.Handler {
	if !rt.unsafe() {
		return rt.handler
	}
	next := rt.handler
	if _, ok := foreign[rt.pattern()]; ok {
		return cop.Handler(next)
	}
	return cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.checkToken(r); err != nil {
			s.serveError(w, r, err)
			return
		}
		next(w, r)
	}))
}

// checkToken checks the request's CSRF token against the one derived from
// its visitor cookie (csrfToken). The token is read from the X-CSRF-Token
// header, else from the "csrf" field: for a multipart upload it must be the
// first part (firstPart), so the handler can still stream the rest of the
// body after its own checks; other forms are parsed here, so a body over
// the cap is 413 and a malformed one 400. Errors: Forbidden "error.csrf".
func (s *Server) checkToken(r *http.Request) error {
	tok := r.Header.Get("X-CSRF-Token")
	if tok == "" {
		if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
			name, value, err := firstPart(r)
			if err != nil {
				return formError(err)
			}
			if name == "csrf" {
				tok = value
			}
		} else {
			if err := r.ParseForm(); err != nil {
				return formError(err)
			}
			tok = r.PostForm.Get("csrf")
		}
	}
	id := s.visitorID(r)
	if id == "" || tok == "" || !hmac.Equal([]byte(tok), []byte(s.csrfToken(id))) {
		return errs.E(errs.Forbidden, "error.csrf", nil)
	}
	return nil
}

// firstPart reads the name and value (at most 256 bytes) of a multipart
// body's first part and puts back every byte it read, so r.Body is unchanged
// for the handler.
func firstPart(r *http.Request) (name, value string, err error) {
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return "", "", http.ErrMissingBoundary
	}
	var seen bytes.Buffer
	body := r.Body
	defer func() { r.Body = readCloser{io.MultiReader(&seen, body), body} }()
	p, err := multipart.NewReader(io.TeeReader(body, &seen), params["boundary"]).NextPart()
	if err != nil {
		return "", "", err
	}
	b, err := io.ReadAll(io.LimitReader(p, 256))
	return p.FormName(), string(b), err
}

// readCloser reads from Reader and closes Closer.
type readCloser struct {
	io.Reader
	io.Closer
}

// formError classifies a form that cannot be parsed: "error.body_too_large"
// over the body cap (413, statusOf), "error.bad_form" otherwise.
func formError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return errs.Wrap(errs.Invalid, "error.body_too_large", err)
	}
	return errs.Wrap(errs.Invalid, "error.bad_form", err)
}

// methodError is the cause of a 405: the path exists, with other methods
// (Allow, RFC 9110 section 15.5.6).
type methodError struct{ allow []string }

func (e *methodError) Error() string {
	return "method not allowed; allow " + strings.Join(e.allow, ", ")
}

// handleUnmatched answers what no route matched: 405 with Allow when the
// path has routes for other methods, 404 otherwise.
func (s *Server) handleUnmatched(mux *http.ServeMux) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			if m == r.Method {
				continue
			}
			r2 := r.Clone(r.Context())
			r2.Method = m
			if _, p := mux.Handler(r2); p != "" && p != "/" {
				allow = append(allow, m)
			}
		}
		if len(allow) == 0 {
			s.serveError(w, r, errs.ErrNotFound)
			return
		}
		if slices.Contains(allow, "GET") {
			allow = append(allow, "HEAD")
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		s.serveError(w, r, errs.Wrap(errs.Invalid, "error.method_not_allowed", &methodError{allow}))
	}
}
