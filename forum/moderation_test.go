package forum_test

import (
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// TestHiddenCommentLeavesEveryCount is CASES C19: a proposal with 3
// comments, one with 2 replies and a link, is hidden by a moderator; every
// count and derived output follows the one rule (a hidden comment is not
// counted and shows no text; its replies stay under a placeholder).
func TestHiddenCommentLeavesEveryCount(t *testing.T) {
	w := newWorld(t)
	author := w.user(t, "ani", forum.RoleParticipant)
	mod := w.user(t, "mod", forum.RoleModerator)
	analyst := w.user(t, "analis", forum.RoleAnalyst)
	p := w.proposal(t, author, "Taman")
	other := w.proposal(t, author, "Lain")
	w.comment(t, author, p, 0, "Pertama")
	bad := w.comment(t, author, p, 0, "Lihat [ini](https://jahat.test/x)")
	w.comment(t, author, p, 0, "Ketiga")
	w.comment(t, author, p, bad.ID, "Balasan satu")
	w.comment(t, author, p, bad.ID, "Balasan dua")
	w.comment(t, author, other, 0, "a")
	w.comment(t, author, other, 0, "b")
	w.comment(t, author, other, 0, "c")
	w.comment(t, author, other, 0, "d")
	if got := w.reload(t, p).Comments; got != 5 {
		t.Fatalf("count before hiding %d", got)
	}
	if err := w.store.Moderate(w.ctx, mod, forum.Target{Kind: forum.TargetComment, ID: bad.ID}, 0, forum.ActionHide, "tautan berbahaya"); err != nil {
		t.Fatal(err)
	}
	reloaded := w.reload(t, p)
	tree, counts, err := forum.Thread(w.ctx, w.db, forum.Viewer{}, w.c, reloaded)
	if err != nil {
		t.Fatal(err)
	}
	page, err := forum.ProposalsFor(w.ctx, w.db, forum.Viewer{}, w.c, forum.ProposalQuery{Sort: forum.SortCommented})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := forum.Export(w.ctx, w.db, analyst, w.c)
	if err != nil {
		t.Fatal(err)
	}
	exported := 0
	for _, r := range rows {
		if r.Kind == forum.TargetComment && r.ProposalID == p.ID {
			exported++
		}
		if strings.Contains(r.Body, "jahat.test") {
			t.Fatal("hidden text in the export")
		}
	}
	if reloaded.Comments != 4 || forum.CountNodes(tree) != 4 || counts.Total() != 4 || exported != 4 {
		t.Fatalf("counts after hiding: stored %d tree %d alignment %d export %d", reloaded.Comments, forum.CountNodes(tree), counts.Total(), exported)
	}
	if page.Proposals[0].ID != other.ID || page.Proposals[0].Comments != 4 {
		t.Fatalf("most commented sort: %+v", page.Proposals[0])
	}
	var placeholder *forum.Node
	for _, n := range tree {
		if n.ID == bad.ID {
			placeholder = n
		}
	}
	if placeholder == nil || !placeholder.Removed || placeholder.Body != "" || len(placeholder.Replies) != 2 {
		t.Fatalf("hidden comment's node: %+v", placeholder)
	}
	// Restoring brings it back and counts it again; the audit log has both.
	if err := w.store.Moderate(w.ctx, mod, forum.Target{Kind: forum.TargetComment, ID: bad.ID}, 0, forum.ActionRestore, ""); err != nil {
		t.Fatal(err)
	}
	if got := w.reload(t, p).Comments; got != 5 {
		t.Fatalf("count after restoring %d", got)
	}
	admin := w.user(t, "admin", forum.RoleAdmin)
	log, err := forum.AuditLog(w.ctx, w.db, admin, 10)
	if err != nil || len(log) != 2 || log[1].Action != forum.ActionHide || log[1].Reason != "tautan berbahaya" || log[1].ActorUserID != mod.User.ID {
		t.Fatalf("audit log %+v %v", log, err)
	}
	if _, err := forum.AuditLog(w.ctx, w.db, mod, 10); errs.KindOf(err) != errs.Forbidden {
		t.Fatal("a moderator read the audit log")
	}
}

// TestReportsHideAutomatically hides a comment at the third distinct
// report, counts a reporter once, and lets a moderator block the author.
func TestReportsHideAutomatically(t *testing.T) {
	w := newWorld(t)
	author := w.user(t, "ani", forum.RoleParticipant)
	mod := w.user(t, "mod", forum.RoleModerator)
	p := w.proposal(t, author, "Taman")
	cm := w.comment(t, author, p, 0, "spam spam")
	for i, who := range []string{"r1", "r1", "r2", "r3"} {
		r := w.user(t, who+strings.Repeat("x", i), forum.RoleParticipant)
		if who == "r1" && i == 1 {
			r = forum.Viewer{User: nil, ParticipantID: 0}
		}
		err := w.store.Flag(w.ctx, r, forum.Target{Kind: forum.TargetComment, ID: cm.ID}, 0, "spam")
		if i == 1 {
			if errs.KindOf(err) != errs.Forbidden {
				t.Fatalf("report without a participant: %v", err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if i == 2 && w.reload(t, p).Comments != 1 {
			t.Fatal("hidden before the threshold")
		}
	}
	if w.reload(t, p).Comments != 0 {
		t.Fatal("not hidden after 3 reports")
	}
	q, err := forum.Queue(w.ctx, w.db, mod, w.c)
	if err != nil || len(q) != 1 || q[0].State != forum.StateHidden || len(q[0].Reports) != 3 {
		t.Fatalf("queue %+v %v", q, err)
	}
	if _, err := forum.Queue(w.ctx, w.db, author, w.c); errs.KindOf(err) != errs.Forbidden {
		t.Fatal("a participant read the queue")
	}
	if err := w.store.Moderate(w.ctx, mod, forum.Target{Kind: forum.TargetComment, ID: cm.ID}, 0, forum.ActionBlock, "spammer"); err != nil {
		t.Fatal(err)
	}
	_, _, err = w.store.AddComment(w.ctx, w.again(t, author), w.c, p, forum.CommentInput{Body: "lagi"})
	if errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("blocked author commented: %v", err)
	}
	if err := w.store.Moderate(w.ctx, author, forum.Target{Kind: forum.TargetComment, ID: cm.ID}, 0, forum.ActionRestore, ""); errs.KindOf(err) != errs.Forbidden {
		t.Fatal("a participant moderated")
	}
}

// TestPremoderation holds new proposals and comments until approved.
func TestPremoderation(t *testing.T) {
	w := newWorld(t)
	w.rules(t, forum.Rules{ConsultationID: w.c.ID, Premoderation: true, FlagThreshold: 3})
	author := w.user(t, "ani", forum.RoleParticipant)
	mod := w.user(t, "mod", forum.RoleModerator)
	p := w.proposal(t, author, "Menunggu")
	if _, _, err := forum.ProposalFor(w.ctx, w.db, forum.Viewer{}, p.ID); errs.KindOf(err) != errs.NotFound {
		t.Fatal("pending proposal visible to a guest")
	}
	if _, _, err := forum.ProposalFor(w.ctx, w.db, author, p.ID); err != nil {
		t.Fatalf("author cannot see own pending proposal: %v", err)
	}
	if err := w.store.Moderate(w.ctx, mod, forum.Target{Kind: forum.TargetProposal, ID: p.ID}, 0, forum.ActionApprove, ""); err != nil {
		t.Fatal(err)
	}
	page, _ := forum.ProposalsFor(w.ctx, w.db, forum.Viewer{}, w.c, forum.ProposalQuery{})
	if page.Total != 1 {
		t.Fatalf("approved proposal not listed: %d", page.Total)
	}
	cm := w.comment(t, author, w.reload(t, p), 0, "komentar")
	if cm.State != forum.StatePending || w.reload(t, p).Comments != 0 {
		t.Fatal("pending comment counted")
	}
	w.store.Moderate(w.ctx, mod, forum.Target{Kind: forum.TargetComment, ID: cm.ID}, 0, forum.ActionApprove, "")
	if w.reload(t, p).Comments != 1 {
		t.Fatal("approved comment not counted")
	}
}
