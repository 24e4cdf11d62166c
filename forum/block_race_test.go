package forum_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// TestBlockRefusesStaleViewer checks that a block committed after a
// participant's rights were loaded still refuses their next support,
// comment, comment vote and proposal: each write re-reads the blocks inside
// its own transaction, so the Viewer a request loaded first is not the last
// word. Nothing is written by the refused writes.
func TestBlockRefusesStaleViewer(t *testing.T) {
	w := newWorld(t)
	ani, budi := w.user(t, "ani", forum.RoleParticipant), w.user(t, "budi", forum.RoleParticipant)
	p := w.proposal(t, ani, "Lampu jalan")
	cm := w.comment(t, ani, p, 0, "Setuju, gelap sekali")
	stale := budi // loaded before the block
	if err := w.store.Moderate(w.ctx, w.staff(t), forum.Target{Kind: forum.TargetUser, ID: budi.ParticipantID}, w.c.ID, forum.ActionBlock, "spam"); err != nil {
		t.Fatal(err)
	}
	writes := map[string]func() error{
		"support": func() error { _, err := w.store.Support(w.ctx, stale, p, w.c); return err },
		"comment": func() error {
			_, _, err := w.store.AddComment(w.ctx, stale, w.c, p, forum.CommentInput{Body: "Saya juga"})
			return err
		},
		"comment vote": func() error { return w.store.VoteComment(w.ctx, stale, w.c, cm, 1) },
		"proposal": func() error {
			_, _, err := w.store.CreateProposal(w.ctx, stale, w.c, forum.ProposalInput{Title: "Halte bus baru"})
			return err
		},
	}
	for name, write := range writes {
		if err := write(); errs.KindOf(err) != errs.Forbidden {
			t.Errorf("%s with rights loaded before the block: %v, want forbidden", name, err)
		}
	}
	for table, where := range map[string]string{"supports": "participant_id = ?", "comments": "author_id = ?",
		"comment_votes": "participant_id = ?", "proposals": "author_id = ?"} {
		if n := rows(t, w, table, where, budi.ParticipantID); n != 0 {
			t.Errorf("%d %s written by the blocked participant", n, table)
		}
	}
}

// TestBlockDuringSupports runs 20 supports of one participant, each on its
// own proposal and each with rights loaded before any of them started,
// while a moderator blocks that participant. Every support that reported
// success is stored and counted once, every refused one left nothing, and
// once the block has returned the same stale rights are refused.
func TestBlockDuringSupports(t *testing.T) {
	w := newWorld(t)
	ani, budi := w.user(t, "ani", forum.RoleParticipant), w.user(t, "budi", forum.RoleParticipant)
	const n = 20
	ps := make([]*forum.Proposal, n)
	for i := range ps {
		ps[i] = w.proposal(t, ani, fmt.Sprintf("Usulan nomor %d", i+1))
	}
	mod := w.staff(t)
	start := make(chan struct{})
	var wg sync.WaitGroup
	results := make([]error, n)
	for i := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, results[i] = w.store.Support(w.ctx, budi, ps[i], w.c)
		}()
	}
	var blockErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-start
		blockErr = w.store.Moderate(w.ctx, mod, forum.Target{Kind: forum.TargetUser, ID: budi.ParticipantID}, w.c.ID, forum.ActionBlock, "spam")
	}()
	close(start)
	wg.Wait()
	if blockErr != nil {
		t.Fatal(blockErr)
	}
	ok := 0
	for i, err := range results {
		stored := rows(t, w, "supports", "proposal_id = ? AND participant_id = ?", ps[i].ID, budi.ParticipantID)
		switch {
		case err == nil:
			ok++
			if stored != 1 || w.reload(t, ps[i]).Supports != 1 {
				t.Errorf("support %d succeeded but %d rows, count %d", i, stored, w.reload(t, ps[i]).Supports)
			}
		case errs.KindOf(err) == errs.Forbidden:
			if stored != 0 || w.reload(t, ps[i]).Supports != 0 {
				t.Errorf("support %d was refused but left %d rows", i, stored)
			}
		default:
			t.Errorf("support %d: %v", i, err)
		}
	}
	if _, err := w.store.Support(w.ctx, budi, ps[0], w.c); errs.KindOf(err) != errs.Forbidden {
		t.Errorf("support after the block: %v, want forbidden", err)
	}
	t.Logf("%d of %d supports went in before the block", ok, n)
}
