package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rembug/rembug/forum"
)

// TestBrowserEvaluationCycle: from the dashboard an admin opens an
// evaluation cycle with the plan form, closes it (freezing the figures),
// writes a finding and publishes the report; a citizen on a 360 px phone
// without JavaScript finds it among the published reports and reads the
// finding and the frozen figures, with no sideways scrolling.
func TestBrowserEvaluationCycle(t *testing.T) {
	f := newFixture(t)
	dashVotes(t, f, 6, "b", time.Date(2026, 8, 10, 3, 0, 0, 0, time.UTC))
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	b := tab{t: t, name: "admin", ctx: newBrowser(t)}
	signInTab(t, b, f, admin)
	b.do(chromedp.Navigate(f.url + "/admin/dasbor"))
	b.submit(`a[href="/admin/evaluasi"]`)
	b.do(chromedp.SendKeys(chromedp.CSS(`#eval-open input[name="name"]`), "Semester II 2026"),
		chromedp.SendKeys(chromedp.CSS(`#eval-open input[name="target_active_total"]`), "10"))
	b.submit(`#eval-open button[type="submit"]`)
	if s := b.text("main"); !strings.Contains(s, "Siklus masih terbuka") {
		b.fail("after opening: %q", s)
	}
	b.submit(`#eval-close`)
	if s := b.text("main"); !strings.Contains(s, "Angka dibekukan") {
		b.fail("after closing: %q", s)
	}
	b.do(chromedp.SendKeys(chromedp.CSS(`#eval-finding textarea[name="body"]`), "Pengguna aktif di bawah target; perlu sosialisasi di kelurahan"))
	b.submit(`#eval-finding button[type="submit"]`)
	b.submit(`#eval-publish`)
	if s := b.text("main"); !strings.Contains(s, "Tarik dari publik") {
		b.fail("after publishing: %q", s)
	}

	citizen := phoneTab(t, "citizen")
	citizen.do(chromedp.Navigate(f.url + "/dasbor"))
	citizen.submit(`a[href="/evaluasi"]`)
	citizen.submit(`table a`)
	s := citizen.text("main")
	for _, want := range []string{"Semester II 2026", "Pengguna aktif di bawah target; perlu sosialisasi di kelurahan", "6 orang", "tidak tercapai", "Angka dibekukan"} {
		if !strings.Contains(s, want) {
			citizen.fail("published report lacks %q: %q", want, s)
		}
	}
	noSideScroll(citizen, "the published report")
}
