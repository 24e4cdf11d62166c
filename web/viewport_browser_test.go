package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserFirstViewport opens the home and consultation pages on a
// 360×800 phone and a 1280×800 laptop and checks that the page's primary
// action lies entirely within the first screen, that nothing scrolls
// sideways, and that the console stays free of errors.
func TestBrowserFirstViewport(t *testing.T) {
	w := newA11yWorld(t)
	b := tab{t: t, ctx: newBrowser(t)}
	errs := watchConsole(b)
	pages := []struct{ name, path, action string }{
		{"home", "/", `main .card a.button.primary`},
		{"consultation", "/k/" + w.c.Slug, `section.statement button[value="agree"]`},
		{"proposal", "/k/" + w.c.Slug + "/proposals", `main a.button[href$="/proposals/new"]`},
	}
	for _, size := range [][2]int64{{360, 800}, {1280, 800}} {
		for _, p := range pages {
			b.do(chromedp.EmulateViewport(size[0], size[1]), chromedp.Navigate(w.url+p.path))
			b.settle()
			bottom := eval[float64](b, `(function(e){ if (!e) return -1; const r = e.getBoundingClientRect(); return r.top >= 0 && r.left >= 0 && r.right <= innerWidth ? r.bottom : 99999 })(document.querySelector(`+"`"+p.action+"`"+`))`)
			switch {
			case bottom < 0:
				t.Errorf("%s at %d×%d: no primary action %s", p.name, size[0], size[1], p.action)
			case bottom > float64(size[1]):
				t.Errorf("%s at %d×%d: primary action ends at %.0f px, below the first screen", p.name, size[0], size[1], bottom)
			}
			if sw := eval[int](b, `document.documentElement.scrollWidth`); sw > int(size[0]) {
				t.Errorf("%s at %d×%d scrolls sideways: scrollWidth %d", p.name, size[0], size[1], sw)
			}
			for _, e := range errs.take() {
				t.Errorf("%s at %d×%d: console: %s", p.name, size[0], size[1], e)
			}
		}
	}
}
