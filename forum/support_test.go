package forum_test

import (
	"sync"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// TestParallelSupportsCountOnce is CASES C01 at the store: 20 supports at
// once from one participant leave one row and a count of 1, and none fails.
func TestParallelSupportsCountOnce(t *testing.T) {
	w := newWorld(t)
	author := w.user(t, "ani", forum.RoleParticipant)
	fan := w.user(t, "budi", forum.RoleParticipant)
	p := w.proposal(t, author, "Taman untuk RW 03")
	var wg sync.WaitGroup
	errs := make([]error, 20)
	added := make([]bool, 20)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := w.store.Support(w.ctx, fan, &forum.Proposal{ID: p.ID, ConsultationID: w.c.ID, State: forum.StatePublished}, w.c)
			errs[i], added[i] = err, res.Added
		}()
	}
	wg.Wait()
	n := 0
	for i, err := range errs {
		if err != nil {
			t.Fatalf("support %d: %v", i, err)
		}
		if added[i] {
			n++
		}
	}
	rows, _ := w.db.NewSelect().Table("supports").Where("proposal_id = ?", p.ID).Count(w.ctx)
	if n != 1 || rows != 1 || w.reload(t, p).Supports != 1 {
		t.Fatalf("added %d times, %d rows, count %d", n, rows, w.reload(t, p).Supports)
	}
}

// TestSupportLimitUnderConcurrency gives a participant a limit of 2 and
// supports 6 proposals at once: exactly 2 succeed, the rest are conflicts.
func TestSupportLimitUnderConcurrency(t *testing.T) {
	w := newWorld(t)
	w.rules(t, forum.Rules{ConsultationID: w.c.ID, SupportLimit: 2, SupportThreshold: 1, FlagThreshold: 3})
	author := w.user(t, "ani", forum.RoleParticipant)
	fan := w.user(t, "budi", forum.RoleParticipant)
	var ps []*forum.Proposal
	for _, title := range []string{"Satu", "Dua usulan", "Tiga usulan", "Empat usulan", "Lima usulan", "Enam usulan"} {
		ps = append(ps, w.proposal(t, author, title))
	}
	var wg sync.WaitGroup
	results := make([]error, len(ps))
	for i, p := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, results[i] = w.store.Support(w.ctx, fan, p, w.c)
		}()
	}
	wg.Wait()
	ok, limited := 0, 0
	for _, err := range results {
		switch {
		case err == nil:
			ok++
		case errs.KindOf(err) == errs.Conflict:
			limited++
		default:
			t.Fatalf("unexpected error %v", err)
		}
	}
	rows, _ := w.db.NewSelect().Table("supports").Count(w.ctx)
	if ok != 2 || limited != 4 || rows != 2 {
		t.Fatalf("ok %d limited %d rows %d", ok, limited, rows)
	}
	// Withdrawing frees a slot; a supported proposal is qualified at 1.
	var supported *forum.Proposal
	for i, err := range results {
		if err == nil {
			supported = ps[i]
		}
	}
	if !w.reload(t, supported).Qualified(1) {
		t.Fatal("a proposal with 1 support is not qualified at threshold 1")
	}
	if _, err := w.store.Unsupport(w.ctx, fan, supported); err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.ID != supported.ID && w.reload(t, p).Supports == 0 {
			if _, err := w.store.Support(w.ctx, fan, p, w.c); err != nil {
				t.Fatalf("support after withdrawing: %v", err)
			}
			break
		}
	}
}

// TestSupportRules covers who may support: guests only when allowed, and
// nobody when the phase turns supports off.
func TestSupportRules(t *testing.T) {
	w := newWorld(t)
	author := w.user(t, "ani", forum.RoleParticipant)
	p := w.proposal(t, author, "Jalan rusak 🚧")
	g := w.guest(t, "tamu")
	if _, err := w.store.Support(w.ctx, g, p, w.c); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("guest support without permission: %v", err)
	}
	w.rules(t, forum.Rules{ConsultationID: w.c.ID, GuestSupports: true, FlagThreshold: 3})
	if res, err := w.store.Support(w.ctx, g, p, w.c); err != nil || res.Supports != 1 {
		t.Fatalf("guest support when allowed: %+v %v", res, err)
	}
	// A phase without supports closes them.
	w.phase(t, forum.Phase{ConsultationID: w.c.ID, Kind: "information", Features: "comments",
		StartsAt: t0.Add(-1e12), EndsAt: t0.Add(1e12)})
	if _, err := w.store.Support(w.ctx, w.guest(t, "lain"), p, w.c); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("support outside a supports phase: %v", err)
	}
}
