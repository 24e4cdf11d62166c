package forum

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// FlagAuthor reports the participant who wrote content t (a proposal or a
// comment v may see) with a reason: the report lands in the moderation
// queue of t's consultation as a participant report, where a moderator may
// block them. The author's id never leaves the server: the form names the
// content, not the person. Reporting yourself is errs.Invalid; content v
// cannot see is errs.NotFound; once per reporter and participant.
func (s *Store) FlagAuthor(ctx context.Context, v Viewer, t Target, reason string) error {
	db := s.db
	if t.Kind != TargetProposal && t.Kind != TargetComment {
		return errs.E(errs.Invalid, "error.bad_form", nil)
	}
	cons, group, state, author, err := target(ctx, db, t)
	if err != nil {
		return err
	}
	c, err := ConsultationByRef(ctx, db, fmt.Sprint(cons))
	if err != nil {
		return err
	}
	if err := Can(ctx, v, ActRead, Item{Kind: targetKind(t), Consultation: c, GroupID: group, State: state, AuthorID: author}); err != nil {
		return err
	}
	if author == v.ParticipantID {
		return errs.E(errs.Invalid, "error.flag_self", nil)
	}
	return s.Flag(ctx, v, Target{Kind: TargetUser, ID: author}, cons, reason)
}

// ParticipantNames maps participant ids to their display names (a signed-in
// user's name for user participants), for the moderation queue.
func ParticipantNames(ctx context.Context, db bun.IDB, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID   int64  `bun:"id"`
		Name string `bun:"name"`
	}
	err := db.NewSelect().TableExpr("participants AS pt").
		Join("LEFT JOIN users AS u ON pt.source = ? AND pt.source_key = CAST(u.id AS VARCHAR(40))", ParticipantUser).
		ColumnExpr("pt.id, COALESCE(u.display_name, pt.display_name) AS name").
		Where("pt.id IN (?)", bun.In(ids)).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// BlockedParticipant is a participant reported in a consultation and
// blocked, with the block's reason.
type BlockedParticipant struct {
	ParticipantID int64  `bun:"participant_id"`
	Name          string `bun:"-"`
	Reason        string `bun:"reason"`
}

// BlockedIn lists the participants reported in consultation c who are
// blocked there or site-wide, for its moderators and analysts (errs.Forbidden otherwise).
func BlockedIn(ctx context.Context, db bun.IDB, v Viewer, c *Consultation) ([]BlockedParticipant, error) {
	if err := Can(ctx, v, ActRead, Item{Kind: ItemModerationLog, Consultation: c}); err != nil {
		return nil, err
	}
	var out []BlockedParticipant
	err := db.NewSelect().TableExpr("blocks AS b").ColumnExpr("b.participant_id, b.reason").
		Where("b.consultation_id IN (0, ?)", c.ID).
		Where("b.participant_id IN (SELECT target_id FROM flags WHERE consultation_id = ? AND target_kind = ?)", c.ID, TargetUser).
		Order("b.participant_id").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("blocked participants: %w", err)
	}
	ids := make([]int64, len(out))
	for i := range out {
		ids[i] = out[i].ParticipantID
	}
	names, err := ParticipantNames(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Name = names[out[i].ParticipantID]
	}
	return out, nil
}
