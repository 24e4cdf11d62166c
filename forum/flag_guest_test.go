package forum_test

import (
	"testing"

	"github.com/rembug/rembug/forum"
)

// TestGuestFlagsDoNotHide: three guests' reports leave a comment visible
// (and in the moderation queue); three account holders' reports hide it;
// a second report by the same person is a no-op, not an error.
func TestGuestFlagsDoNotHide(t *testing.T) {
	w := newWorld(t)
	author := w.user(t, "ani", forum.RoleParticipant)
	mod := w.user(t, "mod", forum.RoleModerator)
	p := w.proposal(t, author, "Taman")
	cm := w.comment(t, author, p, 0, "kritik keras kepada dinas")
	target := forum.Target{Kind: forum.TargetComment, ID: cm.ID}
	for _, key := range []string{"g1", "g2", "g3", "g4"} {
		if err := w.store.Flag(w.ctx, w.guest(t, key), target, 0, "tidak suka"); err != nil {
			t.Fatalf("guest %s: %v", key, err)
		}
	}
	if w.reload(t, p).Comments != 1 {
		t.Fatal("guests' reports hid the comment")
	}
	q, err := forum.Queue(w.ctx, w.db, mod, w.c)
	if err != nil || len(q) != 1 || q[0].State != forum.StatePublished || len(q[0].Reports) != 4 {
		t.Fatalf("guests' reports not in the queue: %+v %v", q, err)
	}
	r1 := w.user(t, "r1", forum.RoleParticipant)
	for i := 0; i < 3; i++ {
		if err := w.store.Flag(w.ctx, r1, target, 0, "spam"); err != nil {
			t.Fatalf("report %d by the same account: %v", i+1, err)
		}
	}
	if w.reload(t, p).Comments != 1 {
		t.Fatal("one account's repeated reports hid the comment")
	}
	for _, who := range []string{"r2", "r3"} {
		if err := w.store.Flag(w.ctx, w.user(t, who, forum.RoleParticipant), target, 0, "spam"); err != nil {
			t.Fatal(err)
		}
	}
	if w.reload(t, p).Comments != 0 {
		t.Fatal("three account holders' reports did not hide the comment")
	}
	q, err = forum.Queue(w.ctx, w.db, mod, w.c)
	if err != nil || len(q) != 1 || q[0].State != forum.StateHidden || len(q[0].Reports) != 7 {
		t.Fatalf("queue after hiding: %+v %v", q, err)
	}
	if n, ok := forum.ParseAutoHide(q[0].StateReason); !ok || n != 3 {
		t.Fatalf("hide reason %q counts %d reports", q[0].StateReason, n)
	}
}
