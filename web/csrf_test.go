package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum/storage/storagetest"
)

// newTestServer is a Server on a fresh migrated database, its log discarded.
func newTestServer(t *testing.T) *Server {
	t.Helper()
	ctx := context.Background()
	db := storagetest.NewDB(t)
	if err := Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	s, err := New(ctx, Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

var wildcard = regexp.MustCompile(`\{[^}]*\}`)

// concretePath fills a route pattern's wildcards with plausible values:
// "/k/{ref}/kelompok/{id}" → "/k/x1/kelompok/1", "/{$}" → "/".
func concretePath(pattern string) string {
	p := strings.ReplaceAll(pattern, "{$}", "")
	p = wildcard.ReplaceAllStringFunc(p, func(w string) string {
		switch w {
		case "{id}", "{user}":
			return "1"
		case "{code}":
			return "ABCDEF"
		}
		return "x1"
	})
	if strings.HasSuffix(p, "/") && p != "/" {
		p += "x1"
	}
	return p
}

// TestEveryUnsafeRouteChecksCSRF walks the route table: every unsafe route
// not listed in foreignRoutes refuses a missing token, another visitor's
// token and a cross-site request (403 with the translated message) and
// lets a request with the visitor's own token through to its handler.
func TestEveryUnsafeRouteChecksCSRF(t *testing.T) {
	s := newTestServer(t)
	const vid = "visitor-one"
	cookie := &http.Cookie{Name: visitorCookie, Value: vid + "." + s.sign("visitor", vid)}
	own, foreign := s.csrfToken(vid), s.csrfToken("visitor-two")
	msgs := map[string]string{"id": s.msgs.T("id", "error.csrf"), "en": s.msgs.T("en", "error.csrf")}
	exempt := foreignRoutes()
	unsafe := 0
	for _, rt := range s.routeTable() {
		if !rt.unsafe() {
			continue
		}
		if _, ok := exempt[rt.pattern()]; ok {
			continue
		}
		unsafe++
		for _, tc := range []struct {
			name, token, lang, site string
			refused                 bool
		}{
			{"missing token", "", "id", "", true},
			{"missing token, English", "", "en", "", true},
			{"another visitor's token", foreign, "id", "", true},
			{"cross-site with a good token", own, "en", "cross-site", true},
			{"own token", own, "id", "same-origin", false},
		} {
			t.Run(rt.pattern()+"/"+tc.name, func(t *testing.T) {
				form := url.Values{"lang": {tc.lang}}
				if tc.token != "" {
					form.Set("csrf", tc.token)
				}
				req := httptest.NewRequest(rt.method, concretePath(rt.path)+"?lang="+tc.lang, strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.AddCookie(cookie)
				if tc.site != "" {
					req.Header.Set("Sec-Fetch-Site", tc.site)
				}
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req)
				body := rec.Body.String()
				refused := rec.Code == http.StatusForbidden && strings.Contains(body, msgs[tc.lang])
				if refused != tc.refused {
					t.Errorf("status %d, refused for CSRF %v, want %v\n%.400s", rec.Code, refused, tc.refused, body)
				}
			})
		}
	}
	if unsafe < 40 {
		t.Errorf("only %d unsafe routes in the table", unsafe)
	}
}

// TestUploadTokenIsTheFirstPart: a multipart upload carries its token as
// the first part, and the handler still reads the whole body afterwards.
func TestUploadTokenIsTheFirstPart(t *testing.T) {
	s := newTestServer(t)
	const vid = "visitor-one"
	cookie := &http.Cookie{Name: visitorCookie, Value: vid + "." + s.sign("visitor", vid)}
	body := func(first, token string) string {
		return "--B\r\nContent-Disposition: form-data; name=\"" + first + "\"\r\n\r\n" + token + "\r\n" +
			"--B\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncover\r\n--B--\r\n"
	}
	for _, tc := range []struct {
		name, first, token string
		refused            bool
	}{
		{"own token first", "csrf", s.csrfToken(vid), false},
		{"foreign token", "csrf", s.csrfToken("visitor-two"), true},
		{"token not first", "kind", s.csrfToken(vid), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/admin/konsultasi/x1/berkas", strings.NewReader(body(tc.first, tc.token)))
			req.Header.Set("Content-Type", "multipart/form-data; boundary=B")
			req.AddCookie(cookie)
			var seen string
			h := s.guard(route{"POST", "/admin/konsultasi/{ref}/berkas", func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				seen = string(b)
			}}, nil, http.NewCrossOriginProtection())
			rec := httptest.NewRecorder()
			s.middleware(h).ServeHTTP(rec, req)
			if refused := rec.Code == http.StatusForbidden; refused != tc.refused {
				t.Fatalf("status %d, want refused %v", rec.Code, tc.refused)
			}
			if !tc.refused && seen != body(tc.first, tc.token) {
				t.Errorf("the handler read %q, not the whole body", seen)
			}
		})
	}
}

// TestForeignRoutesAreListedAndReal: each exemption names an unsafe route
// of the table with a reason; an exempt route takes a tokenless POST from a
// program but still refuses a browser on another site.
func TestForeignRoutesAreListedAndReal(t *testing.T) {
	s := newTestServer(t)
	table := map[string]route{}
	for _, rt := range s.routeTable() {
		if _, dup := table[rt.pattern()]; dup {
			t.Errorf("%s is listed twice", rt.pattern())
		}
		table[rt.pattern()] = rt
	}
	for p, why := range foreignRoutes() {
		rt, ok := table[p]
		if !ok || !rt.unsafe() || why == "" {
			t.Errorf("exemption %q: in table %v, unsafe %v, reason %q", p, ok, rt.unsafe(), why)
		}
	}
	hook := route{"POST", "/hooks/test", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) }}
	exempt := map[string]string{"POST /hooks/test": "a test provider"}
	for _, tc := range []struct {
		name    string
		foreign map[string]string
		site    string
		want    int
	}{
		{"exempt, from a program", exempt, "", http.StatusAccepted},
		{"exempt, from a browser on another site", exempt, "cross-site", http.StatusForbidden},
		{"not exempt, from a program", nil, "", http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/hooks/test", strings.NewReader("{}"))
			req.Header.Set("Content-Type", "application/json")
			if tc.site != "" {
				req.Header.Set("Sec-Fetch-Site", tc.site)
			}
			rec := httptest.NewRecorder()
			s.middleware(s.guard(hook, tc.foreign, http.NewCrossOriginProtection())).ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Errorf("status %d, want %d", rec.Code, tc.want)
			}
		})
	}
}

// TestSafeOnlyRoutesRefusePost: a path that only has GET routes answers a
// POST with 405, an Allow header and the translated message, whatever the
// token.
func TestSafeOnlyRoutesRefusePost(t *testing.T) {
	s := newTestServer(t)
	mux, ok := s.routes().(*http.ServeMux)
	if !ok {
		t.Fatal("routes is not a ServeMux")
	}
	const vid = "visitor-one"
	cookie := &http.Cookie{Name: visitorCookie, Value: vid + "." + s.sign("visitor", vid)}
	checked := 0
	for _, rt := range s.routeTable() {
		if rt.method != "GET" {
			continue
		}
		path := concretePath(rt.path)
		probe := httptest.NewRequest("POST", path, nil)
		if _, p := mux.Handler(probe); p != "/" {
			continue // the same path takes POST on another route
		}
		checked++
		t.Run(rt.pattern(), func(t *testing.T) {
			form := url.Values{"csrf": {s.csrfToken(vid)}}
			req := httptest.NewRequest("POST", path+"?lang=en", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(cookie)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusMethodNotAllowed || !strings.Contains(rec.Header().Get("Allow"), "GET") ||
				!strings.Contains(rec.Body.String(), s.msgs.T("en", "error.method_not_allowed")) {
				t.Errorf("status %d, Allow %q\n%.300s", rec.Code, rec.Header().Get("Allow"), rec.Body.String())
			}
		})
	}
	if checked < 30 {
		t.Errorf("only %d GET-only paths checked", checked)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("POST", "/no/such/page", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("unknown path: %d, want 404", rec.Code)
	}
}
