package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/forumtest"
)

// TestAccountProfileConsentExportDelete walks the profile page: the
// preferred language drives the UI, optional answers need consent and go
// with it, the export holds only the user's data, and deletion ends the
// session and keeps the participant.
func TestAccountProfileConsentExportDelete(t *testing.T) {
	f := newAuthFixture(t)
	ctx := t.Context()
	u := &forum.User{DisplayName: "Gita", Email: "gita@example.test"}
	if err := forum.NewStore(f.db, func() time.Time { return now }).CreateUserWithIdentity(ctx, u, "sso-pemda", "s-gita", "gita@example.test"); err != nil {
		t.Fatal(err)
	}
	other := &forum.User{DisplayName: "Orang Lain", Email: "lain@example.test"}
	forumtest.CreateUser(ctx, f.db, other, now)
	c := browser(t)
	mine := signIn(t, c, f.url, f.db, u)
	_, body := do(t, c, "GET", f.url+"/", nil)
	if !strings.Contains(body, `href="/akun">Gita</a>`) || !strings.Contains(body, "Keluar") {
		t.Fatalf("header for a signed-in user:\n%s", body)
	}
	csrf := csrfOf(t, c, f.url+"/akun")
	post := func(path string, form url.Values) *http.Response {
		form.Set("csrf", csrf)
		res, _ := do(t, c, "POST", f.url+path, form)
		return res
	}
	cases := []struct {
		name string
		path string
		form url.Values
		code int
	}{
		{"bad time zone", "/akun/profil", url.Values{"display_name": {"Gita"}, "lang": {"id"}, "time_zone": {"UTC"}}, 400},
		{"blank name", "/akun/profil", url.Values{"display_name": {"  "}, "lang": {"id"}, "time_zone": {"Asia/Makassar"}}, 400},
		{"profile", "/akun/profil", url.Values{"display_name": {"Gita P."}, "lang": {"en"}, "time_zone": {"Asia/Makassar"}}, 303},
		{"answers without consent are not kept", "/akun/opsional", url.Values{"kecamatan": {"Klojen"}}, 303},
		{"answers with consent", "/akun/opsional", url.Values{"consent_region_statistics": {"yes"}, "kecamatan": {"Klojen"},
			"consent_demographic_statistics": {"yes"}, "age_group": {"25_34"}}, 303},
		{"bad option", "/akun/opsional", url.Values{"consent_demographic_statistics": {"yes"}, "age_group": {"99"}}, 400},
		{"withdraw region", "/akun/opsional", url.Values{"consent_demographic_statistics": {"yes"}, "age_group": {"25_34"}}, 303},
		{"delete without confirmation", "/akun/hapus", url.Values{}, 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if res := post(tc.path, tc.form); res.StatusCode != tc.code {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.code)
			}
		})
	}
	_, body = do(t, c, "GET", f.url+"/akun", nil)
	if !strings.Contains(body, "My account") || !strings.Contains(body, `value="Asia/Makassar" selected`) {
		t.Fatalf("profile language or time zone not applied:\n%s", body)
	}
	_, body = do(t, c, "GET", f.url+"/akun/data.json", nil)
	var x map[string]any
	if err := json.Unmarshal([]byte(body), &x); err != nil {
		t.Fatal(err)
	}
	answers, _ := x["profile_answers"].(map[string]any)
	consents, _ := x["consents"].([]any)
	if answers["age_group"] != "25_34" || answers["kecamatan"] != nil || len(consents) != 2 ||
		strings.Contains(body, "lain@example.test") || strings.Contains(body, "token_hash") || strings.Contains(body, mine) {
		t.Fatalf("export:\n%s", body)
	}
	tok := signIn(t, browser(t), f.url, f.db, u) // a second device
	if res := post("/akun/hapus", url.Values{"confirm": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if _, err := forum.SessionUser(ctx, f.db, tok, now); errs.KindOf(err) != errs.NotFound {
		t.Fatal("another device's session survived account deletion")
	}
	if _, err := forum.NewStore(f.db, func() time.Time { return now }).SignInIdentity(ctx, "sso-pemda", "s-gita"); errs.KindOf(err) != errs.NotFound {
		t.Fatal("identity survived account deletion")
	}
	if res, _ := do(t, c, "GET", f.url+"/akun", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("account page after deletion: %d", res.StatusCode)
	}
}
