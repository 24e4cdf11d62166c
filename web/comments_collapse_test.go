package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/rembug/rembug/forum"
)

// TestProposalCommentsCollapse: a proposal page shows the first 20
// comment threads (each with its replies) and a "show more" link that
// pages on without JavaScript, pointing at the first thread it adds.
func TestProposalCommentsCollapse(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	v := mustViewer(t, f, ani.user)
	p, _, err := f.store.CreateProposal(ctx, v, f.c, forum.ProposalInput{Title: "Taman kota"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i := range 25 {
		cm, _, err := f.store.AddComment(ctx, v, f.c, p, forum.CommentInput{Body: fmt.Sprintf("Komentar nomor %d", i+1)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, cm.ID)
	}
	if _, _, err := f.store.AddComment(ctx, v, f.c, p, forum.CommentInput{Body: "Balasan", ParentID: ids[0]}); err != nil {
		t.Fatal(err)
	}
	page := "/p/" + p.Ref()
	_, body := get(t, browser(t), f.url+page)
	if n := strings.Count(body, `class="comment d`); n != 21 {
		t.Errorf("first page shows %d comments, want 20 threads and 1 reply", n)
	}
	link := fmt.Sprintf(`href="?threads=40#c%d"`, ids[20])
	if !strings.Contains(body, link) || !strings.Contains(body, "Tampilkan 5 utas lagi") {
		t.Fatalf("no link %s showing 5 more threads", link)
	}
	_, body = get(t, browser(t), f.url+page+"?threads=40")
	if n := strings.Count(body, `class="comment d`); n != 26 || strings.Contains(body, "more-threads") {
		t.Errorf("all threads: %d comments shown, or a further link", n)
	}
}

// TestBrowserCommentsExpandInPlace: with JavaScript, "show more" adds the
// next threads to the list without leaving the page, and moves the focus
// to the first one it added.
func TestBrowserCommentsExpandInPlace(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	v := mustViewer(t, f, ani.user)
	p, _, err := f.store.CreateProposal(ctx, v, f.c, forum.ProposalInput{Title: "Taman kota"})
	if err != nil {
		t.Fatal(err)
	}
	var last int64
	for i := range 22 {
		cm, _, err := f.store.AddComment(ctx, v, f.c, p, forum.CommentInput{Body: fmt.Sprintf("Komentar nomor %d", i+1)})
		if err != nil {
			t.Fatal(err)
		}
		last = cm.ID
	}
	b := tab{t: t, ctx: newBrowser(t)}
	errs := watchConsole(b)
	b.do(chromedp.Navigate(f.url + "/p/" + p.Ref()))
	b.settle()
	b.mark()
	b.do(chromedp.Click(chromedp.CSS(".more-threads a")))
	b.await("all 22 threads", fmt.Sprintf(`document.querySelectorAll("ol.comments > li").length === 22 && !!document.getElementById("c%d")`, last))
	b.stillMarked()
	if eval[bool](b, `!!document.querySelector(".more-threads")`) {
		t.Error("the show-more link stays after the last page")
	}
	if !eval[bool](b, `document.activeElement && document.activeElement.id === "c`+fmt.Sprint(last-1)+`"`) {
		t.Errorf("focus on %s, want the first added thread", eval[string](b, `document.activeElement.id`))
	}
	for _, e := range errs.take() {
		t.Errorf("console: %s", e)
	}
}

// TestOfficialRepliesInAPIAndExport: a moderator's reply is marked
// official in the JSON comments API and in the JSON export; a
// participant's is not.
func TestOfficialRepliesInAPIAndExport(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	mod := fpSignIn(t, f, "mod", forum.RoleModerator)
	p, _, err := f.store.CreateProposal(ctx, mustViewer(t, f, ani.user), f.c, forum.ProposalInput{Title: "Taman kota"})
	if err != nil {
		t.Fatal(err)
	}
	q, _, err := f.store.AddComment(ctx, mustViewer(t, f, ani.user), f.c, p, forum.CommentInput{Body: "Kapan dibangun?"})
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := f.store.AddComment(ctx, mustViewer(t, f, mod.user), f.c, p, forum.CommentInput{Body: "Tahun depan.", ParentID: q.ID})
	if err != nil {
		t.Fatal(err)
	}
	_, body := get(t, browser(t), f.url+fmt.Sprintf("/api/v1/proposals/%d/comments", p.ID))
	var tree []struct {
		ID       int64
		Official bool
		Replies  []struct {
			ID       int64
			Official bool
		}
	}
	if err := json.Unmarshal([]byte(body), &tree); err != nil || len(tree) != 1 || len(tree[0].Replies) != 1 {
		t.Fatalf("API: %v\n%s", err, body)
	}
	if tree[0].Official || !tree[0].Replies[0].Official || tree[0].Replies[0].ID != a.ID {
		t.Errorf("API official flags: %s", body)
	}
	rows, err := forum.Export(ctx, f.db, mustViewer(t, f, mod.user), f.c)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, r := range rows {
		if r.Kind == forum.TargetComment {
			seen++
			if r.Official != (r.ID == a.ID) {
				t.Errorf("export row %d official %v", r.ID, r.Official)
			}
		}
	}
	if seen != 2 {
		t.Errorf("export has %d comments, want 2", seen)
	}
}
