package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

// TestModerationURLChecksItem: the consultation in the moderation URL
// must own the item; another consultation's comment is not found there
// (404) and stays visible.
func TestModerationURLChecksItem(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	other := &forum.Consultation{Title: "Pasar", Source: "test", SourceKey: "pasar"}
	if err := forum.UpsertImportedConsultation(ctx, f.db, other, now); err != nil {
		t.Fatal(err)
	}
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	p, _, err := f.store.CreateProposal(ctx, mustViewer(t, f, ani.user), other, forum.ProposalInput{Title: "Los pasar"})
	if err != nil {
		t.Fatal(err)
	}
	cm, _, err := f.store.AddComment(ctx, mustViewer(t, f, ani.user), other, p, forum.CommentInput{Body: "Komentar di pasar"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, slug string
		want       int
		state      string
	}{
		{"other consultation's URL", f.c.Slug, http.StatusNotFound, forum.StatePublished},
		{"own consultation's URL", other.Slug, http.StatusSeeOther, forum.StateHidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, body := fpPost(t, admin.c, f, "/k/"+c.slug+"/moderation",
				url.Values{"csrf": {admin.csrf}, "kind": {"comment"}, "id": {itoa(cm.ID)}, "action": {"hide"}, "reason": {"spam"}})
			if code != c.want {
				t.Fatalf("status %d, want %d\n%s", code, c.want, body)
			}
			var state string
			if err := f.db.NewSelect().Table("comments").Column("state").Where("id = ?", cm.ID).Scan(ctx, &state); err != nil {
				t.Fatal(err)
			}
			if state != c.state {
				t.Errorf("comment state %q, want %q", state, c.state)
			}
		})
	}
}

// mustViewer is signed-in user u as the access rule sees them now, acting
// as their own participant.
func mustViewer(t *testing.T, f *fixture, u *forum.User) forum.Viewer {
	t.Helper()
	p, err := forum.UserParticipant(t.Context(), f.db, u, now)
	if err != nil {
		t.Fatal(err)
	}
	v, err := forum.LoadViewer(t.Context(), f.db, u, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestAutoHideReasonTranslated: content hidden after reports shows the
// reason in the page's language, with the count, in the queue, on the
// proposal page and in the audit log.
func TestAutoHideReasonTranslated(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	if err := f.store.ConfigureRules(ctx, f.staff(t), &forum.Rules{ConsultationID: f.c.ID, FlagThreshold: 3}); err != nil {
		t.Fatal(err)
	}
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	path, id := fpPropose(t, f, ani, "Taman bermain", "Isi")
	pid, _ := forum.ProposalIDFromRef(id)
	for _, who := range []string{"r1", "r2", "r3"} {
		r := fpSignIn(t, f, who, forum.RoleParticipant)
		v := mustViewer(t, f, r.user)
		if err := f.store.Flag(ctx, v, forum.Target{Kind: forum.TargetProposal, ID: pid}, 0, "spam"); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		page, lang, want string
	}{
		{"/k/" + f.c.Slug + "/moderation", "id", "disembunyikan otomatis setelah 3 laporan"},
		{"/k/" + f.c.Slug + "/moderation", "en", "hidden automatically after 3 reports"},
		{path, "id", "disembunyikan otomatis setelah 3 laporan"},
		{"/admin/audit", "en", "hidden automatically after 3 reports"},
	}
	for _, c := range cases {
		t.Run(c.page+" "+c.lang, func(t *testing.T) {
			code, page := get(t, admin.c, f.url+c.page+"?lang="+c.lang)
			if code != http.StatusOK || !strings.Contains(page, c.want) {
				t.Errorf("%d, page lacks %q:\n%s", code, c.want, page)
			}
			if strings.Contains(page, ">reports<") || strings.Contains(page, "auto_hide:") {
				t.Errorf("untranslated reason on the page")
			}
		})
	}
}

// TestReportHiddenProposalUnderReview: a proposal hidden automatically by
// reports is "hidden pending review" to its author and in the queue, never
// "hidden by moderation"; once a moderator hides it on purpose, it says so.
func TestReportHiddenProposalUnderReview(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	if err := f.store.ConfigureRules(ctx, f.staff(t), &forum.Rules{ConsultationID: f.c.ID, FlagThreshold: 3}); err != nil {
		t.Fatal(err)
	}
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	path, id := fpPropose(t, f, ani, "Kritik untuk dinas", "Isi")
	pid, _ := forum.ProposalIDFromRef(id)
	for _, who := range []string{"r1", "r2", "r3"} {
		r := fpSignIn(t, f, who, forum.RoleParticipant)
		if err := f.store.Flag(ctx, mustViewer(t, f, r.user), forum.Target{Kind: forum.TargetProposal, ID: pid}, 0, "tidak suka"); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		who  *fpMember
		page string
	}{{ani, path}, {admin, "/k/" + f.c.Slug + "/moderation?lang=id"}} {
		code, page := get(t, c.who.c, f.url+c.page)
		if code != http.StatusOK || !strings.Contains(page, `Usulan #`+id+` · <span class="state">Disembunyikan menunggu peninjauan moderator</span>`) && !strings.Contains(page, `<p class="error notice">Disembunyikan menunggu peninjauan moderator`) {
			t.Errorf("%s: %d, not said to be pending review:\n%s", c.page, code, page)
		}
	}
	if _, page := get(t, ani.c, f.url+path+"?lang=en"); !strings.Contains(page, "Hidden pending a moderator&#39;s review") {
		t.Errorf("English wording missing:\n%s", page)
	}
	if err := f.store.Moderate(ctx, mustViewer(t, f, admin.user), forum.Target{Kind: forum.TargetProposal, ID: pid}, f.c.ID, "hide", "melanggar aturan"); err != nil {
		t.Fatal(err)
	}
	if _, page := get(t, ani.c, f.url+path+"?lang=id"); !strings.Contains(page, "Disembunyikan oleh moderasi") || strings.Contains(page, "menunggu peninjauan") {
		t.Errorf("a moderator's hide is not said as such:\n%s", page)
	}
}
