package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/ikm"
)

// TestBrowserAnswerSurvey answers a survey with plain forms on a 360 px
// window (no script needed), sees the results, then answers the IKM form and
// reads the report.
func TestBrowserAnswerSurvey(t *testing.T) {
	ps := newPollSite(t)
	s := ps.survey(t, polls.Survey{},
		polls.Question{Code: "ok", Kind: polls.KindYesNo, Text: "Setuju taman baru?", Required: true},
		polls.Question{Code: "lok", Kind: polls.KindRanked, Text: "Urutkan lokasi", Spec: polls.Spec{Options: []string{"Utara", "Selatan"}}},
		polls.Question{Code: "nilai", Kind: polls.KindRating, Text: "Nilai taman lama"},
		polls.Question{Code: "kata", Kind: polls.KindWords, Text: "Satu kata"})
	u, err := polls.NewStore(ps.db, func() time.Time { return s.OpensAt }).EnsureIKMUnit(context.Background(), forum.Viewer{}, "Puskesmas Kota")
	if err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	b := tab{t: t, ctx: ctx}
	do, text, submit := b.do, b.text, b.submit
	do(chromedp.Navigate(ps.path(s)))
	do(chromedp.Click(chromedp.CSS(`input[name="a_ok"][value="0"]`)),
		chromedp.SetValue(chromedp.CSS(`#q-lok select`), "1"),
		chromedp.Click(chromedp.CSS(`input[name="a_nilai"][value="4"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="a_kata"]`), "Hijau"))
	submit(`form.survey button[type="submit"]`)
	if got := text(`p.ok`); !strings.Contains(got, "Terima kasih") {
		t.Fatalf("after sending: %q", got)
	}
	// No horizontal scrolling: the page fits the small window.
	if over := eval[int](b, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
		t.Fatalf("page is %d px wider than the window", over)
	}
	do(chromedp.Navigate(ps.path(s) + "/results"))
	if got := text(`#r-lok .outcome`); !strings.Contains(got, "Selatan") {
		t.Fatalf("ranked result: %q", got)
	}
	if got := text(`#r-kata table`); !strings.Contains(got, "hijau") {
		t.Fatalf("word table: %q", got)
	}

	do(chromedp.Navigate(ps.url + "/ikm/" + u.Slug))
	for i := 1; i <= ikm.NumElements; i++ {
		do(chromedp.Click(chromedp.CSS(`input[name="u` + string(rune('0'+i)) + `"][value="4"]`)))
	}
	submit(`form.survey button[type="submit"]`)
	do(chromedp.Navigate(ps.url + "/ikm/" + u.Slug + "/2025-12"))
	if got := text(`.ikm-summary`); !strings.Contains(got, "100,00") || !strings.Contains(got, "A") {
		t.Fatalf("IKM report: %q", got)
	}
}
