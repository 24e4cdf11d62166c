package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
)

// TestBrowserComplaintAgencyCreate: an admin of a new pemda creates an
// agency on the agency page, is refused a duplicate, adds an officer by
// email, routes a complaint to the new agency from the complaint page, and
// the officer finds it in the inbox; deactivated, the agency is no longer
// offered or suggested for routing.
func TestBrowserComplaintAgencyCreate(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	desk := fpSignIn(t, f, "admin", forum.RoleAdmin)
	officer := fpSignIn(t, f, "petugas-dinsos", forum.RoleParticipant)
	st, err := complaint.NewStore(ctx, f.db, complaint.Config{})
	if err != nil {
		t.Fatal(err)
	}
	c := ok(st.Submit(ctx, complaint.Actor{}, complaint.Intake{Channel: complaint.ChannelWeb,
		Body: "Bantuan sosial untuk lansia di Kelurahan Ketabang belum cair sejak tiga bulan."})).Complaint
	page := "/pengaduan/" + c.Number

	b := tab{t: t, name: "admin", ctx: newBrowser(t)}
	signInTab(t, b, f, desk)
	const agencies = "/admin/pengaduan/instansi"
	b.do(chromedp.Navigate(f.url + agencies))
	b.do(chromedp.SendKeys(chromedp.CSS(`#instansi-baru input[name="name"]`), "Dinas Sosial"),
		chromedp.SendKeys(chromedp.CSS(`#instansi-baru input[name="code"]`), "DINSOS"))
	b.submit(`#instansi-baru button[type="submit"]`)
	id, err := st.FindAgency(ctx, "Dinas Sosial")
	if err != nil {
		t.Fatalf("the agency was not created: %v", err)
	}
	card := "#instansi-" + strconv.FormatInt(id, 10)
	if s := b.text(card); !strings.Contains(s, "Dinas Sosial") {
		b.fail("the new agency's card: %q", s)
	}
	b.do(chromedp.SendKeys(chromedp.CSS(`#instansi-baru input[name="name"]`), "dinas sosial"))
	b.settle()
	res, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(`#instansi-baru button[type="submit"]`)))
	if err != nil || res == nil || res.Status != http.StatusConflict {
		b.fail("a duplicate name: %v %v", res, err)
	}
	if s := b.text("main"); !strings.Contains(s, "sudah ada") {
		b.fail("a duplicate name was not refused clearly: %q", s)
	}
	b.do(chromedp.Navigate(f.url + agencies))
	b.do(chromedp.SendKeys(chromedp.CSS(card+` input[name="email"]`), officer.user.Email))
	b.submit(card + ` form[action$="/petugas"] button[type="submit"]`)
	if s := b.text(card + " ul.officers"); !strings.Contains(s, officer.user.Email) {
		b.fail("the officer is not listed: %q", s)
	}

	b.do(chromedp.Navigate(f.url + page))
	b.do(chromedp.SetValue(chromedp.CSS(`select[name="agency"][multiple]`), strconv.FormatInt(id, 10)))
	b.submit(`form:has(input[name="do"][value="route"]) button[type="submit"]`)
	if got := ok(st.ByNumber(ctx, c.Number)); len(got.Agencies) != 1 || got.Agencies[0] != id {
		t.Fatalf("routes after the desk routed: %v", got.Agencies)
	}

	o := tab{t: t, name: "officer", ctx: newBrowser(t)}
	signInTab(t, o, f, officer)
	o.do(chromedp.Navigate(f.url + "/admin/pengaduan"))
	if s := o.text("ol.inbox"); !strings.Contains(s, c.Number) {
		o.fail("the new agency's officer does not see the complaint: %q", s)
	}
	o.submit(`ol.inbox a[href="` + page + `"]`)
	if s := o.text("main"); !strings.Contains(s, "Ketabang") {
		o.fail("the officer's complaint page lacks the text: %q", s)
	}

	b.do(chromedp.Navigate(f.url+agencies), chromedp.Click(chromedp.CSS(card+" details summary")))
	b.submit(card + ` form:has(input[name="action"][value="deactivate"]) button`)
	c2 := ok(st.Submit(ctx, complaint.Actor{}, complaint.Intake{Channel: complaint.ChannelWeb,
		Body: "Pendataan penerima bantuan sosial di Kelurahan Genteng tidak jelas jadwalnya."})).Complaint
	b.do(chromedp.Navigate(f.url + "/pengaduan/" + c2.Number))
	if s := b.text(`select[name="agency"][multiple]`); strings.Contains(s, "Dinas Sosial") {
		b.fail("a deactivated agency is offered for routing: %q", s)
	}
	sugg, err := runStep(b, chromedp.Evaluate[string](`(document.querySelector("ol.suggestions") || {}).textContent || ""`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sugg, "Dinas Sosial") {
		b.fail("a deactivated agency is suggested for routing: %q", sugg)
	}
}
