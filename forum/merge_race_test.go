package forum_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
)

// TestGuestWritesDuringSignIn: a guest's page is open (its rights loaded
// as the guest) and it sends 20 supports around the moment the same person signs in to
// an account that had already supported each of the 20 proposals. Every
// support either went in before the merge, and was merged into the
// account's, or is refused with "error.signed_in_meanwhile"; none lands
// beside the account, so each proposal counts the person once. Afterwards
// the guest's stale rights are refused, and the same visitor cookie acts
// as a fresh guest. On PostgreSQL the writes and the merge really overlap
// (the merge takes the guest's row for update; each write holds it in
// share mode from its check to its commit); SQLite runs them one at a time.
func TestGuestWritesDuringSignIn(t *testing.T) {
	w := newWorld(t)
	w.rules(t, forum.Rules{ConsultationID: w.c.ID, GuestSupports: true, FlagThreshold: 3})
	ani := w.user(t, "ani", forum.RoleParticipant)
	const n = 20
	ps := make([]*forum.Proposal, n)
	for i := range ps {
		ps[i] = w.proposal(t, ani, fmt.Sprintf("Usulan nomor %d", i+1))
	}
	sari := w.user(t, "sari", forum.RoleParticipant)
	for _, p := range ps {
		if _, err := w.store.Support(w.ctx, sari, p, w.c); err != nil {
			t.Fatal(err)
		}
	}
	guest := w.guest(t, "tamu-sari") // the page the guest loaded before signing in

	// Half the supports start first; the sign-in starts with the other
	// half once three of the first have returned, so that some supports
	// finish before the merge, some overlap it and some come after.
	first, second := make(chan struct{}), make(chan struct{})
	var done sync.WaitGroup
	done.Add(3)
	var wg sync.WaitGroup
	results := make([]error, n)
	for i := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i < n/2 {
				<-first
			} else {
				<-second
			}
			_, results[i] = w.store.Support(w.ctx, guest, ps[i], w.c)
			if i < 3 {
				done.Done()
			}
		}()
	}
	var signInErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-second
		_, signInErr = w.store.SignIn(w.ctx, sari.User, "", "tamu-sari", forum.NewMergers())
	}()
	close(first)
	done.Wait()
	close(second)
	wg.Wait()
	if signInErr != nil {
		t.Fatal(signInErr)
	}
	before, refused := 0, 0
	for i, err := range results {
		switch {
		case err == nil:
			before++
		case errs.KindOf(err) == errs.Conflict && errs.As(err).Key == "error.signed_in_meanwhile":
			refused++
		default:
			t.Errorf("support %d: %v", i, err)
		}
		if got := w.reload(t, ps[i]).Supports; got != 1 {
			t.Errorf("proposal %d counts %d supports, want 1 (the same person)", i, got)
		}
		if got := rows(t, w, "supports", "proposal_id = ?", ps[i].ID); got != 1 {
			t.Errorf("proposal %d has %d support rows, want 1", i, got)
		}
	}
	if got := rows(t, w, "supports", "participant_id = ?", guest.ParticipantID); got != 0 {
		t.Errorf("%d supports stayed with the merged guest", got)
	}
	t.Logf("%d supports went in before the merge, %d were refused after it", before, refused)

	// The stale page is refused, whatever it sends next.
	extra := w.proposal(t, ani, "Usulan sesudahnya")
	if _, err := w.store.Support(w.ctx, guest, extra, w.c); errs.KindOf(err) != errs.Conflict {
		t.Errorf("support with the guest's rights after sign-in: %v, want conflict", err)
	}
	if got := w.reload(t, extra).Supports; got != 0 {
		t.Errorf("the refused support counted: %d", got)
	}
	// The same cookie later (signed out) is a new, empty guest.
	again := w.guest(t, "tamu-sari")
	if again.ParticipantID == guest.ParticipantID {
		t.Fatal("the visitor cookie still maps to the merged guest")
	}
	if _, err := w.store.Support(w.ctx, again, extra, w.c); err != nil {
		t.Errorf("a fresh guest on the same cookie: %v", err)
	}
}

// TestMergeWaitsForGuestWrite (PostgreSQL): a guest's write transaction
// has passed its access check (which holds the guest's participant row in
// share mode) but not yet committed when the same person signs in. The
// sign-in's merge waits for that write to commit and then moves its row to
// the account, instead of merging without it and leaving the row with the
// guest beside the account's own.
func TestMergeWaitsForGuestWrite(t *testing.T) {
	w := newWorld(t)
	if !storage.Postgres(w.db) {
		t.Skip("SQLite has one writer: a write and a merge never overlap")
	}
	ani := w.user(t, "ani", forum.RoleParticipant)
	p := w.proposal(t, ani, "Lampu jalan")
	sari := w.user(t, "sari", forum.RoleParticipant)
	guest := w.guest(t, "tamu-sari")

	tx, err := w.db.BeginTx(w.ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck // committed below
	ctx := forum.InTx(w.ctx, tx, t0)
	if err := forum.ReadViewersAgain(ctx, []forum.Viewer{guest}); err != nil { // the write's access check
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(w.ctx, "INSERT INTO supports (proposal_id, participant_id, created_at) VALUES (?, ?, ?)",
		p.ID, guest.ParticipantID, t0); err != nil {
		t.Fatal(err)
	}
	signedIn := make(chan error, 1)
	go func() {
		_, err := w.store.SignIn(w.ctx, sari.User, "", "tamu-sari", forum.NewMergers())
		signedIn <- err
	}()
	// Commit the write once the merge is waiting for it, or once the merge
	// has finished without waiting (the defect).
	var early error
	finished := false
	for i := 0; i < 500 && !finished; i++ {
		var waiting int
		if err := w.db.NewRaw(`SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()
			AND wait_event_type = 'Lock' AND query LIKE '%participants%'`).Scan(w.ctx, &waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		select {
		case early = <-signedIn:
			finished = true
		case <-time.After(10 * time.Millisecond):
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if !finished {
		early = <-signedIn
	}
	if early != nil {
		t.Fatal(early)
	}
	if finished {
		t.Error("the merge finished while the guest's write was still open")
	}
	if got := rows(t, w, "supports", "participant_id = ?", guest.ParticipantID); got != 0 {
		t.Errorf("%d supports stayed with the merged guest", got)
	}
	if got := rows(t, w, "supports", "participant_id = ? AND proposal_id = ?", sari.ParticipantID, p.ID); got != 1 {
		t.Errorf("the account has %d supports of the proposal, want the guest's one moved", got)
	}
}
