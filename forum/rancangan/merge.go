package rancangan

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
)

// RegisterMerge registers the draft regulation's merge step with m
// (forum.Mergers): a guest's inputs and amendment supports move to the
// account at sign-in like every other participant-keyed row.
func RegisterMerge(m *forum.Mergers) { m.Register("rancangan", MergeParticipant) }

// MergeParticipant is rancangan's forum.ParticipantMerger: participant
// from's inputs (authorship) and supports of amendments move to
// participant into, inside tx. Where into had already supported the same
// amendment, into's support wins and from's is dropped; a support of an
// input that is now into's own is dropped too (nobody supports their own
// amendment). The inputs' support counts are then rebuilt from the rows.
func MergeParticipant(ctx context.Context, tx bun.IDB, from, into int64) error {
	ids, err := forum.MergeKeyed(ctx, tx, "draft_input_supports", "input_id", "participant_id", from, into)
	if err != nil {
		return err
	}
	res, err := tx.NewRaw(`UPDATE draft_inputs SET author_id = ? WHERE author_id = ?`, into, from).Exec(ctx)
	if err != nil {
		return fmt.Errorf("move draft inputs of %d: %w", from, err)
	}
	if n, _ := res.RowsAffected(); n == 0 && len(ids) == 0 {
		return nil
	}
	var own []int64
	if err := tx.NewRaw(`SELECT s.input_id FROM draft_input_supports s JOIN draft_inputs i ON i.id = s.input_id
		WHERE s.participant_id = ? AND i.author_id = ?`, into, into).Scan(ctx, &own); err != nil {
		return fmt.Errorf("own supports of %d: %w", into, err)
	}
	if len(own) > 0 {
		if _, err := tx.NewRaw(`DELETE FROM draft_input_supports WHERE participant_id = ? AND input_id IN (?)`,
			into, bun.In(own)).Exec(ctx); err != nil {
			return fmt.Errorf("drop own supports of %d: %w", into, err)
		}
		ids = append(ids, own...)
	}
	if len(ids) == 0 {
		return nil
	}
	_, err = tx.NewRaw(`UPDATE draft_inputs SET supports = (SELECT COUNT(*) FROM draft_input_supports s WHERE s.input_id = draft_inputs.id)
		WHERE id IN (?)`, bun.In(ids)).Exec(ctx)
	return err
}
