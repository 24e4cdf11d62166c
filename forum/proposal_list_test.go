package forum_test

import (
	"fmt"
	"math"
	"testing"

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
			page, err := forum.ListProposals(w.ctx, w.db, forum.ProposalQuery{ConsultationID: w.c.ID, Page: tc.page, PerPage: tc.perPage})
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
