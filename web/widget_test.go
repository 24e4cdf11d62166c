package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

// TestWidgetFrameAncestors: the widget's frame-ancestors follows the
// admin's list of origins ('none' while it is empty), every other page
// stays 'none' with X-Frame-Options DENY; a bad origin is refused with
// nothing saved, and a citizen may not change the list.
func TestWidgetFrameAncestors(t *testing.T) {
	f := newFixture(t)
	admin := fpSignIn(t, f, "Admin Sematan", forum.RoleAdmin)
	citizen := fpSignIn(t, f, "Warga Sematan", forum.RoleParticipant)
	guest := browser(t)
	widget := f.url + "/k/" + f.c.Slug + "/widget?lang=id"
	ancestors := func(u string) (string, string, string) {
		t.Helper()
		res, body := fetch(t, guest, u)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", u, res.StatusCode)
		}
		csp := res.Header.Get("Content-Security-Policy")
		_, fa, ok := strings.Cut(csp, "frame-ancestors ")
		if !ok {
			t.Fatalf("%s: no frame-ancestors in %q", u, csp)
		}
		fa, _, _ = strings.Cut(fa, ";")
		return fa, res.Header.Get("X-Frame-Options"), string(body)
	}
	fa, xfo, body := ancestors(widget)
	if fa != "'none'" || xfo != "DENY" {
		t.Fatalf("empty list: frame-ancestors %s, X-Frame-Options %q", fa, xfo)
	}
	if !strings.Contains(body, html.EscapeString(f.c.Title)) || !strings.Contains(body, `href="`+f.url+"/k/"+f.c.Slug+`"`) || strings.Contains(body, `class="site"`) {
		t.Fatalf("widget body:\n%s", body)
	}

	if res, _ := post(t, citizen.c, f.url, "/akun", "/admin/sematan", url.Values{"origins": {"https://jahat.example"}}, ""); res.StatusCode != http.StatusForbidden {
		t.Fatalf("citizen saves origins: %d", res.StatusCode)
	}
	res, _ := post(t, admin.c, f.url, "/admin/sematan", "/admin/sematan", url.Values{"origins": {"https://WWW.Contoh.go.id/\r\nhttp://localhost:8080 https://www.contoh.go.id"}}, "")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin saves origins: %d", res.StatusCode)
	}
	if fa, xfo, _ := ancestors(widget); fa != "https://www.contoh.go.id http://localhost:8080" || xfo != "" {
		t.Fatalf("listed origins: frame-ancestors %s, X-Frame-Options %q", fa, xfo)
	}
	for _, page := range []string{"/k/" + f.c.Slug, "/"} {
		if fa, xfo, _ := ancestors(f.url + page); fa != "'none'" || xfo != "DENY" {
			t.Fatalf("%s: frame-ancestors %s, X-Frame-Options %q", page, fa, xfo)
		}
	}
	for _, bad := range []string{"https://www.contoh.go.id/halaman", "javascript:alert(1)", "https://*.go.id", "www.contoh.go.id"} {
		res, body := post(t, admin.c, f.url, "/admin/sematan", "/admin/sematan", url.Values{"origins": {bad}}, "")
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "bukan asal situs") {
			t.Fatalf("%q: %d\n%s", bad, res.StatusCode, body)
		}
	}
	if fa, _, _ := ancestors(widget); fa != "https://www.contoh.go.id http://localhost:8080" {
		t.Fatalf("a refused list changed it: %s", fa)
	}
	var n int
	if err := f.db.NewSelect().Table("audit_log").ColumnExpr("count(*)").Where("action = 'embed_origins_save'").Scan(context.Background(), &n); err != nil || n != 1 {
		t.Fatalf("audit rows: %d %v", n, err)
	}
	// Emptied: nobody may frame it again.
	if res, _ := post(t, admin.c, f.url, "/admin/sematan", "/admin/sematan", url.Values{"origins": {""}}, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("empty list: %d", res.StatusCode)
	}
	if fa, xfo, _ := ancestors(widget); fa != "'none'" || xfo != "DENY" {
		t.Fatalf("emptied list: frame-ancestors %s, X-Frame-Options %q", fa, xfo)
	}
}
