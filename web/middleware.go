package web

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/klauspost/compress/gzhttp"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// maxBodyBytes caps every request body (CASES C09); forms are small. Only
// file uploads get more (bodyLimit, files.go).
const maxBodyBytes = 1 << 20

type ctxKey struct{}

// reqInfo is what middleware learns about a request for handlers and logs.
type reqInfo struct {
	id   string
	lang string
	// viewer caches viewerOf's answer for the request (nil until asked).
	viewer *viewer
	// forum caches forumViewer's answer, reader readerViewer's (nil until
	// asked).
	forum, reader *forum.Viewer
}

func info(r *http.Request) *reqInfo {
	if ri, ok := r.Context().Value(ctxKey{}).(*reqInfo); ok {
		return ri
	}
	return &reqInfo{lang: defaultLang}
}

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// statusWriter remembers the status code a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Hijack lets websocket upgrades through (gorilla/websocket asserts
// http.Hijacker directly); a hijacked connection is logged as 101.
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil && w.status == 0 {
		w.status = http.StatusSwitchingProtocols
	}
	return c, rw, err
}

// Flush passes flushes through for streamed responses.
func (w *statusWriter) Flush() {
	http.NewResponseController(w.ResponseWriter).Flush() //nolint:errcheck // not every writer flushes
}

// middleware wraps next with, from the outside in: the client's address
// behind a trusted proxy (proxy.go), request id and access log, metrics, panic recovery, security headers, language choice and a
// body limit. CSRF and cross-origin checks are per route (guard, csrf.go).
func (s *Server) middleware(next http.Handler) http.Handler {
	// Pages and JSON are gzip-compressed for slow mobile data; websocket
	// upgrades bypass compression.
	inner := next
	gz := gzhttp.GzipHandler(inner)
	compressed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			inner.ServeHTTP(w, r)
			return
		}
		gz.ServeHTTP(w, r)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		r = forwardedClient(r, s.trustedProxies)
		ri := &reqInfo{id: r.Header.Get("X-Request-Id")}
		if !validRequestID.MatchString(ri.id) {
			var b [8]byte
			rand.Read(b[:]) //nolint:errcheck // crypto/rand never fails on supported systems
			ri.id = hex.EncodeToString(b[:])
		}
		ri.lang = s.chooseLang(w, r)
		r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, ri))
		sw := &statusWriter{ResponseWriter: w}
		h := sw.Header()
		h.Set("X-Request-Id", ri.id)
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
			"connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		r.Body = http.MaxBytesReader(sw, r.Body, bodyLimit(r)) // maxBodyBytes but for uploads (files.go)
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic", "request_id", ri.id, "panic", p, "stack", string(debug.Stack()))
				if sw.status == 0 {
					s.serveError(sw, r, errs.E(errs.Internal, "error.internal", nil))
				}
			}
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			d := time.Since(start)
			s.metrics.observe(route, r.Method, sw.status, d)
			// Errors and slow requests are logged at Info; fast successes
			// (most traffic, e.g. a town hall's upvotes) only at Debug, so
			// the log is not the cost of the request. Metrics count all.
			lvl := slog.LevelDebug
			if sw.status >= 400 || d >= slowRequest {
				lvl = slog.LevelInfo
			}
			if s.log.Enabled(r.Context(), lvl) {
				s.log.LogAttrs(r.Context(), lvl, "request",
					slog.String("request_id", ri.id), slog.String("method", r.Method),
					slog.String("path", r.URL.Path), slog.String("route", route),
					slog.Int("status", sw.status), slog.Duration("duration", d))
			}
		}()
		if badInput(r) {
			s.serveError(sw, r, errs.E(errs.Invalid, "error.bad_input", nil))
			return
		}
		compressed.ServeHTTP(sw, r)
	})
}

// badInput reports whether the request's path, a query parameter or a
// field of a URL-encoded form body, once decoded, holds a NUL byte or
// invalid UTF-8: no handler or database can use such text (PostgreSQL
// refuses NUL in text, SQLite through bun fails on it), so every route
// answers 400 here instead of failing deeper down with a 500. The form body
// is read (within the body limit already set) and put back as it was, so
// handlers parse it, and meet a too-large body's error, as before.
func badInput(r *http.Request) bool {
	bad := func(s string) bool { return strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) }
	if bad(r.URL.Path) {
		return true
	}
	raw := r.URL.RawQuery
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/x-www-form-urlencoded" && r.Body != nil {
		b, err := io.ReadAll(r.Body)
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(b), errReader{err}))
		if err == nil {
			raw += "&" + string(b)
		}
	}
	q, _ := url.ParseQuery(raw)
	for k, vs := range q {
		if bad(k) {
			return true
		}
		for _, v := range vs {
			if bad(v) {
				return true
			}
		}
	}
	return false
}

// slowRequest is the duration from which a successful request is logged
// at Info level.
const slowRequest = 500 * time.Millisecond

func statusText(code int) string { return strconv.Itoa(code) }

// errReader returns err (io.EOF when nil) from every Read: what is left of
// a body badInput read up to its error.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) {
	if e.err == nil {
		return 0, io.EOF
	}
	return 0, e.err
}
