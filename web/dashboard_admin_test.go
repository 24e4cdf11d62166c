package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/token"
	"github.com/rembug/rembug/polls/indicators"
)

// TestDashboardSettingsForms: an admin sets prices, target and what is
// published, adds a cost item and an incident through the forms; bad input
// is a 400 with the message in the admin's language and nothing saved; an
// analyst may read the dashboard but not change it, and is not offered
// the settings link.
func TestDashboardSettingsForms(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := f.staff(t)
	c := browser(t)
	signIn(t, c, f.url, f.db, admin.User)
	const page = "/admin/dasbor/pengaturan"

	res, _ := post(t, c, f.url, page, page, url.Values{"sms_price": {"350"}, "whatsapp_price": {"500"},
		"traditional_cost": {"25.000"}, "availability_target": {"99,9"}, "public": {"satisfaction", "response_time"}}, "")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != page+"?saved=1" {
		t.Fatalf("settings: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if _, body := get(t, c, f.url+page+"?saved=1"); !strings.Contains(body, "Tersimpan.") || !strings.Contains(body, `value="response_time" checked`) {
		t.Errorf("settings page after saving: %.300s", body)
	}
	st, err := indicators.LoadSettings(ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	if st.SMSPrice != 350 || st.WhatsAppPrice != 500 || st.TraditionalCost != 25000 || st.AvailabilityGoal != 99.9 ||
		strings.Join(st.Public, " ") != "satisfaction response_time" {
		t.Errorf("settings saved as %+v", st)
	}

	res, _ = post(t, c, f.url, page, "/admin/dasbor/biaya", url.Values{"month": {"2026-11"}, "category": {"hosting"},
		"amount": {"1.500.000"}, "note": {"VPS"}}, "")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("cost: %d", res.StatusCode)
	}
	res, _ = post(t, c, f.url, page, "/admin/dasbor/insiden", url.Values{"started_at": {"2026-11-03T08:00"},
		"ended_at": {"2026-11-03T08:45"}, "cause": {"Disk penuh"}, "fix": {"Log dirotasi"}}, "")
	_, body := get(t, c, f.url+page)
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(body, "<td>2026-11-03 08:00</td><td>2026-11-03 08:45</td>") ||
		!strings.Contains(body, "1500000") {
		t.Fatalf("incident: %d %.2000s", res.StatusCode, body)
	}

	bad := []struct {
		name, action string
		form         url.Values
		want         string
	}{
		{"negative price", page, url.Values{"sms_price": {"-1"}, "availability_target": {"99.5"}}, "harga tidak boleh negatif"},
		{"target over 100", page, url.Values{"availability_target": {"120"}}, "target ketersediaan"},
		{"unknown section", page, url.Values{"availability_target": {"99.5"}, "public": {"salaries"}}, "Bagian tidak dikenal"},
		{"bad month", "/admin/dasbor/biaya", url.Values{"month": {"2026-13"}, "category": {"hosting"}, "amount": {"1"}}, "Bulan tidak sah"},
		{"incident ends first", "/admin/dasbor/insiden", url.Values{"started_at": {"2026-11-03T08:00"}, "ended_at": {"2026-11-02T08:00"}, "cause": {"x"}}, "insiden"},
	}
	for _, tc := range bad {
		res, body := post(t, c, f.url, page, tc.action, tc.form, "")
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d, want 400 with %q: %.200s", tc.name, res.StatusCode, tc.want, body)
		}
	}
	if st2, _ := indicators.LoadSettings(ctx, f.db); st2.SMSPrice != 350 {
		t.Errorf("a refused form changed the settings: %+v", st2)
	}

	// Edit and delete: the incident ends and gets its fix, the cost item
	// changes, then both go; an unknown id is 404.
	costs, _ := indicators.RecentCosts(ctx, f.db, 10)
	incs, _ := indicators.RecentIncidents(ctx, f.db, 10)
	if len(costs) != 1 || len(incs) != 1 {
		t.Fatalf("before editing: %d costs, %d incidents", len(costs), len(incs))
	}
	costURL := "/admin/dasbor/biaya/" + strconv.FormatInt(costs[0].ID, 10)
	incURL := "/admin/dasbor/insiden/" + strconv.FormatInt(incs[0].ID, 10)
	if res, body := post(t, c, f.url, page, incURL, url.Values{"started_at": {"2026-11-03T08:00"}, "ended_at": {"2026-11-02T08:00"}, "cause": {"x"}}, ""); res.StatusCode != http.StatusBadRequest {
		t.Errorf("editing an incident to end before it started: %d %.200s", res.StatusCode, body)
	}
	for _, step := range []struct {
		action string
		form   url.Values
	}{
		{costURL, url.Values{"month": {"2026-10"}, "category": {"staff"}, "amount": {"2.000.000"}, "hours": {"40"}, "note": {"Operator"}}},
		{incURL, url.Values{"started_at": {"2026-11-03T08:00"}, "ended_at": {"2026-11-03T09:10"}, "cause": {"Disk penuh"}, "fix": {"Disk diperbesar"}}},
	} {
		if res, _ := post(t, c, f.url, page, step.action, step.form, ""); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit %s: %d", step.action, res.StatusCode)
		}
	}
	costs, _ = indicators.RecentCosts(ctx, f.db, 10)
	incs, _ = indicators.RecentIncidents(ctx, f.db, 10)
	if costs[0].Month != "2026-10" || costs[0].Category != "staff" || costs[0].Amount != 2000000 || costs[0].Hours != 40 ||
		incs[0].Fix != "Disk diperbesar" || incs[0].EndedAt == nil || incs[0].EndedAt.Sub(incs[0].StartedAt) != 70*time.Minute {
		t.Errorf("after editing: %+v %+v", costs[0], incs[0])
	}
	for _, u := range []string{costURL, incURL} {
		if res, _ := post(t, c, f.url, page, u, url.Values{"delete": {"1"}}, ""); res.StatusCode != http.StatusSeeOther {
			t.Errorf("delete %s: %d", u, res.StatusCode)
		}
		if res, _ := post(t, c, f.url, page, u, url.Values{"delete": {"1"}}, ""); res.StatusCode != http.StatusNotFound {
			t.Errorf("delete %s again: %d, want 404", u, res.StatusCode)
		}
	}
	costs, _ = indicators.RecentCosts(ctx, f.db, 10)
	incs, _ = indicators.RecentIncidents(ctx, f.db, 10)
	if len(costs)+len(incs) != 0 {
		t.Errorf("after deleting: %d costs, %d incidents", len(costs), len(incs))
	}

	analyst := &forum.User{DisplayName: "Analis", Email: "analis@contoh.test", Role: forum.RoleAnalyst}
	if err := forumtest.CreateUser(ctx, f.db, analyst, now); err != nil {
		t.Fatal(err)
	}
	a := browser(t)
	signIn(t, a, f.url, f.db, analyst)
	if code, body := get(t, a, f.url+"/admin/dasbor"); code != http.StatusOK || strings.Contains(body, `href="/admin/dasbor/pengaturan"`) {
		t.Errorf("analyst on the dashboard: %d, want 200 without the settings link they cannot use", code)
	}
	if _, body := get(t, c, f.url+"/admin/dasbor"); !strings.Contains(body, `href="/admin/dasbor/pengaturan"`) {
		t.Errorf("the admin's dashboard lacks the settings link")
	}
	if code, _ := get(t, a, f.url+page); code != http.StatusForbidden {
		t.Errorf("analyst on the settings: %d, want 403", code)
	}
}

// TestIndicatorsAPIToken: a staff bearer token gets every section, a bad
// token is refused rather than read as a guest.
func TestIndicatorsAPIToken(t *testing.T) {
	f := newFixture(t)
	admin := f.staff(t)
	tok, err := token.NewStore(f.db, func() time.Time { return now }).Create(context.Background(), admin.User.Email, "dasbor")
	if err != nil {
		t.Fatal(err)
	}
	call := func(auth string) (int, string) {
		req, _ := http.NewRequest("GET", f.url+"/api/v1/indicators?from=2026-11-01&to=2026-11-30", nil)
		req.Header.Set("Authorization", auth)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, body := call("Bearer " + tok); code != http.StatusOK || !strings.Contains(body, `"cost":{`) {
		t.Errorf("staff token: %d %.200s", code, body)
	}
	if code, _ := call("Bearer " + token.Prefix + "nope"); code != http.StatusForbidden {
		t.Errorf("unknown token: %d, want 403", code)
	}
}
