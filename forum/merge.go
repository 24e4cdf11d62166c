package forum

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// ParticipantMerger moves one package's participant-keyed rows (votes,
// answers, upvotes, ...) from participant from to participant into, inside
// the caller's transaction tx. Where into already has a row for the same
// target, into's row wins and from's is dropped, and any counters kept
// beside the rows are corrected, so that nothing is counted twice. Each
// package that owns participant-keyed rows provides one (polls.MergeVotes
// for statement votes); the web layer lists them where it calls
// MergeParticipant.
type ParticipantMerger func(ctx context.Context, tx bun.IDB, from, into int64) error

// MergeParticipant moves everything guest participant from did to
// participant into (a signed-in user's), running forum's own moves and then
// movers, in the order given, inside tx, which must be a transaction so
// that the merge happens whole or not at all. The guest's participant row
// stays, empty, so that its visitor cookie keeps working as a fresh guest.
// It returns an errs.Invalid error "error.merge_invalid" when from is not a
// guest or equals into, and ErrNotFound when either does not exist.
func MergeParticipant(ctx context.Context, tx bun.IDB, from, into int64, movers ...ParticipantMerger) error {
	if from == into {
		return errs.E(errs.Invalid, "error.merge_invalid", nil)
	}
	var ps []Participant
	if err := tx.NewSelect().Model(&ps).Where("id IN (?)", bun.In([]int64{from, into})).Scan(ctx); err != nil {
		return fmt.Errorf("merge participant %d into %d: %w", from, into, err)
	}
	if len(ps) != 2 {
		return errs.ErrNotFound
	}
	for _, p := range ps {
		if p.ID == from && p.Kind != ParticipantGuest {
			return errs.E(errs.Invalid, "error.merge_invalid", nil)
		}
	}
	for _, m := range movers {
		if err := m(ctx, tx, from, into); err != nil {
			return fmt.Errorf("merge participant %d into %d: %w", from, into, err)
		}
	}
	return nil
}
