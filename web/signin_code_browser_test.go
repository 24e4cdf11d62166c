package web_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/rembug/rembug/forum"
)

// outboxCode reads the newest code sent to address from the development
// outbox page, as an admin would.
func outboxCode(t *testing.T, f *fixture, admin *fpMember, address string) string {
	t.Helper()
	code, page := get(t, admin.c, f.url+"/admin/kotak-keluar")
	re := regexp.MustCompile(`<td dir="ltr">` + regexp.QuoteMeta(strings.ReplaceAll(address, "+", "&#43;")) + `</td>\s*<td><strong class="otp-code">(\d{6})</strong>`)
	m := re.FindStringSubmatch(page)
	if code != 200 || m == nil || !strings.Contains(page, "Mode pengembangan") {
		t.Fatalf("outbox page %d has no code for %s:\n%s", code, address, page)
	}
	return m[1]
}

// TestBrowserCitizenSignsInWithCodes: with no sender configured, a new
// citizen types a comment on a proposal as a guest, presses "Masuk untuk
// berkomentar", signs in with an email code read from the development
// outbox, finds the comment still typed and sends it; then, in a new
// browser, a second citizen signs in with a WhatsApp code to a local-format
// number, lands back on the proposal and comments too.
func TestBrowserCitizenSignsInWithCodes(t *testing.T) {
	f := newFixture(t)
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	loc, _ := fpPropose(t, f, ani, "Taman baca di balai RW", "Buku untuk anak-anak di balai RW 05.")

	signInAndComment := func(name, draft string, fill func(b tab), address, comment string) {
		b := tab{t: t, name: name, ctx: newBrowser(t)}
		b.do(chromedp.Navigate(f.url + loc))
		if draft != "" {
			b.do(chromedp.SendKeys(chromedp.CSS(`form.comment-form.guest textarea`), draft))
		}
		b.submit(`form.comment-form.guest button[type="submit"]`)
		if s := b.text("p.dev-outbox"); !strings.Contains(s, "/admin/kotak-keluar") {
			b.fail("sign-in page does not say codes stay in the outbox: %q", s)
		}
		fill(b)
		if s := b.text("main p"); !strings.Contains(s, address) {
			b.fail("code page: %q", s)
		}
		b.do(chromedp.SendKeys(chromedp.CSS(`input[name="code"]`), outboxCode(t, f, admin, address)))
		b.submit(`form.stack button[type="submit"]`)
		want := f.url + loc
		if draft != "" {
			want = f.url + "/masuk/draf/"
		}
		if where, err := runStep(b, chromedp.Location()); err != nil || !strings.HasPrefix(where, want) {
			b.fail("after sign-in at %q (%v), want %s", where, err, want)
		}
		if s := b.text("header.site nav.account"); !strings.Contains(s, "Keluar") {
			b.fail("not signed in: %q", s)
		}
		if draft != "" {
			if s, err := runStep(b, chromedp.Evaluate[string](`document.querySelector("form.comment-form textarea").value`)); err != nil || s != draft {
				b.fail("draft lost on the way: %q (%v)", s, err)
			}
			comment = draft
		} else {
			b.do(chromedp.SendKeys(chromedp.CSS(`form.comment-form textarea`), comment))
		}
		b.submit(`form.comment-form button[type="submit"]`)
		if s := b.text("ol.comments"); !strings.Contains(s, comment) {
			b.fail("comment not shown: %q", s)
		}
	}

	signInAndComment("email", "Setuju, sekalian ruang belajar.", func(b tab) {
		b.do(chromedp.SendKeys(chromedp.CSS(`#code-email`), "Budi@Contoh.test"))
		b.submit(`form:has(#code-email) button[type="submit"]`)
	}, "budi@contoh.test", "")

	signInAndComment("phone", "", func(b tab) {
		b.do(chromedp.SendKeys(chromedp.CSS(`#code-phone`), "0812 3456 7890"),
			chromedp.Click(chromedp.CSS(`input[name="channel"][value="whatsapp"]`)))
		b.submit(`form:has(#code-phone) button[type="submit"]`)
	}, "+6281234567890", "Buka juga hari Minggu.")

	ctx := context.Background()
	for provider, subject := range map[string]string{"email": "budi@contoh.test", "phone": "+6281234567890"} {
		u, err := forum.NewStore(f.db, func() time.Time { return now }).SignInIdentity(ctx, provider, subject)
		if err != nil || u.Role != forum.RoleParticipant {
			t.Errorf("%s identity %s: %+v %v", provider, subject, u, err)
		}
	}
}
