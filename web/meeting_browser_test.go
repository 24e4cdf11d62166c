package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/chromedp/chromedp"

	"github.com/rembug/rembug/forum"
)

// TestBrowserMeeting: on 360 px phones without JavaScript, an organizer
// announces an in-person musyawarah with two places from the meetings
// page; three citizens register in turn: two get a place, the third joins
// the waiting list and gets the place when the first cancels. The
// meeting's and the consultation's .ics files parse back with the
// meeting's time in WIB.
func TestBrowserMeeting(t *testing.T) {
	f := newFixture(t)
	staff := fpSignIn(t, f, "Camat Tanjungsari", forum.RoleAdmin)
	members := []*fpMember{fpSignIn(t, f, "Siti Warga", forum.RoleParticipant), fpSignIn(t, f, "Budi Warga", forum.RoleParticipant),
		fpSignIn(t, f, "Rina Warga", forum.RoleParticipant)}
	open := func(name string, m *fpMember) tab {
		b := phoneTab(t, name)
		b.do(chromedp.Navigate(f.url + "/k/" + f.c.Slug))
		eval[string](b, `document.cookie = "rembug_s=`+sessionCookie(m.c, f.url)+`; path=/"`)
		return b
	}
	org := open("organizer", staff)
	org.do(chromedp.Navigate(f.url + "/k/" + f.c.Slug))
	org.submit(`a[href="/k/` + f.c.Slug + `/pertemuan"]`)
	org.do(chromedp.SendKeys(chromedp.CSS(`input[name="title"]`), "Musyawarah taman kota"),
		chromedp.SendKeys(chromedp.CSS(`input[name="place"]`), "Balai RW 05, Jl. Melati 2"),
		chromedp.SetValue(chromedp.CSS(`input[name="starts_at"]`), "2026-12-10T09:00"),
		chromedp.SetValue(chromedp.CSS(`input[name="ends_at"]`), "2026-12-10T11:30"),
		chromedp.SetValue(chromedp.CSS(`input[name="capacity"]`), "2"),
		chromedp.SendKeys(chromedp.CSS(`input[name="accessibility"]`), "Ramp di pintu samping"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="agenda"]`), "1. Paparan rencana\n2. Tanya jawab"))
	org.submit(`form[action$="/pertemuan"] button[type="submit"]`)
	if got := org.text("h1"); got != "Musyawarah taman kota" {
		t.Fatalf("meeting title %q", got)
	}
	if got := org.text("dl.facts"); !strings.Contains(got, "10 Des 2026") || !strings.Contains(got, "09.00 WIB") || !strings.Contains(got, "Ramp di pintu samping") ||
		!strings.Contains(got, "Sisa 2 dari 2 tempat") {
		t.Fatalf("facts: %q", got)
	}
	path := eval[string](org, `location.pathname`)

	var tabs []tab
	for i, m := range members {
		b := open("citizen", m)
		b.do(chromedp.Navigate(f.url + path))
		noSideScroll(b, "meeting page")
		b.submit(`#daftar button[type="submit"]`)
		want := "Anda terdaftar"
		if i == 2 {
			want = "Anda di daftar tunggu"
		}
		if got := b.text("#daftar .ok"); !strings.HasPrefix(got, want) {
			t.Fatalf("citizen %d: %q", i, got)
		}
		tabs = append(tabs, b)
	}
	tabs[0].submit(`#daftar button[type="submit"]`) // cancel
	tabs[2].do(chromedp.Navigate(f.url + path))
	if got := tabs[2].text("#daftar .ok"); !strings.HasPrefix(got, "Anda terdaftar") {
		t.Fatalf("waiting citizen after a cancellation: %q", got)
	}
	org.do(chromedp.Navigate(f.url + path))
	if got := org.text("section.mod"); !strings.Contains(got, "Budi Warga") || !strings.Contains(got, "Rina Warga") || strings.Contains(got, "Siti Warga") {
		t.Fatalf("organizer's list: %q", got)
	}

	wib := time.FixedZone("WIB", 7*3600)
	for _, p := range []string{path + "/kalender.ics", "/k/" + f.c.Slug + "/pertemuan.ics"} {
		res, err := members[1].c.Get(f.url + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("%s: %d %s", p, res.StatusCode, res.Header.Get("Content-Type"))
		}
		cal, err := ics.ParseCalendar(strings.NewReader(string(body)))
		if err != nil {
			t.Fatalf("%s does not parse: %v\n%s", p, err, body)
		}
		evs := cal.Events()
		if len(evs) != 1 {
			t.Fatalf("%s: %d events", p, len(evs))
		}
		start, err := evs[0].GetStartAt()
		if err != nil || !start.Equal(time.Date(2026, 12, 10, 9, 0, 0, 0, wib)) {
			t.Fatalf("%s start %v %v", p, start, err)
		}
		if loc := evs[0].GetProperty(ics.ComponentPropertyLocation); loc == nil || ics.FromText(loc.Value) != "Balai RW 05, Jl. Melati 2" {
			t.Fatalf("%s location %+v", p, loc)
		}
	}
}
