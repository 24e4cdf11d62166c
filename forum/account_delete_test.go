package forum_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/uptrace/bun"
)

func TestDeleteUserKeepsParticipant(t *testing.T) {
	ctx := context.Background()
	db := accountDB(t)
	u := mustUser(t, db, "hapus@contoh.test", forum.RoleParticipant)
	st := forum.NewStore(db, func() time.Time { return accountNow })
	p, _ := forum.UserParticipant(ctx, db, u, accountNow)
	forum.LinkIdentityAt(ctx, db, u.ID, "sso", "s-1", "hapus@contoh.test", accountNow)
	tok, _ := forum.CreateSession(ctx, db, u.ID, accountNow)
	st.GrantConsent(ctx, u.ID, forum.ConsentDemographics)
	st.SetProfileAnswers(ctx, u.ID, map[string]string{"age_group": "25_34"})
	x, err := forum.ExportUser(ctx, db, u.ID)
	if err != nil || x.User.Email != "hapus@contoh.test" || x.PublicID != p.PublicID || len(x.Identities) != 1 ||
		len(x.Sessions) != 1 || len(x.Consents) != 1 || x.Answers["age_group"] != "25_34" {
		t.Fatalf("export: %+v %v", x, err)
	}
	if err := st.DeleteAccount(ctx, forum.Viewer{User: &forum.User{ID: u.ID}}, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := forum.SessionUser(ctx, db, tok, accountNow); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("session survived deletion: %v", err)
	}
	if _, err := forum.IdentityUserAt(ctx, db, "sso", "s-1", accountNow); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("identity survived deletion: %v", err)
	}
	if _, err := forum.UserByEmail(ctx, db, "hapus@contoh.test"); errs.KindOf(err) != errs.NotFound {
		t.Fatal("email survived deletion")
	}
	still, err := forum.FindParticipant(ctx, db, forum.ParticipantUser, strconv.FormatInt(u.ID, 10))
	if err != nil || still.ID != p.ID || still.DisplayName != "" {
		t.Fatalf("participant after deletion: %+v %v", still, err)
	}
	// The address is free again for a new account.
	mustUser(t, db, "hapus@contoh.test", forum.RoleParticipant)
	if err := st.DeleteAccount(ctx, forum.Viewer{User: &forum.User{ID: u.ID}}, u.ID); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("deleting twice: %v", err)
	}
}

func TestMergeParticipantRefusals(t *testing.T) {
	ctx := context.Background()
	db := accountDB(t)
	u := mustUser(t, db, "m@contoh.test", forum.RoleParticipant)
	up, _ := forum.UserParticipant(ctx, db, u, accountNow)
	g, _ := forum.EnsureParticipant(ctx, db, forum.ParticipantGuest, forum.ParticipantGuest, "v1", accountNow)
	wantKey(t, forum.MergeParticipant(ctx, db, up.ID, g.ID), "error.merge_invalid")
	wantKey(t, forum.MergeParticipant(ctx, db, g.ID, g.ID), "error.merge_invalid")
	if err := forum.MergeParticipant(ctx, db, g.ID, 999999); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("merge into a missing participant: %v", err)
	}
	called := 0
	mover := func(ctx context.Context, tx bun.IDB, from, into int64) error {
		if from != g.ID || into != up.ID {
			t.Errorf("mover got %d→%d", from, into)
		}
		called++
		return nil
	}
	if err := forum.MergeParticipant(ctx, db, g.ID, up.ID, mover, mover); err != nil || called != 2 {
		t.Fatalf("merge: %v, movers called %d times", err, called)
	}
}
