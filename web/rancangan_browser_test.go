package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/rembug/rembug/forum"
)

// TestBrowserDraftRegulation: on 360 px phones without JavaScript, a
// drafter pastes the Perda draft; a citizen opens Pasal 3 ayat (2) from the
// draft's text and disagrees with a reason; the drafter checks the input in
// the triage list and answers it (partly accepted, with a reason and the
// version); the citizen sees the notice, follows it to the answer on their
// input, and finds it in the participation matrix, which fits the screen.
func TestBrowserDraftRegulation(t *testing.T) {
	f := newFixture(t)
	drafterM := fpSignIn(t, f, "Bagian Hukum", forum.RoleAdmin)
	citizenM := fpSignIn(t, f, "Siti Warga", forum.RoleParticipant)
	signIn := func(b tab, m *fpMember) {
		b.do(chromedp.Navigate(f.url + "/k/" + f.c.Slug))
		eval[string](b, `document.cookie = "rembug_s=`+sessionCookie(m.c, f.url)+`; path=/"`)
	}
	drafter, citizen := phoneTab(t, "drafter"), phoneTab(t, "citizen")
	signIn(drafter, drafterM)
	signIn(citizen, citizenM)

	// The drafter pastes the draft.
	drafter.do(chromedp.Navigate(f.url+"/k/"+f.c.Slug+"/rancangan"),
		chromedp.SetValue(chromedp.CSS(`textarea[name="text"]`), draftFixtureText(t, "raperda_sampah_v1.md")))
	drafter.submit(`form.raperda-form button[type="submit"]`)
	if got := drafter.text("h1"); got != "Raperda tentang Pengelolaan Sampah" {
		t.Fatalf("draft title %q", got)
	}
	draftURL := eval[string](drafter, `location.pathname`)

	// The citizen reads it on a phone and gives input on Pasal 3 ayat (2).
	citizen.do(chromedp.Navigate(f.url + "/k/" + f.c.Slug))
	citizen.submit(`a[href="` + draftURL + `"]`)
	noSideScroll(citizen, "draft text")
	if got := citizen.text("#pasal-3-ayat-2 .text"); !strings.HasPrefix(got, "(2) Setiap rumah tangga wajib memilah sampah") {
		t.Fatalf("Pasal 3 ayat (2): %q", got)
	}
	citizen.submit(`#pasal-3-ayat-2 .unit-inputs a`)
	noSideScroll(citizen, "unit page")
	// With JavaScript, selecting words of the ayat quotes them into the
	// reason field (select-to-comment); without it the form above works.
	unitURL := eval[string](citizen, `location.pathname`)
	withJS := tab{t: t, name: "citizen with JavaScript", ctx: newBrowser(t)}
	withJS.do(chromedp.EmulateViewport(360, 800, chromedp.EmulateMobile, chromedp.EmulatePortrait))
	signIn(withJS, citizenM)
	withJS.do(chromedp.Navigate(f.url + unitURL))
	eval[bool](withJS, `(function(){var t=document.querySelector(".unit-text"),w=document.createTreeWalker(t,NodeFilter.SHOW_TEXT),n,last;while(n=w.nextNode())last=n;var i=last.data.indexOf("wajib memilah");var r=document.createRange();r.setStart(last,i);r.setEnd(last,i+"wajib memilah".length);var s=getSelection();s.removeAllRanges();s.addRange(r);return true})()`)
	withJS.do(chromedp.WaitVisible(chromedp.CSS(`.quote-button`)), chromedp.Click(chromedp.CSS(`.quote-button`)))
	if got := eval[string](withJS, `document.querySelector('#beri textarea[name="body"]').value`); got != "> wajib memilah\n\n" {
		t.Fatalf("quoted selection: %q", got)
	}
	reason := "Sampah residu perlu dipisah agar tidak tercampur."
	citizen.do(chromedp.Click(chromedp.CSS(`input[name="stance"][value="tidak_setuju"]`)),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="body"]`), reason))
	citizen.submit(`form.raperda-form button[type="submit"]`)
	if got := citizen.text("ol.input-list li"); !strings.Contains(got, reason) || !strings.Contains(got, "Belum ditanggapi") {
		t.Fatalf("own input: %q", got)
	}

	// The drafter answers it from the triage list.
	drafter.do(chromedp.Navigate(f.url + draftURL + "/tanggapi"))
	if got := drafter.text("ol.input-list"); !strings.Contains(got, "Pasal 3 ayat (2)") || !strings.Contains(got, reason) {
		t.Fatalf("triage list: %q", got)
	}
	answer := "Diterima sebagian: sampah residu ditambahkan sebagai jenis ketiga."
	drafter.do(chromedp.Click(chromedp.CSS(`input[name="id"]`)),
		chromedp.SetValue(chromedp.CSS(`fieldset.answer-box select[name="decision"]`), "diterima_sebagian"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="reason"]`), answer),
		chromedp.SetValue(chromedp.CSS(`select[name="version"]`), "1"))
	drafter.submit(`fieldset.answer-box button[type="submit"]`)
	if got := drafter.text("main"); !strings.Contains(got, "Belum ada masukan.") {
		t.Fatalf("triage after answering: %q", got)
	}

	// The citizen is notified, reads the answer, and finds it in the matrix.
	citizen.do(chromedp.Navigate(f.url + "/notifikasi"))
	if got := citizen.text("ol.draft-notices"); !strings.Contains(got, "Tanggapan atas masukan Anda pada Pasal 3 ayat (2)") || !strings.Contains(got, "Diterima sebagian") {
		t.Fatalf("notice: %q", got)
	}
	citizen.submit(`ol.draft-notices a`)
	if got := citizen.text("ol.input-list li .answer"); !strings.Contains(got, "Diterima sebagian") || !strings.Contains(got, answer) || !strings.Contains(got, "versi 1") {
		t.Fatalf("answer on the input: %q", got)
	}
	citizen.do(chromedp.Navigate(f.url + draftURL + "/matriks"))
	noSideScroll(citizen, "matrix")
	if got := citizen.text("table.matrix tbody"); !strings.Contains(got, "Pasal 3 ayat (2)") || !strings.Contains(got, reason) ||
		!strings.Contains(got, answer) || !strings.Contains(got, "Siti Warga") {
		t.Fatalf("matrix: %q", got)
	}
}
