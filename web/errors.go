package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
)

// statusOf maps an error to its HTTP status: the one place where that is
// decided. The kind decides (RFC 9110 section 15); two causes anywhere in
// the chain decide first, whatever the kind: a body over the request cap
// (*http.MaxBytesError) is 413 and a method the route does not take
// (*methodError, csrf.go) is 405. A database that cannot be reached
// (storage.Unreachable) is 503 unless the error has a kind of its own.
func statusOf(err error) int {
	if dbDown(err) {
		return http.StatusServiceUnavailable
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return http.StatusRequestEntityTooLarge
	}
	var method *methodError
	if errors.As(err, &method) {
		return http.StatusMethodNotAllowed
	}
	switch errs.KindOf(err) {
	case errs.Invalid:
		return http.StatusBadRequest
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict:
		return http.StatusConflict
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.RateLimited:
		return http.StatusTooManyRequests
	case errs.Unavailable:
		return http.StatusServiceUnavailable
	case errs.Unauthenticated:
		return http.StatusUnauthorized
	case errs.Unprocessable:
		return http.StatusUnprocessableEntity
	}
	return http.StatusInternalServerError
}

// errorText is what the user is told about err in lang: its status
// (statusOf), its translation key and the message, translated with the
// error's Data as template data. An error without a kind, or of kind
// Internal, is "error.internal": its detail is for the log only.
func (s *Server) errorText(lang string, err error) (code int, key, msg string) {
	code = statusOf(err)
	if dbDown(err) {
		return code, "error.database_unavailable", s.msgs.T(lang, "error.database_unavailable")
	}
	e := errs.As(err)
	if e == nil || e.Kind == errs.Internal {
		return http.StatusInternalServerError, "error.internal", s.msgs.T(lang, "error.internal")
	}
	var pairs []any
	for k, v := range e.Data {
		pairs = append(pairs, k, v)
	}
	return code, e.Key, s.msgs.T(lang, e.Key, pairs...)
}

// errorBody is the one JSON error shape:
// {"error":{"code":"<translation key>","message":"<translated message>"}}.
// The request id travels in the X-Request-Id header.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// serveError is the one error renderer: every handler that fails answers
// through it. The status comes from statusOf, the message from errorText.
// API and webhook paths (/api/…, /webhook/…) and requests that accept JSON (live.js's fetch) get
// errorBody; everything else gets the error page. Server-side failures
// (5xx) are logged with the request id. A guest refused a page is sent to
// sign in instead (askSignIn). RateLimited errors that know their
// wait set Retry-After.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	ri := info(r)
	if s.askSignIn(r, err) {
		redirectToSignIn(w, r)
		return
	}
	code, key, msg := s.errorText(ri.lang, err)
	if code >= http.StatusInternalServerError {
		s.log.Error("request failed", "request_id", ri.id, "path", r.URL.Path, "status", code, "err", err)
	}
	setRetryAfter(w, code, err)
	if key == "error.database_unavailable" {
		w.Header().Set("Retry-After", dbRetryAfter)
	}
	if jsonPath(r) {
		var b errorBody
		b.Error.Code, b.Error.Message = key, msg
		writeJSON(w, code, b)
		return
	}
	s.render(w, r, code, "error", s.msgs.T(ri.lang, "error.title"), map[string]any{"Message": msg, "Code": code})
}

// dbDown reports whether err is the database being out of reach
// (storage.Unreachable) and carries no kind but Internal: such a request
// fails at once with 503 and may be retried, and the node recovers by
// itself when the database is back (database/sql drops dead connections).
func dbDown(err error) bool {
	if !storage.Unreachable(err) {
		return false
	}
	e := errs.As(err)
	return e == nil || e.Kind == errs.Internal
}

// dbRetryAfter is the Retry-After, in seconds, of a 503 for an unreachable
// database.
const dbRetryAfter = "5"

// setRetryAfter sets Retry-After (RFC 9110 section 10.2.3, in seconds) on
// a 429 answer whose RateLimited error knows its wait.
func setRetryAfter(w http.ResponseWriter, code int, err error) {
	if n := errs.RetryAfter(err); n > 0 && code == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", strconv.Itoa(n))
	}
}

// jsonPath reports whether r is answered in JSON: API and webhook paths
// and requests that accept JSON.
func jsonPath(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/webhook/") || wantsJSON(r)
}

// wantsJSON reports whether the request asks for JSON (live.js's fetch
// sends Accept: application/json) rather than coming from a plain form.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.serveError(w, r, errs.ErrNotFound)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v) //nolint:errcheck // the client went away
}
