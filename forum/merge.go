package forum

import (
	"context"
	"fmt"
	"strconv"

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
// that the merge happens whole or not at all.
//
// The guest is retired in the same transaction: its row stays, empty,
// with merged_into set and its visitor key moved aside, so that the
// visitor cookie acts as a new guest from then on. A write by the guest
// that is still in flight cannot land beside the account: on PostgreSQL
// the merge takes the guest's row for update first, and a guest's write
// holds it in share mode from its access check (Can inside the write's
// transaction) to its commit, so the two run one after the other; a write
// that runs after the merge finds the guest retired and is refused with
// errs.Conflict "error.signed_in_meanwhile" (SQLite has one writer, so
// only that second case arises there).
//
// It returns an errs.Invalid error "error.merge_invalid" when from is not a
// guest or equals into, and ErrNotFound when either does not exist.
func MergeParticipant(ctx context.Context, tx bun.IDB, from, into int64, movers ...ParticipantMerger) error {
	if from == into {
		return errs.E(errs.Invalid, "error.merge_invalid", nil)
	}
	if err := lockParticipant(ctx, tx, from); err != nil {
		return err
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
	_, err := tx.NewRaw(`UPDATE participants SET merged_into = ?, source = ?, source_key = ? WHERE id = ?`,
		into, mergedSource, strconv.FormatInt(from, 10), from).Exec(ctx)
	if err != nil {
		return fmt.Errorf("retire guest %d: %w", from, err)
	}
	return nil
}

// mergedSource is the source of a retired guest's participant row; its
// key is the row's own id, so that retiring never collides.
const mergedSource = "merged"
