package live

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
)

// RegisterMerge registers live's merge step with m (MergeParticipant).
func RegisterMerge(m *forum.Mergers) { m.Register("live", MergeParticipant) }

// MergeParticipant is live's forum.ParticipantMerger: participant from's
// questions, upvotes and live poll answers move to participant into,
// inside tx. Where into had already upvoted the same question or answered
// the same poll, into's earlier upvote or answer wins and from's is
// dropped; the questions' upvote counts and the polls' answer counts are
// then rebuilt from the rows, and their versions bumped so that caches
// reload them.
func MergeParticipant(ctx context.Context, tx bun.IDB, from, into int64) error {
	qids, err := forum.MergeKeyed(ctx, tx, "live_upvotes", "question_id", "participant_id", from, into)
	if err != nil {
		return err
	}
	if len(qids) > 0 {
		_, err := tx.NewRaw(`UPDATE live_questions SET upvotes = (SELECT COUNT(*) FROM live_upvotes u WHERE u.question_id = live_questions.id),
			version = version + 1 WHERE id IN (?)`, bun.In(qids)).Exec(ctx)
		if err != nil {
			return err
		}
	}
	pids, err := forum.MergeKeyed(ctx, tx, "live_poll_answers", "poll_id", "participant_id", from, into)
	if err != nil {
		return err
	}
	if len(pids) > 0 {
		_, err := tx.NewRaw(`UPDATE live_polls SET answers = (SELECT COUNT(*) FROM live_poll_answers a WHERE a.poll_id = live_polls.id),
			version = version + 1 WHERE id IN (?)`, bun.In(pids)).Exec(ctx)
		if err != nil {
			return err
		}
	}
	_, err = tx.NewRaw(`UPDATE live_questions SET participant_id = ? WHERE participant_id = ?`, into, from).Exec(ctx)
	return err
}
