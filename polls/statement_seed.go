package polls

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/storage"
)

// How a statement entered its consultation (Statement.Origin).
const (
	// OriginImported statements came from another platform's export
	// (Pol.is); every statement written before origins were recorded is one.
	OriginImported = "imported"
	// OriginSeeded statements were written by the consultation's staff
	// (the "seed statements" of Pol.is).
	OriginSeeded = "seeded"
	// OriginSubmitted statements were written by participants.
	OriginSubmitted = "submitted"
)

// Origins lists the origins in the order reports show them.
var Origins = []string{OriginSeeded, OriginSubmitted, OriginImported}

var originMigration = storage.Migration{
	Name: "20261202124000", Comment: "statement_origin",
	Up: []string{
		`ALTER TABLE statements ADD COLUMN origin VARCHAR(16) NOT NULL DEFAULT 'imported'`,
	},
	Down: []string{`ALTER TABLE statements DROP COLUMN origin`},
}

// SeedStatement adds statement text, written by staff viewer v, to
// consultation cid as a visible seeded statement, with its audit entry
// ("statement_seed"), in one transaction at the Store's time. v must
// moderate the consultation (forum.Can, checked inside the transaction;
// errs.Forbidden otherwise). Text is
// trimmed; it returns an errs.Invalid error when it is empty or longer than
// MaxStatementRunes user-perceived characters (grapheme.Count).
func (st *Store) SeedStatement(ctx context.Context, v forum.Viewer, cid int64, text string) (*Statement, error) {
	text, err := statementText(text)
	if err != nil {
		return nil, err
	}
	s := &Statement{ConsultationID: cid, Text: text, Origin: OriginSeeded}
	err = st.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		// Inside the transaction Can reads the consultation and v's rights
		// again, so a moderator who lost the role since the page loaded
		// is refused.
		it := forum.Item{Kind: forum.ItemStatement, Consultation: &forum.Consultation{ID: cid, Status: forum.StatusOpen}}
		if err := forum.Can(ctx, v, forum.ActModerate, it); err != nil {
			return err
		}
		s.CreatedAt = now
		if _, err := tx.NewInsert().Model(s).Exec(ctx); err != nil {
			return fmt.Errorf("seed statement in %d: %w", cid, err)
		}
		return forum.Audit(ctx, tx, v, "statement_seed", "statement", s.ID, cid, "", now)
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// OriginCounts maps each origin to the number of consultation cid's
// statements, hidden ones included, that entered that way.
func OriginCounts(ctx context.Context, db bun.IDB, cid int64) (map[string]int, error) {
	var rows []struct {
		Origin string `bun:"origin"`
		N      int    `bun:"n"`
	}
	err := db.NewSelect().Table("statements").ColumnExpr("origin, COUNT(*) AS n").
		Where("consultation_id = ?", cid).Group("origin").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("statement origins of %d: %w", cid, err)
	}
	m := make(map[string]int, len(Origins))
	for _, r := range rows {
		m[r.Origin] = r.N
	}
	return m, nil
}
