package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserFirstViewport opens the home, consultation, proposal,
// results, survey and live (participant, presenter, moderator) pages on a
// 360×800 phone and a 1280×800 laptop and checks that the page's primary
// action lies entirely within the first screen, that nothing scrolls
// sideways, and that the console stays free of errors.
func TestBrowserFirstViewport(t *testing.T) {
	w := newA11yWorld(t)
	live := "/live/" + w.liveCode
	if res, body := post(t, browser(t), w.url, live, live+"/ask", url.Values{"text": {"Kapan jalan diperbaiki?"}}, ""); res.StatusCode >= 400 {
		t.Fatalf("ask: %d\n%s", res.StatusCode, body)
	}
	b := tab{t: t, ctx: newBrowserWithin(t, 3*browserDeadline)}
	errs := watchConsole(b)
	pages := []struct{ name, path, action string }{
		{"home", "/", `main .card a.button.primary`},
		{"consultation", "/k/" + w.c.Slug, `section.statement button[value="agree"]`},
		{"proposals", "/k/" + w.c.Slug + "/proposals", `main a.button[href$="/proposals/new"]`},
		{"proposal", w.proposal, `form.support button, p.support a.button`},
		{"results", "/k/" + w.c.Slug + "/results", `table.results tbody td`},
		{"survey", fmt.Sprintf("/survei/%d", w.survey), `form.survey fieldset.question input`},
		{"live participant", live, `form.ask textarea`},
		{"presenter", live + "/present", `.join-url`},
		{"moderator", live + "/mod", `#questions li button`},
	}
	for _, size := range [][2]int64{{360, 800}, {1280, 800}} {
		for _, p := range pages {
			if p.name == "moderator" {
				signInTab(t, b, w.fixture, w.admin)
			}
			b.do(chromedp.EmulateViewport(size[0], size[1]), chromedp.Navigate(w.url+p.path))
			b.settle()
			bottom := eval[float64](b, `(function(e){ if (!e) return -1; const r = e.getBoundingClientRect(); return r.top >= 0 && r.left >= 0 && r.right <= innerWidth ? r.bottom : 99999 })(document.querySelector(`+"`"+p.action+"`"+`))`)
			switch {
			case bottom < 0:
				t.Errorf("%s at %d×%d: no primary action %s\n%s", p.name, size[0], size[1], p.action, eval[string](b, `document.querySelector("main").innerHTML.slice(0, 1500)`))
			case bottom > float64(size[1]):
				t.Errorf("%s at %d×%d: primary action ends at %.0f px, below the first screen", p.name, size[0], size[1], bottom)
			}
			if sw := eval[int](b, `document.documentElement.scrollWidth`); sw > int(size[0]) {
				t.Errorf("%s at %d×%d scrolls sideways: scrollWidth %d", p.name, size[0], size[1], sw)
			}
			if p.name == "proposal" {
				// The proposal's photo is shown (the image loads under the
				// page's CSP) within the phone's width.
				shown := eval[bool](b, `(function(i){ return !!i && i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().right <= innerWidth })(document.querySelector("figure.proposal-image img"))`)
				if !shown {
					t.Errorf("proposal at %d×%d: its photo is not shown within the screen's width", size[0], size[1])
				}
			}
			if p.name == "results" {
				// Each statement's stacked bar spans the phone's width, and
				// its numbers carry their names in words, not colour alone.
				bar := eval[float64](b, `document.querySelector("table.results .stackbar").getBoundingClientRect().width`)
				agree := eval[string](b, `document.querySelector("table.results td.agree").innerText`)
				if size[0] == 360 && (bar < 280 || !strings.HasPrefix(strings.TrimSpace(agree), "Setuju ")) {
					t.Errorf("results at 360 px: bar %.0f px wide, agree cell %q", bar, agree)
				}
			}
			for _, e := range errs.take() {
				t.Errorf("%s at %d×%d: console: %s", p.name, size[0], size[1], e)
			}
		}
	}
}
