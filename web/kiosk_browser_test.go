package web_test

import (
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
)

// kioskLeftoversJS lists what the page shows of an earlier person: every
// marker found in the page's text, and every form field holding a value
// (text, textarea, a chosen option, a ticked box), the CSRF field aside.
const kioskLeftoversJS = `(function(markers){
	var out = [], text = document.body.innerText;
	markers.forEach(function(m){ if (text.indexOf(m) >= 0) out.push("text: " + m); });
	document.querySelectorAll("input, textarea, select").forEach(function(e){
		if (e.name === "csrf") return;
		if ((e.type === "radio" || e.type === "checkbox") ? e.checked : e.value !== "") out.push("field: " + e.name + "=" + e.value);
	});
	return out;
})`

// TestBrowserKioskAssistedEntries: an assisted-entry officer starts kiosk
// mode on a tablet (their own session ends), then two citizens in a row
// each have an assisted complaint and an assisted IKM answer recorded with
// their consent. The second person sees nothing of the first: not on the
// start page, not in the empty forms, not on the receipt page, and not on
// any page the back button (history.back()) brings up, in the text or in
// the form fields. Both people's entries are stored as assisted by the
// officer; the pages are large-text kiosk pages sent with no-store.
func TestBrowserKioskAssistedEntries(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	officer := fpSignIn(t, f, "pendamping", forum.RoleAssistant)
	unit, err := polls.NewStore(f.db, func() time.Time { return now }).EnsureIKMUnit(ctx, forum.Viewer{}, "Kelurahan Darmo")
	if err != nil {
		t.Fatal(err)
	}
	tok := sessionCookie(officer.c, f.url)
	axe := os.Getenv("REMBUG_TEST_AXE")

	// checkPage fails when the page scrolls sideways on the 360 px
	// screen or, with axe-core present (REMBUG_TEST_AXE), has a WCAG 2.1
	// A/AA violation.
	var b tab
	checkPage := func(page string) {
		t.Helper()
		b.settle()
		noSideScroll(b, page)
		if axe == "" {
			return
		}
		if eval[bool](b, `typeof axe === "undefined"`) {
			src, err := os.ReadFile(axe)
			if err != nil {
				t.Fatal(err)
			}
			b.do(chromedp.Evaluate[chromedp.Void](string(src)))
		}
		v, err := runStep(b, chromedp.Evaluate[string](axeRunJS, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("axe on %s: %v", page, err)
		}
		var vs []axeViolation
		if err := json.Unmarshal([]byte(v), &vs); err != nil {
			t.Fatal(err)
		}
		for _, x := range vs {
			t.Errorf("%s: %s: %s\n\t%s", page, x.ID, x.Help, strings.Join(x.Nodes, "\n\t"))
		}
	}

	b = tab{t: t, name: "officer", ctx: newBrowserWithin(t, 3*browserDeadline)}
	b.do(chromedp.EmulateViewport(360, 800, chromedp.EmulateMobile, chromedp.EmulatePortrait))
	httpOnly := true
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{
			Name: "rembug_s", Value: tok, URL: f.url, Path: "/", HTTPOnly: &httpOnly})
		return err
	}))
	b.do(chromedp.Navigate(f.url + "/kiosk"))
	checkPage("the start form")
	b.do(chromedp.SetValue(chromedp.CSS(`select[name="unit"]`), unit.Slug))
	b.submit(`form[action="/kiosk/mulai"] button[type="submit"]`)
	if _, err := forum.SessionUser(ctx, f.db, tok, now); errs.KindOf(err) != errs.NotFound {
		b.fail("the officer's session still works after starting kiosk mode: %v", err)
	}
	if eval[string](b, `document.body.className`) != "chromeless kiosk" {
		b.fail("kiosk page body class %q, want the large-text kiosk class", eval[string](b, `document.body.className`))
	}

	type person struct{ body, name, phone, number, secret string }
	people := []*person{
		{body: "Selokan depan rumah nomor 17 Jalan Kenari tersumbat ALFA", name: "Budi Pertama", phone: "081111111111"},
		{body: "Lampu penerangan di gang buntu Jalan Melati padam BRAVO", name: "Sari Kedua", phone: "082222222222"},
	}
	leftovers := func(p *person, where string) {
		b.t.Helper()
		b.settle()
		js := kioskLeftoversJS + `([` + strings.Join([]string{q(p.body), q(p.name), q(p.phone), q(p.number), q(p.secret)}, ",") + `])`
		if got := eval[[]string](b, js); len(got) > 0 {
			b.fail("%s shows the previous person's entry: %v\npage: %s", where, got, eval[string](b, `document.body.innerText`))
		}
	}
	for i, p := range people {
		b.name = []string{"first citizen", "second citizen"}[i]
		var prev *person
		if i > 0 {
			// The second person at the start page, and every page of the
			// first that the back button brings up: none shows their entry.
			prev = people[i-1]
			leftovers(prev, "the start page")
			for step := 1; step <= 7; step++ {
				b.do(chromedp.Evaluate[chromedp.Void](`window.kioskBack = 1; history.back()`))
				b.await("the page before", `window.kioskBack === undefined && document.readyState === "complete"`)
				leftovers(prev, "the page "+strconv.Itoa(step)+" back")
			}
			b.do(chromedp.Navigate(f.url + "/kiosk"))
		}
		if prev == nil {
			checkPage("the kiosk home")
		}
		b.submit(`a[href="/kiosk/pengaduan"]`)
		if prev != nil {
			leftovers(prev, "the complaint form")
		} else {
			checkPage("the complaint form")
		}
		b.do(chromedp.SendKeys(chromedp.CSS(`textarea[name="body"]`), p.body),
			chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), p.name),
			chromedp.SendKeys(chromedp.CSS(`input[name="phone"]`), p.phone),
			chromedp.Click(chromedp.CSS(`input[name="consent"]`)))
		b.submit(`form[action="/kiosk/pengaduan"] button[type="submit"]`)
		p.number, p.secret = b.text("#number"), b.text("#secret")
		if prev == nil {
			checkPage("the receipt")
		}
		if p.number == "" || p.secret == "" || (prev != nil && p.number == prev.number) {
			b.fail("receipt %q %q", p.number, p.secret)
		}
		b.submit(`a[href="/kiosk"]`)
		b.submit(`a[href="/kiosk/ikm"]`)
		if prev != nil {
			leftovers(prev, "the IKM form")
		} else {
			checkPage("the IKM form")
		}
		for u := 1; u <= 9; u++ {
			b.do(chromedp.Click(chromedp.CSS(`input[name="u` + string(rune('0'+u)) + `"][value="` + string(rune('0'+1+i*3)) + `"]`)))
		}
		b.do(chromedp.SetValue(chromedp.CSS(`select[name="sex"]`), []string{"L", "P"}[i]),
			chromedp.Click(chromedp.CSS(`input[name="consent"]`)))
		b.submit(`form[action="/kiosk/ikm"] button[type="submit"]`)
		b.await("the thanks", `!document.getElementById("number") && document.querySelector("[role=status]") !== null`)
		b.submit(`a[href="/kiosk"]`)
	}

	var n int
	if err := f.db.NewRaw(`SELECT COUNT(*) FROM complaints WHERE assisted_by = ? AND assist_consent = ?`, officer.user.ID, forum.ConsentVersion).Scan(ctx, &n); err != nil || n != 2 {
		t.Fatalf("%d assisted complaints stored (%v), want 2", n, err)
	}
	if err := f.db.NewRaw(`SELECT COUNT(*) FROM ikm_responses WHERE assisted_by = ? AND participant_id IS NULL`, officer.user.ID).Scan(ctx, &n); err != nil || n != 2 {
		t.Fatalf("%d assisted IKM answers stored (%v), want 2", n, err)
	}
	if code, api := get(t, officer.c, f.url+"/api/v1/ikm/"+unit.Slug+"/2026-11"); code != 200 || !strings.Contains(api, `"respondents":2`) || !strings.Contains(api, `"assisted":2`) {
		t.Errorf("IKM API: %d %s", code, api)
	}
	if _, page := get(t, officer.c, f.url+"/ikm/"+unit.Slug+"/2026-11"); !strings.Contains(page, "2 dibantu petugas, 0 mandiri") {
		t.Errorf("the IKM report does not split assisted and self-service answers:\n%s", page)
	}
	res, err := officer.c.Get(f.url + "/kiosk/pengaduan")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if cc := res.Header.Get("Cache-Control"); res.StatusCode != 403 {
		t.Errorf("kiosk page without a started kiosk: %d (Cache-Control %q), want 403", res.StatusCode, cc)
	}
}

func q(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }
