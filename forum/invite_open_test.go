package forum_test

import (
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// TestAcceptInviteNeedsOpenConsultation: an invitation to a focus group is
// accepted only while its consultation is open, read in the accepting
// transaction through forum.Can; archived or closed refuses with a
// translated message, made draft is not found, as for opening the link.
func TestAcceptInviteNeedsOpenConsultation(t *testing.T) {
	w := newWorld(t)
	admin := w.user(t, "admin", forum.RoleAdmin)
	g := &forum.FocusGroup{ConsultationID: w.c.ID, Name: "Kelompok"}
	if err := w.store.CreateFocusGroup(w.ctx, admin, g); err != nil {
		t.Fatal(err)
	}
	link, err := w.store.Invite(w.ctx, admin, g, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	setStatus := func(status string) {
		t.Helper()
		in := forum.ConsultationInput{Title: w.c.Title, Summary: w.c.Summary, Status: status}
		if err := w.store.UpdateConsultation(w.ctx, admin, w.c, in); err != nil {
			t.Fatal(err)
		}
	}
	for i, tc := range []struct {
		status, key string
		kind        errs.Kind
	}{
		{forum.StatusArchived, "error.invite_closed", errs.Forbidden},
		{forum.StatusClosed, "error.invite_closed", errs.Forbidden},
		{forum.StatusDraft, "error.invite_invalid", errs.NotFound},
	} {
		setStatus(tc.status)
		u := w.user(t, "warga"+string(rune('a'+i)), forum.RoleParticipant)
		_, err := w.store.AcceptInvite(w.ctx, u.User, link)
		if e := errs.As(err); e == nil || e.Kind != tc.kind || e.Key != tc.key {
			t.Fatalf("accepted in a %s consultation: %v", tc.status, err)
		}
		if ms, err := forum.Members(w.ctx, w.db, admin, g); err != nil || len(ms) != 0 {
			t.Fatalf("%s: members %v %+v", tc.status, err, ms)
		}
	}
	setStatus(forum.StatusOpen)
	if _, err := w.store.AcceptInvite(w.ctx, w.user(t, "wargaz", forum.RoleParticipant).User, link); err != nil {
		t.Fatalf("open again: %v", err)
	}
}
