package forum_test

import (
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/forumtest"
)

// TestRevokeInvite: a moderator sees the group's live invitations and
// revokes one; its link then refuses everyone with its own message, on the
// page that names the group and on joining, while another link still
// works. Only moderators may list or revoke; a key of another group, or
// one revoked already, is not found; the revocation is audited.
func TestRevokeInvite(t *testing.T) {
	w := newWorld(t)
	admin := w.user(t, "admin", forum.RoleAdmin)
	citizen := w.user(t, "warga", forum.RoleParticipant)
	g := &forum.FocusGroup{ConsultationID: w.c.ID, Name: "Kelompok"}
	other := &forum.FocusGroup{ConsultationID: w.c.ID, Name: "Lain"}
	for _, x := range []*forum.FocusGroup{g, other} {
		if err := w.store.CreateFocusGroup(w.ctx, admin, x); err != nil {
			t.Fatal(err)
		}
	}
	kept, err := w.store.Invite(w.ctx, admin, g, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	w.now = t0.Add(time.Minute)
	leaked, err := w.store.Invite(w.ctx, admin, g, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	live, err := forum.GroupInvites(w.ctx, w.db, admin, g, w.now)
	if err != nil || len(live) != 2 {
		t.Fatalf("live invitations: %+v %v", live, err)
	}
	for _, l := range live {
		if l.Key == kept || l.Key == leaked {
			t.Fatal("the list shows a token, not its hash")
		}
	}
	if _, err := forum.GroupInvites(w.ctx, w.db, citizen, g, w.now); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("a citizen lists invitations: %v", err)
	}
	newest := live[0].Key // newest first: the leaked one
	if err := w.store.RevokeInvite(w.ctx, citizen, g, newest); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("a citizen revokes: %v", err)
	}
	if err := w.store.RevokeInvite(w.ctx, admin, other, newest); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("revoked through another group: %v", err)
	}
	if err := w.store.RevokeInvite(w.ctx, admin, g, newest); err != nil {
		t.Fatal(err)
	}
	if err := w.store.RevokeInvite(w.ctx, admin, g, newest); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("revoked twice: %v", err)
	}
	u := &forum.User{DisplayName: "Gita", Email: "gita@contoh.test"}
	if err := forumtest.CreateUser(w.ctx, w.db, u, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := w.store.AcceptInvite(w.ctx, u, leaked); errs.KindOf(err) != errs.NotFound || errs.As(err).Key != "error.invite_revoked" {
		t.Fatalf("joined with a revoked link: %v", err)
	}
	if _, _, err := w.store.InviteGroup(w.ctx, leaked); errs.As(err) == nil || errs.As(err).Key != "error.invite_revoked" {
		t.Fatalf("a revoked link still names its group: %v", err)
	}
	if _, err := w.store.AcceptInvite(w.ctx, u, kept); err != nil {
		t.Fatalf("the other link: %v", err)
	}
	if live, _ = forum.GroupInvites(w.ctx, w.db, admin, g, w.now); len(live) != 1 {
		t.Fatalf("after revoking, live: %+v", live)
	}
	var audits int
	if err := w.db.NewRaw("SELECT COUNT(*) FROM audit_log WHERE action = 'invite_revoke' AND target_id = ?", g.ID).Scan(w.ctx, &audits); err != nil || audits != 1 {
		t.Fatalf("audit rows: %d %v", audits, err)
	}
}
