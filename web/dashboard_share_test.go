package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/rembug/rembug/polls/indicators"
)

// TestDashboardShareArrivals: visits that arrive through a shared link's
// campaign tag (?src=wa) are counted in the service indicators as arrivals
// per channel: a table on the staff dashboard in both languages and
// active_participants.arrivals_by_share_link in the indicators API, where a
// tag nobody shares counts nothing.
func TestDashboardShareArrivals(t *testing.T) {
	f := newFixture(t)
	const q = "?from=2026-10-01&to=2026-11-30"
	guest := browser(t)
	for _, src := range []string{"wa", "wa", "tg", "spam"} {
		if code, _ := get(t, guest, f.url+"/k/"+f.c.Slug+"?src="+src); code != http.StatusOK {
			t.Fatalf("arrival with src=%s: %d", src, code)
		}
	}
	admin := f.staff(t)
	staff := browser(t)
	signIn(t, staff, f.url, f.db, admin.User)
	for _, tc := range []struct{ lang, title, wa, tg, fb string }{
		{"id", "Kedatangan lewat tautan bagikan", `<th scope="row" dir="auto">WhatsApp</th><td>2</td>`,
			`<th scope="row" dir="auto">Telegram</th><td>1</td>`, `<th scope="row" dir="auto">Facebook</th><td>0</td>`},
		{"en", "Arrivals through shared links", `<th scope="row" dir="auto">WhatsApp</th><td>2</td>`,
			`<th scope="row" dir="auto">Telegram</th><td>1</td>`, `<th scope="row" dir="auto">Facebook</th><td>0</td>`},
	} {
		code, body := get(t, staff, f.url+"/admin/dasbor"+q+"&lang="+tc.lang)
		if code != http.StatusOK {
			t.Fatalf("%s: staff dashboard %d", tc.lang, code)
		}
		i := strings.Index(body, `id="t-active_share"`)
		if i < 0 || !strings.Contains(body, tc.title) {
			t.Fatalf("%s: no share-arrivals table", tc.lang)
		}
		table := body[i:]
		table = table[:strings.Index(table, "</table>")]
		for _, want := range []string{tc.wa, tc.tg, tc.fb} {
			if !strings.Contains(table, want) {
				t.Errorf("%s: share-arrivals table lacks %s", tc.lang, want)
			}
		}
	}
	if err := indicators.NewStore(f.db, nil).SaveSettings(context.Background(), admin, indicators.Settings{AvailabilityGoal: 99.5,
		Public: []string{"active_participants"}}); err != nil {
		t.Fatal(err)
	}
	code, body := get(t, guest, f.url+"/api/v1/indicators"+q)
	if code != http.StatusOK || !strings.Contains(body, `"arrivals_by_share_link":[{"label":"wa","count":2},{"label":"fb","count":0},{"label":"x","count":0},{"label":"tg","count":1}]`) {
		t.Errorf("indicators API: %d %.2000s", code, body)
	}
}
