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

// Merged tells the open live sessions that participant into has just taken
// over a guest's rows (MergeParticipant, after its transaction committed):
// every question into has upvoted or asked and every poll into has
// answered, in sessions still open, gets a fresh counter event read back
// from the database, so the pages that show them drop the upvotes and
// answers the merge removed as duplicates instead of keeping the doubled
// counts they held. A read failure is logged; the counts are right in
// every later snapshot.
func (s *Service) Merged(ctx context.Context, into int64) {
	var qs, ps []struct {
		ID        int64 `bun:"id"`
		SessionID int64 `bun:"session_id"`
	}
	err := s.db.NewRaw(`SELECT q.id, q.session_id FROM live_questions AS q
		JOIN live_sessions AS s ON s.id = q.session_id AND s.open
		WHERE q.participant_id = ? OR q.id IN (SELECT question_id FROM live_upvotes WHERE participant_id = ?)`, into, into).Scan(ctx, &qs)
	if err == nil {
		err = s.db.NewRaw(`SELECT p.id, p.session_id FROM live_polls AS p
			JOIN live_sessions AS s ON s.id = p.session_id AND s.open
			WHERE p.id IN (SELECT poll_id FROM live_poll_answers WHERE participant_id = ?)`, into).Scan(ctx, &ps)
	}
	if err != nil {
		s.log.Warn("live: counts after a merge", "participant", into, "err", err)
		return
	}
	for _, q := range qs {
		s.counter('q', q.SessionID, q.ID)
	}
	for _, p := range ps {
		s.counter('p', p.SessionID, p.ID)
	}
}
