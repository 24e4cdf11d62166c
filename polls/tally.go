package polls

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// StatementTally is a visible statement with its public vote counts.
type StatementTally struct {
	ID        int64  `bun:"id" json:"id"`
	SourceKey string `bun:"source_key" json:"source_id"`
	Text      string `bun:"text" json:"text"`
	Agree     int    `bun:"agree" json:"agree"`
	Disagree  int    `bun:"disagree" json:"disagree"`
	Pass      int    `bun:"pass" json:"pass"`
	// Origin is how the statement entered: OriginSeeded, OriginSubmitted
	// or OriginImported.
	Origin string `bun:"origin" json:"origin"`
}

// Total is the number of votes on the statement.
func (t StatementTally) Total() int { return t.Agree + t.Disagree + t.Pass }

// Share returns n as a fraction of the statement's votes, in [0, 1]; 0 when
// nobody voted.
func (t StatementTally) Share(n int) float64 {
	if t.Total() == 0 {
		return 0
	}
	return float64(n) / float64(t.Total())
}

// Tallies returns every visible statement of consultation cid with its agree,
// disagree and pass counts, oldest first. Hidden statements are left out.
func Tallies(ctx context.Context, db bun.IDB, cid int64) ([]StatementTally, error) {
	var ts []StatementTally
	err := db.NewSelect().Table("statements").
		ColumnExpr("id, source_key, text, agree_count AS agree, disagree_count AS disagree, pass_count AS pass, origin").
		Where("consultation_id = ? AND hidden = ?", cid, false).
		OrderExpr("created_at, id").
		Scan(ctx, &ts)
	if err != nil {
		return nil, fmt.Errorf("tallies of %d: %w", cid, err)
	}
	return ts, nil
}

// Counts are a consultation's public totals: visible statements, distinct
// participants who voted on them, and votes on them. Participants is the one
// definition of a consultation's participant count: the consultation page,
// the report header and the API all show it (TestParticipantCountAgrees).
// Everyone active in any way (proposals, comments, supports too) is the
// report's separate "active" figure, report.Totals.
type Counts struct {
	Statements   int `json:"statements"`
	Participants int `json:"participants"`
	Votes        int `json:"votes"`
}

// CountsFor returns the public Counts of each consultation in ids (missing
// ids get zero counts).
func CountsFor(ctx context.Context, db bun.IDB, ids []int64) (map[int64]Counts, error) {
	out := make(map[int64]Counts, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var st []struct {
		CID   int64 `bun:"consultation_id"`
		N     int   `bun:"n"`
		Votes int   `bun:"votes"`
	}
	err := db.NewSelect().Table("statements").
		ColumnExpr("consultation_id, COUNT(*) AS n, SUM(agree_count + disagree_count + pass_count) AS votes").
		Where("consultation_id IN (?) AND hidden = ?", bun.In(ids), false).
		Group("consultation_id").Scan(ctx, &st)
	if err != nil {
		return nil, fmt.Errorf("statement counts: %w", err)
	}
	var vt []struct {
		CID          int64 `bun:"consultation_id"`
		Participants int   `bun:"participants"`
	}
	err = db.NewSelect().Table("consultation_voters").
		ColumnExpr("consultation_id, COUNT(*) AS participants").
		Where("consultation_id IN (?) AND visible_votes > 0", bun.In(ids)).
		Group("consultation_id").Scan(ctx, &vt)
	if err != nil {
		return nil, fmt.Errorf("voter counts: %w", err)
	}
	for _, r := range st {
		c := out[r.CID]
		c.Statements, c.Votes = r.N, r.Votes
		out[r.CID] = c
	}
	for _, r := range vt {
		c := out[r.CID]
		c.Participants = r.Participants
		out[r.CID] = c
	}
	return out, nil
}
