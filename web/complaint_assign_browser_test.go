package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
)

// TestBrowserComplaintAssigned: an agency's officer opens a routed
// complaint and assigns it to a colleague of the same agency with the
// page's picker; the colleague, filtering the inbox to "assigned to me",
// finds it there, opens it and answers; the officer's own "assigned to me"
// list stays empty, and the answer is on the complaint's timeline.
func TestBrowserComplaintAssigned(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	desk := fpSignIn(t, f, "admin", forum.RoleAdmin)
	officer := fpSignIn(t, f, "petugas-dlh", forum.RoleParticipant)
	colleague := fpSignIn(t, f, "rekan-dlh", forum.RoleParticipant)
	st, err := complaint.NewStore(ctx, f.db, complaint.Config{})
	if err != nil {
		t.Fatal(err)
	}
	admin := st.Actor(ok(forum.LoadViewer(ctx, f.db, desk.user, 0)), "")
	agency := ok(st.AddAgency(ctx, admin, "Dinas Lingkungan Hidup"))
	for _, m := range []*fpMember{officer, colleague} {
		if err := st.SetOfficer(ctx, admin, m.user.ID, agency, true); err != nil {
			t.Fatal(err)
		}
	}
	c := ok(st.Submit(ctx, complaint.Actor{}, complaint.Intake{Channel: complaint.ChannelWeb,
		Body: "Sampah menumpuk di pinggir Kali Mas dekat Jembatan Merah sejak minggu lalu."})).Complaint
	ok(st.Route(ctx, admin, c.ID, []int64{agency}, ""))
	page := "/pengaduan/" + c.Number

	b := tab{t: t, name: "officer", ctx: newBrowser(t)}
	signInTab(t, b, f, officer)
	b.do(chromedp.Navigate(f.url + "/admin/pengaduan"))
	b.submit(`a[href="` + page + `"]`)
	b.do(chromedp.SetValue(chromedp.CSS(`form.assign select[name="user"]`), strconv.FormatInt(colleague.user.ID, 10)))
	b.submit(`form.assign button[type="submit"]`)
	b.do(chromedp.Navigate(f.url + "/admin/pengaduan?mine=1"))
	if s := b.text("ol.inbox"); strings.Contains(s, c.Number) {
		b.fail("the officer's own assigned list shows the complaint given to a colleague: %q", s)
	}

	b.name = "colleague"
	signInTab(t, b, f, colleague)
	b.do(chromedp.Navigate(f.url + "/admin/pengaduan"))
	b.do(chromedp.Click(chromedp.CSS(`input[name="mine"]`)))
	b.submit(`form.filters button[type="submit"]`)
	if s := b.text("ol.inbox"); !strings.Contains(s, c.Number) {
		b.fail("the colleague's assigned list lacks the complaint: %q", s)
	}
	b.submit(`ol.inbox a[href="` + page + `"]`)
	const answer = "Sampah sudah diangkut truk DLH pada Kamis pagi."
	b.do(chromedp.SendKeys(chromedp.CSS(`section.staff textarea[name="text"]`), answer))
	b.submit(`button[name="do"][value="answer"]`)
	if s := b.text("ol.timeline"); !strings.Contains(s, answer) {
		b.fail("the answer is not on the timeline: %q", s)
	}
	got := ok(st.ByNumber(ctx, c.Number))
	if got.AssigneeUserID == nil || *got.AssigneeUserID != colleague.user.ID || got.Status != complaint.StatusAnswered {
		t.Errorf("complaint after the colleague answered: assignee %v, status %s", got.AssigneeUserID, got.Status)
	}
}
