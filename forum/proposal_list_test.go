package forum_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// TestListProposalsHugePage asks for pages whose offset does not fit in
// 64 bits: the answer is an empty page (and the true total), never an
// error (PostgreSQL rejects a negative OFFSET) nor a wrapped-around first
// page.
func TestListProposalsHugePage(t *testing.T) {
	w := newWorld(t)
	author := w.user(t, "penulis", forum.RoleAdmin)
	w.proposal(t, author, "Taman kota")
	w.proposal(t, author, "Jalan desa")
	cases := []struct {
		name          string
		page, perPage int
	}{
		{"max int, per page 100", math.MaxInt, 100},
		{"max int, per page 2", math.MaxInt, 2},
		{"wraps to a small positive offset", math.MaxInt/50 + 1, 100},
		{"half of max int", math.MaxInt / 2, 20},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			page, err := forum.ListProposals(w.ctx, w.db, forum.ProposalQuery{ConsultationID: w.c.ID, Sort: forum.SortRandom, Page: tc.page, PerPage: tc.perPage})
			if err != nil {
				t.Fatalf("page %d: %v", tc.page, err)
			}
			if len(page.Proposals) != 0 {
				t.Errorf("page %d: %d proposals, want none", tc.page, len(page.Proposals))
			}
		})
	}
}

// TestListProposalsKeysetWhileSupportsChange reads the list sorted by
// supports in pages of 10 while supports change between the reads.
// Guaranteed: no proposal is repeated, and every proposal whose supports
// did not change is shown exactly once. The one skip possible is a
// proposal that rose from behind the cursor to ahead of it (it moved onto
// the page already read); the test makes that happen and checks it is the
// only proposal missing. (A proposal that lost supports from the read page
// to behind the cursor would be shown again; this test does not withdraw.)
func TestListProposalsKeysetWhileSupportsChange(t *testing.T) {
	w := newWorld(t)
	author := w.user(t, "penulis", forum.RoleAdmin)
	var ids []int64
	for i := 0; i < 30; i++ {
		p := w.proposal(t, author, fmt.Sprintf("Usulan %02d", i))
		ids = append(ids, p.ID)
		// Distinct supports 100, 98, … so the order is ids[0], ids[1], …
		if _, err := w.db.NewRaw("UPDATE proposals SET supports = ? WHERE id = ?", 100-2*i, p.ID).Exec(w.ctx); err != nil {
			t.Fatal(err)
		}
	}
	setSupports := func(id int64, n int) {
		t.Helper()
		if _, err := w.db.NewRaw("UPDATE proposals SET supports = ? WHERE id = ?", n, id).Exec(w.ctx); err != nil {
			t.Fatal(err)
		}
	}
	q := forum.ProposalQuery{ConsultationID: w.c.ID, Sort: forum.SortSupported, PerPage: 10}
	p1, err := forum.ListProposals(w.ctx, w.db, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(p1.Proposals) != 10 || p1.Next == "" || p1.Total != 30 {
		t.Fatalf("page 1: %d proposals, next %q, total %d", len(p1.Proposals), p1.Next, p1.Total)
	}
	// Between the reads: one proposal of page 1 gains supports (stays
	// ahead), one of page 2 gains a few (stays behind the cursor), one of
	// page 3 overtakes everything (moves ahead of the cursor).
	setSupports(ids[4], 95)  // was 92, page 1
	setSupports(ids[12], 81) // was 76, still behind the cursor (82, ids[9])
	setSupports(ids[25], 99) // was 50: moves ahead of the cursor
	seen := map[int64]int{}
	for _, p := range p1.Proposals {
		seen[p.ID]++
	}
	q.Cursor = p1.Next
	for q.Cursor != "" {
		pg, err := forum.ListProposals(w.ctx, w.db, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pg.Proposals {
			seen[p.ID]++
		}
		q.Cursor = pg.Next
	}
	for i, id := range ids {
		want := 1
		if i == 25 {
			want = 0 // moved ahead of the cursor: the only possible skip
		}
		if seen[id] != want {
			t.Errorf("proposal %d (ids[%d]) shown %d times, want %d", id, i, seen[id], want)
		}
	}
	if _, err := forum.ListProposals(w.ctx, w.db, forum.ProposalQuery{ConsultationID: w.c.ID, Sort: forum.SortSupported, Cursor: "bukan-kursor!"}); errs.KindOf(err) != errs.Invalid {
		t.Errorf("malformed cursor: %v, want errs.Invalid", err)
	}
}

// TestListProposalsBothWays reads the newest and the most supported
// orders forward and back (Next, then Prev) in pages of 10 while new
// proposals arrive at the head and supports change below the pages read:
// going back shows exactly the page read before, going forward again
// exactly the next one, and reading on to the end shows every proposal
// that did not move once. With offsets the arrivals would push page 1's
// last proposals onto page 2 again.
func TestListProposalsBothWays(t *testing.T) {
	for _, sort := range []string{forum.SortNewest, forum.SortSupported} {
		t.Run(sort, func(t *testing.T) {
			w := newWorld(t)
			author := w.user(t, "penulis", forum.RoleAdmin)
			var ids []int64
			for i := 0; i < 30; i++ {
				if i%3 != 0 {
					w.now = w.now.Add(time.Second) // every third shares its time: the id decides
				}
				p := w.proposal(t, author, fmt.Sprintf("Usulan %02d", i))
				ids = append(ids, p.ID)
				if _, err := w.db.NewRaw("UPDATE proposals SET supports = ? WHERE id = ?", (i/2)*3, p.ID).Exec(w.ctx); err != nil {
					t.Fatal(err)
				}
			}
			list := func(q forum.ProposalQuery) forum.ProposalPage {
				t.Helper()
				q.ConsultationID, q.Sort, q.PerPage = w.c.ID, sort, 10
				pg, err := forum.ListProposals(w.ctx, w.db, q)
				if err != nil {
					t.Fatal(err)
				}
				return pg
			}
			idsOf := func(pg forum.ProposalPage) string {
				var s []string
				for _, p := range pg.Proposals {
					s = append(s, fmt.Sprint(p.ID))
				}
				return strings.Join(s, ",")
			}
			p1 := list(forum.ProposalQuery{})
			if p1.Prev != "" || p1.Next == "" || len(p1.Proposals) != 10 {
				t.Fatalf("page 1: prev %q next %q, %d proposals", p1.Prev, p1.Next, len(p1.Proposals))
			}
			// New proposals arrive at the head of both orders.
			for i := 0; i < 3; i++ {
				w.now = w.now.Add(time.Minute)
				p := w.proposal(t, author, fmt.Sprintf("Baru %d", i))
				if _, err := w.db.NewRaw("UPDATE proposals SET supports = 1000 WHERE id = ?", p.ID).Exec(w.ctx); err != nil {
					t.Fatal(err)
				}
			}
			p2 := list(forum.ProposalQuery{Cursor: p1.Next})
			if strings.Contains(","+idsOf(p1)+",", ","+strings.Split(idsOf(p2), ",")[0]+",") || len(p2.Proposals) != 10 || p2.Prev == "" {
				t.Fatalf("page 2 after arrivals: %s (page 1 %s), prev %q", idsOf(p2), idsOf(p1), p2.Prev)
			}
			// A proposal further down gains supports without passing page 2.
			if _, err := w.db.NewRaw("UPDATE proposals SET supports = supports + 1 WHERE id = ?", ids[0]).Exec(w.ctx); err != nil {
				t.Fatal(err)
			}
			back := list(forum.ProposalQuery{Before: p2.Prev})
			if idsOf(back) != idsOf(p1) {
				t.Errorf("back from page 2: %s, want page 1 %s", idsOf(back), idsOf(p1))
			}
			if back.Prev == "" {
				t.Error("the arrivals ahead of page 1 have no link back to them")
			}
			if again := list(forum.ProposalQuery{Cursor: back.Next}); idsOf(again) != idsOf(p2) {
				t.Errorf("forward again: %s, want page 2 %s", idsOf(again), idsOf(p2))
			}
			if head := list(forum.ProposalQuery{Before: back.Prev}); len(head.Proposals) != 3 || head.Prev != "" {
				t.Errorf("the head: %d proposals, prev %q; want the 3 arrivals and no page before", len(head.Proposals), head.Prev)
			}
			seen := map[int64]int{}
			for q := (forum.ProposalQuery{}); ; {
				pg := list(q)
				for _, p := range pg.Proposals {
					seen[p.ID]++
				}
				if pg.Next == "" {
					break
				}
				q = forum.ProposalQuery{Cursor: pg.Next}
			}
			for _, id := range ids {
				if seen[id] != 1 {
					t.Errorf("proposal %d shown %d times", id, seen[id])
				}
			}
		})
	}
}
