package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
)

// visitorCookie carries a guest's random id and its HMAC-SHA256 signature
// (RFC 2104) under the installation key: "<id>.<sig>". The id is the guest
// participant's key, and the CSRF token of its forms is derived from it.
const visitorCookie = "rembug_v"

var b64 = base64.RawURLEncoding

func (s *Server) sign(purpose, v string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(purpose + "\x00" + v))
	return b64.EncodeToString(m.Sum(nil))
}

// visitorID returns the id in the request's visitor cookie, or "" when
// there is none or its signature does not verify.
func (s *Server) visitorID(r *http.Request) string {
	c, err := r.Cookie(visitorCookie)
	if err != nil {
		return ""
	}
	id, sig, ok := strings.Cut(c.Value, ".")
	if !ok || id == "" || !hmac.Equal([]byte(sig), []byte(s.sign("visitor", id))) {
		return ""
	}
	return id
}

// ensureVisitor returns the request's visitor id, setting a new signed
// cookie when there is none (on pages that show forms).
func (s *Server) ensureVisitor(w http.ResponseWriter, r *http.Request) string {
	if id := s.visitorID(r); id != "" {
		return id
	}
	var b [18]byte
	rand.Read(b[:]) //nolint:errcheck // crypto/rand never fails on supported systems
	id := b64.EncodeToString(b[:])
	http.SetCookie(w, &http.Cookie{Name: visitorCookie, Value: id + "." + s.sign("visitor", id), Path: "/",
		MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
	return id
}

// csrfToken is the token that forms of visitor id must send back.
func (s *Server) csrfToken(id string) string { return s.sign("csrf", id) }
