package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/rembug/rembug/forum/errs"
)

// statusOf maps a domain error kind to an HTTP status: the one place where
// that is decided.
func statusOf(k errs.Kind) int {
	switch k {
	case errs.Invalid:
		return http.StatusBadRequest
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict:
		return http.StatusConflict
	case errs.Forbidden:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

// serveError answers err: its kind picks the status and its key the message.
// Internal errors are logged with the request id and shown as a generic
// message, never with their detail.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	var fe *errs.Error
	if errors.As(err, &fe) && fe.Kind != errs.Internal {
		s.fail(w, r, statusOf(fe.Kind), fe.Key)
		return
	}
	s.log.Error("request failed", "request_id", info(r).id, "path", r.URL.Path, "err", err)
	s.fail(w, r, http.StatusInternalServerError, "error.internal")
}

// fail answers with status code and the translated message key: JSON for the
// API, an HTML page otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, code int, key string) {
	ri := info(r)
	msg := s.msgs.T(ri.lang, key)
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, code, map[string]string{"error": msg, "code": key, "request_id": ri.id})
		return
	}
	s.render(w, r, code, "error", s.msgs.T(ri.lang, "error.title"), map[string]any{"Message": msg, "Code": code})
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotFound, "error.not_found")
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v) //nolint:errcheck // the client went away
}
