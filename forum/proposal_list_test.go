package forum_test

import (
	"math"
	"testing"

	"github.com/rembug/rembug/forum"
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
