package web_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/rembug/rembug/forum"
)

// TestBrowserBuildSurvey: an admin builds a survey in the browser with three
// question types (single choice, yes/no, open text) and a condition (the
// open text only when yes/no is "Ya") and opens it; a guest answers "Tidak"
// and never sees the conditional question, then changes to "Ya" and gets it
// from the server after sending (no script runs); the admin downloads the
// answers, which hold the guest's final answers.
func TestBrowserBuildSurvey(t *testing.T) {
	f := newFixture(t)
	ctx := newBrowser(t)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	b := tab{t: t, ctx: ctx}
	signInAdmin := func() {
		b.do(chromedp.Navigate(f.url + "/k/" + f.c.Slug))
		eval[string](b, `document.cookie = "rembug_s=`+sessionCookie(admin.c, f.url)+`; path=/"`)
		b.await("the admin's session", syncGet("/k/"+f.c.Slug+"/survei")+`.startsWith("200")`)
	}
	signInAdmin()
	b.do(chromedp.Navigate(f.url+"/k/"+f.c.Slug+"/survei"),
		chromedp.SendKeys(chromedp.CSS(`#settings input[name="title"]`), "Taman di kelurahan"))
	b.submit(`#settings button[type="submit"]`)
	builder := eval[string](b, `location.pathname`)
	if !strings.HasSuffix(builder, "/ubah") {
		t.Fatalf("after create: %s", builder)
	}
	survey := strings.TrimSuffix(builder, "/ubah")

	add := func(kind, text, code, options, showIf string) {
		t.Helper()
		b.do(chromedp.SetValue(chromedp.CSS(`#new-question select[name="kind"]`), kind),
			chromedp.SendKeys(chromedp.CSS(`#new-question textarea[name="text"]`), text))
		if code != "" {
			b.do(chromedp.SendKeys(chromedp.CSS(`#new-question input[name="code"]`), code))
		}
		if options != "" {
			b.do(chromedp.SetValue(chromedp.CSS(`#new-question textarea[name="options"]`), options))
		}
		if showIf != "" {
			b.do(chromedp.SetValue(chromedp.CSS(`#new-question select[name="show_if"]`), showIf))
		}
		b.submit(`#new-question button[type="submit"]`)
	}
	add("single", "Lokasi mana yang Anda pilih?", "lokasi", "Utara\nSelatan", "")
	add("yesno", "Perlu toilet umum?", "toilet", "", "")
	add("text", "Di mana sebaiknya toilet dibangun?", "", "", "toilet=0")
	if got := b.text("ol.builder-questions"); !strings.Contains(got, "tampil jika «Perlu toilet umum?» = «Ya»") ||
		!strings.Contains(got, "Pilihan tunggal") || !strings.Contains(got, "Teks bebas") {
		t.Fatalf("questions: %q", got)
	}
	b.submit(`form[action$="/status/buka"] button`)
	if got := b.text("section.state"); !strings.Contains(got, "Dibuka") {
		t.Fatalf("state: %q", got)
	}

	// A guest answers "Tidak": the conditional question never appears.
	if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Navigate(f.url + survey))
	if n := eval[int](b, `document.querySelectorAll("#q-q3").length`); n != 0 {
		t.Fatal("the conditional question shows before its answer")
	}
	b.do(chromedp.Click(chromedp.CSS(`input[name="a_lokasi"][value="1"]`)),
		chromedp.Click(chromedp.CSS(`input[name="a_toilet"][value="1"]`)))
	b.submit(`form.survey button[type="submit"]`)
	if got := b.text("p.ok"); !strings.Contains(got, "Terima kasih") {
		t.Fatalf("after Tidak: %q", got)
	}
	// Changing to "Ya" brings the question in, with the answers kept.
	b.do(chromedp.Click(chromedp.CSS(`input[name="a_toilet"][value="0"]`)))
	b.submit(`form.survey button[type="submit"]`)
	if got := b.text("p.more"); !strings.Contains(got, "pertanyaan lanjutan") {
		t.Fatalf("after Ya: %q", got)
	}
	if !eval[bool](b, `document.querySelector('input[name="a_lokasi"][value="1"]').checked`) {
		t.Fatal("the first answer was lost")
	}
	b.do(chromedp.SendKeys(chromedp.CSS(`#q-q3 textarea`), "Dekat gerbang timur"))
	b.submit(`form.survey button[type="submit"]`)
	if got := b.text("p.ok"); !strings.Contains(got, "Terima kasih") {
		t.Fatalf("after the follow-up: %q", got)
	}

	signInAdmin()
	b.do(chromedp.Navigate(f.url + builder))
	if got := b.text("section.state"); !strings.Contains(got, "1 jawaban") || !strings.Contains(got, "Terkunci") {
		t.Fatalf("state after an answer: %q", got)
	}
	href := eval[string](b, `document.querySelector("a.export-csv").getAttribute("href")`)
	csv := eval[string](b, syncGet(href))
	if !strings.HasPrefix(csv, "200\n") || !strings.Contains(csv, "Di mana sebaiknya toilet dibangun?") ||
		!strings.Contains(csv, "Selatan") || !strings.Contains(csv, "Ya") || !strings.Contains(csv, "Dekat gerbang timur") {
		t.Fatalf("export:\n%s", csv)
	}
}

// syncGet is a script that fetches path with the page's cookies and returns
// the status, a newline and the body (a synchronous request, so that the
// script's value is the answer).
func syncGet(path string) string {
	return `(function(){var x=new XMLHttpRequest();x.open("GET",` + strconv.Quote(path) + `,false);x.send();return x.status+"\n"+x.responseText;})()`
}
