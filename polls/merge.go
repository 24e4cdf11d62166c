package polls

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
)

// MergeVotes is polls' forum.ParticipantMerger: it moves participant
// from's statement votes (and the statements from wrote) to participant
// into, inside tx. Where into already voted on the same statement, into's
// vote wins and from's is dropped, so a guest who signs in to an account
// that had voted is counted once. The affected statements' counters and
// both participants' rows in consultation_voters are then rebuilt from the
// votes, exactly as Recount does for a whole consultation.
func MergeVotes(ctx context.Context, tx bun.IDB, from, into int64) error {
	var sids []int64
	if err := tx.NewSelect().Table("statement_votes").Column("statement_id").
		Where("participant_id = ?", from).Scan(ctx, &sids); err != nil {
		return fmt.Errorf("votes of %d: %w", from, err)
	}
	if _, err := tx.NewRaw(`UPDATE statements SET author_id = ? WHERE author_id = ?`, into, from).Exec(ctx); err != nil {
		return fmt.Errorf("move statements of %d: %w", from, err)
	}
	if len(sids) == 0 {
		return nil
	}
	var cids []int64
	if err := tx.NewSelect().Table("statements").ColumnExpr("DISTINCT consultation_id").
		Where("id IN (?)", bun.In(sids)).Scan(ctx, &cids); err != nil {
		return fmt.Errorf("consultations of %d: %w", from, err)
	}
	steps := []struct {
		what, sql string
		args      []any
	}{
		{"drop votes the account also cast", `DELETE FROM statement_votes WHERE participant_id = ? AND statement_id IN
			(SELECT statement_id FROM statement_votes WHERE participant_id = ?)`, []any{from, into}},
		{"move votes", `UPDATE statement_votes SET participant_id = ? WHERE participant_id = ?`, []any{into, from}},
		{"recount statements", `UPDATE statements SET
			agree_count = (SELECT COUNT(*) FROM statement_votes v WHERE v.statement_id = statements.id AND v.value = 1),
			disagree_count = (SELECT COUNT(*) FROM statement_votes v WHERE v.statement_id = statements.id AND v.value = -1),
			pass_count = (SELECT COUNT(*) FROM statement_votes v WHERE v.statement_id = statements.id AND v.value = 0)
			WHERE id IN (?)`, []any{bun.In(sids)}},
		{"drop voters", `DELETE FROM consultation_voters WHERE participant_id IN (?, ?) AND consultation_id IN (?)`,
			[]any{from, into, bun.In(cids)}},
		{"recount voters", `INSERT INTO consultation_voters (consultation_id, participant_id, visible_votes)
			SELECT s.consultation_id, v.participant_id, COUNT(*) FROM statement_votes v
			JOIN statements s ON s.id = v.statement_id
			WHERE v.participant_id = ? AND s.consultation_id IN (?) AND s.hidden = ?
			GROUP BY s.consultation_id, v.participant_id`, []any{into, bun.In(cids), false}},
	}
	for _, st := range steps {
		if _, err := tx.NewRaw(st.sql, st.args...).Exec(ctx); err != nil {
			return fmt.Errorf("merge votes %d into %d: %s: %w", from, into, st.what, err)
		}
	}
	return nil
}

// RegisterMerge registers polls' merge steps with m: statement votes
// (MergeVotes) and survey responses (MergeResponses).
func RegisterMerge(m *forum.Mergers) {
	m.Register("polls.statement_votes", MergeVotes)
	m.Register("polls.survey_responses", MergeResponses)
}

// MergeResponses is polls' forum.ParticipantMerger for surveys: it moves
// participant from's "has answered" rows and named responses to
// participant into, inside tx. Where into already answered the same
// survey, into's response wins: from's named response is deleted and its
// mark dropped. An anonymous response is linked to nobody, by design, so
// when both had answered the same anonymous survey before the merge both
// responses stay counted; from then on into cannot answer it again.
func MergeResponses(ctx context.Context, tx bun.IDB, from, into int64) error {
	_, err := tx.NewRaw(`DELETE FROM survey_responses WHERE participant_id = ? AND survey_id IN
		(SELECT survey_id FROM survey_respondents WHERE participant_id = ?)`, from, into).Exec(ctx)
	if err != nil {
		return fmt.Errorf("drop responses the account also gave: %w", err)
	}
	if _, err := forum.MergeKeyed(ctx, tx, "survey_respondents", "survey_id", "participant_id", from, into); err != nil {
		return err
	}
	if _, err := tx.NewRaw(`UPDATE survey_responses SET participant_id = ? WHERE participant_id = ?`, into, from).Exec(ctx); err != nil {
		return fmt.Errorf("move responses of %d: %w", from, err)
	}
	return nil
}

// ParticipantVote is one of a participant's votes with the statement and
// consultation it is about, for the participant's own data export.
type ParticipantVote struct {
	Consultation string `bun:"consultation" json:"consultation"`
	Statement    string `bun:"statement" json:"statement"`
	Value        int8   `bun:"value" json:"value"`
	VotedAt      string `bun:"-" json:"voted_at"`
}

// ParticipantVotes lists participant pid's votes on visible statements of
// public (non-draft) consultations, oldest first. Votes on statements that
// have since been hidden are left out, with their text (CASES C18: an export
// shows only what its owner may still see).
func ParticipantVotes(ctx context.Context, db bun.IDB, pid int64) ([]ParticipantVote, error) {
	var rows []struct {
		ParticipantVote
		At bun.NullTime `bun:"voted_at"`
	}
	err := db.NewSelect().TableExpr("statement_votes AS v").
		ColumnExpr("c.title AS consultation, s.text AS statement, v.value, v.voted_at").
		Join("JOIN statements AS s ON s.id = v.statement_id").
		Join("JOIN consultations AS c ON c.id = s.consultation_id").
		Where("v.participant_id = ? AND s.hidden = ? AND c.status <> ?", pid, false, "draft").
		Order("v.voted_at", "s.id").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("votes of %d: %w", pid, err)
	}
	out := make([]ParticipantVote, len(rows))
	for i, r := range rows {
		out[i] = r.ParticipantVote
		out[i].VotedAt = r.At.UTC().Format("2006-01-02T15:04:05Z")
	}
	return out, nil
}
