package polls

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/storage"
	"github.com/uptrace/bun"
)

// Vote values, as in Pol.is exports.
const (
	Agree    int8 = 1
	Disagree int8 = -1
	Pass     int8 = 0
)

// MaxStatementRunes bounds a statement's length in characters.
const MaxStatementRunes = 1000

// Statement is a short opinion that participants agree with, disagree with
// or pass on (pernyataan). SourceKey is the source's own id for an imported
// statement (Pol.is "comment-id"), empty for statements written here.
type Statement struct {
	bun.BaseModel `bun:"table:statements"`

	ID             int64  `bun:"id,pk,autoincrement" json:"id"`
	ConsultationID int64  `bun:"consultation_id,notnull" json:"-"`
	SourceKey      string `bun:"source_key,notnull" json:"source_id"`
	AuthorID       int64  `bun:"author_id,nullzero" json:"-"`
	Text           string `bun:"text,notnull" json:"text"`
	// Hidden statements are not public: hidden by a moderator, hidden in
	// the source, or Pending. Pending ones wait for a moderator under
	// pre-moderation; StateReason is the moderator's reason the author
	// reads (statement_submit.go).
	Hidden      bool   `bun:"hidden,notnull" json:"-"`
	Pending     bool   `bun:"pending,notnull" json:"-"`
	StateReason string `bun:"state_reason,notnull" json:"-"`
	// Origin says how the statement entered: OriginImported, OriginSeeded
	// or OriginSubmitted (statement_seed.go).
	Origin    string    `bun:"origin,notnull,default:'imported'" json:"-"`
	CreatedAt time.Time `bun:"created_at,notnull" json:"-"`
	// AgreeCount, DisagreeCount and PassCount count the statement's current
	// votes; CastVote and Recount keep them exact.
	AgreeCount    int `bun:"agree_count,notnull" json:"-"`
	DisagreeCount int `bun:"disagree_count,notnull" json:"-"`
	PassCount     int `bun:"pass_count,notnull" json:"-"`
}

// StatementVote is one participant's current vote on one statement.
type StatementVote struct {
	bun.BaseModel `bun:"table:statement_votes"`

	StatementID   int64     `bun:"statement_id,pk"`
	ParticipantID int64     `bun:"participant_id,pk"`
	Value         int8      `bun:"value,notnull"`
	VotedAt       time.Time `bun:"voted_at,notnull"`
}

// ValidVote reports whether v is Agree, Disagree or Pass.
func ValidVote(v int8) bool { return v == Agree || v == Disagree || v == Pass }

// VisibleStatement returns statement id of consultation cid if the public may
// see it, or errs.ErrNotFound (also for hidden statements and statements of
// another consultation, so that callers cannot probe for them).
func VisibleStatement(ctx context.Context, db bun.IDB, cid, id int64) (*Statement, error) {
	s := new(Statement)
	err := db.NewSelect().Model(s).
		Where("id = ? AND consultation_id = ? AND hidden = ?", id, cid, false).Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("statement %d: %w", id, err)
	}
	return s, nil
}

// CastVote records viewer v's vote value on visible statement sid of
// consultation c (v's participant votes; guests vote too, as on Pol.is),
// replacing any earlier vote of theirs on it, and keeps the statement's
// counters and the consultation's voter list exact, all in one
// transaction, at the Store's time. Votes are not audited (the hot path).
//
// The right to vote is decided inside that transaction (forum.Can write on
// the statement, with the facts read again there: forum.InTx), so a
// consultation closed, a phase moved on to one without statements, a
// block or a focus-group membership removed between the page load and the
// vote refuses it and writes nothing (c's status and stage are read there;
// only c's id is taken from the caller). It returns an errs.Invalid error
// for a value other than -1, 0 or 1, errs.ErrNotFound for a statement that
// is hidden, missing or in another consultation, and forum.Can's errors.
// Concurrent calls for the same pair leave exactly one vote, counted once:
// the insert either creates the row or meets the existing one, which is
// then locked before it changes.
func (st *Store) CastVote(ctx context.Context, v forum.Viewer, c *forum.Consultation, sid int64, value int8) error {
	if !ValidVote(value) {
		return errs.E(errs.Invalid, "error.vote_invalid", nil)
	}
	cid, pid := c.ID, v.ParticipantID
	return st.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		s, err := VisibleStatement(ctx, tx, cid, sid)
		if err != nil {
			return err
		}
		if err := forum.Can(ctx, v, forum.ActWrite, forum.Item{Kind: forum.ItemStatement, Consultation: c, Stage: &forum.Stage{},
			Guests: true, AuthorID: s.AuthorID}); err != nil {
			return err
		}
		vote := &StatementVote{StatementID: sid, ParticipantID: pid, Value: value, VotedAt: now}
		res, err := tx.NewInsert().Model(vote).On("CONFLICT (statement_id, participant_id) DO NOTHING").Exec(ctx)
		if err != nil {
			return fmt.Errorf("vote on statement %d by %d: %w", sid, pid, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			if err := bump(ctx, tx, sid, value, 1); err != nil {
				return err
			}
			_, err = tx.NewRaw(`INSERT INTO consultation_voters (consultation_id, participant_id, visible_votes)
				VALUES (?, ?, 1) ON CONFLICT (consultation_id, participant_id)
				DO UPDATE SET visible_votes = consultation_voters.visible_votes + 1`, cid, pid).Exec(ctx)
			return err
		}
		var old StatementVote
		q := tx.NewSelect().Model(&old).Where("statement_id = ? AND participant_id = ?", sid, pid)
		if storage.Postgres(tx) {
			q = q.For("UPDATE")
		}
		if err := q.Scan(ctx); err != nil {
			return fmt.Errorf("read vote on %d by %d: %w", sid, pid, err)
		}
		if old.Value == value {
			return nil
		}
		if _, err := tx.NewUpdate().Model(vote).Column("value", "voted_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("change vote on %d by %d: %w", sid, pid, err)
		}
		if err := bump(ctx, tx, sid, old.Value, -1); err != nil {
			return err
		}
		return bump(ctx, tx, sid, value, 1)
	})
}

// counterColumn names the statements column that counts votes of value v.
func counterColumn(v int8) string {
	switch v {
	case Agree:
		return "agree_count"
	case Disagree:
		return "disagree_count"
	}
	return "pass_count"
}

func bump(ctx context.Context, db bun.IDB, sid int64, v int8, delta int) error {
	col := counterColumn(v)
	_, err := db.NewUpdate().Table("statements").Set("? = ? + ?", bun.Ident(col), bun.Ident(col), delta).
		Where("id = ?", sid).Exec(ctx)
	if err != nil {
		return fmt.Errorf("count vote on %d: %w", sid, err)
	}
	return nil
}

// Recount rebuilds consultation cid's statement counters and voter list
// from its votes. Imports call it after writing votes in bulk, and
// moderation after hiding or restoring a statement (a participant counts as
// a voter only through votes on visible statements). It runs in tx, the
// transaction of the write that needs it.
func Recount(ctx context.Context, db bun.Tx, cid int64) error {
	_, err := db.NewRaw(`UPDATE statements SET
		agree_count = (SELECT COUNT(*) FROM statement_votes v WHERE v.statement_id = statements.id AND v.value = 1),
		disagree_count = (SELECT COUNT(*) FROM statement_votes v WHERE v.statement_id = statements.id AND v.value = -1),
		pass_count = (SELECT COUNT(*) FROM statement_votes v WHERE v.statement_id = statements.id AND v.value = 0)
		WHERE consultation_id = ?`, cid).Exec(ctx)
	if err != nil {
		return fmt.Errorf("recount statements of %d: %w", cid, err)
	}
	if _, err := db.NewRaw(`DELETE FROM consultation_voters WHERE consultation_id = ?`, cid).Exec(ctx); err != nil {
		return fmt.Errorf("recount voters of %d: %w", cid, err)
	}
	_, err = db.NewRaw(`INSERT INTO consultation_voters (consultation_id, participant_id, visible_votes)
		SELECT s.consultation_id, v.participant_id, COUNT(*) FROM statement_votes v
		JOIN statements s ON s.id = v.statement_id
		WHERE s.consultation_id = ? AND s.hidden = ?
		GROUP BY s.consultation_id, v.participant_id`, cid, false).Exec(ctx)
	if err != nil {
		return fmt.Errorf("recount voters of %d: %w", cid, err)
	}
	return nil
}

// NextStatement returns the statement participant pid sees next in
// consultation cid: the first visible statement they have not voted on in
// their own order (OrderForParticipant: random but stable per
// participant; oldest first for pid 0, a visitor who has not voted yet),
// and how many such statements remain including it. It returns (nil, 0,
// nil) when none remain.
//
// It reads the ids of the consultation's visible statements and of the
// participant's own votes, never the consultation's votes.
func NextStatement(ctx context.Context, db bun.IDB, cid, pid int64) (*Statement, int, error) {
	var ids []int64
	err := db.NewSelect().Model((*Statement)(nil)).Column("id").
		Where("consultation_id = ? AND hidden = ?", cid, false).
		Where("id NOT IN (SELECT statement_id FROM statement_votes WHERE participant_id = ?)", pid).
		Scan(ctx, &ids)
	if err != nil {
		return nil, 0, fmt.Errorf("unvoted statements of %d in %d: %w", pid, cid, err)
	}
	if len(ids) == 0 {
		return nil, 0, nil
	}
	s := new(Statement)
	if err := db.NewSelect().Model(s).Where("id = ?", FirstForParticipant(ids, pid)).Scan(ctx); err != nil {
		return nil, 0, fmt.Errorf("next statement in %d: %w", cid, err)
	}
	return s, len(ids), nil
}

// VotesOf maps statement ids of consultation cid to participant pid's vote.
func VotesOf(ctx context.Context, db bun.IDB, cid, pid int64) (map[int64]int8, error) {
	var rows []StatementVote
	err := db.NewSelect().Model(&rows).
		Where("participant_id = ?", pid).
		Where("statement_id IN (SELECT id FROM statements WHERE consultation_id = ?)", cid).
		Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("votes of %d in %d: %w", pid, cid, err)
	}
	m := make(map[int64]int8, len(rows))
	for _, r := range rows {
		m[r.StatementID] = r.Value
	}
	return m, nil
}

// StatementsBySource maps the source keys of consultation cid's imported
// statements to their ids.
func StatementsBySource(ctx context.Context, db bun.IDB, cid int64) (map[string]int64, error) {
	var rows []Statement
	err := db.NewSelect().Model(&rows).Column("id", "source_key").
		Where("consultation_id = ? AND source_key <> ''", cid).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("statements of %d: %w", cid, err)
	}
	m := make(map[string]int64, len(rows))
	for _, r := range rows {
		m[r.SourceKey] = r.ID
	}
	return m, nil
}
