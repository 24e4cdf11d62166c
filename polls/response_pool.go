package polls

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/storage"
	"github.com/uptrace/bun"
)

// AnonymousBatch is the smallest number of responses of an anonymous
// survey that are written to survey_responses together (a Store's
// Options.Batch, the site's k, may ask for more), in random order, in one
// transaction of their own. Until a batch is complete a response waits in
// survey_response_pool; the rest of a closed survey's pool is written when
// its results are first read after the deadline (AllAnswers). A batch is
// the smallest group of respondents among whom the database cannot tell
// who gave which response (see "Anonymous surveys" in the README).
const AnonymousBatch = 5

// poolMigration creates the pool of anonymous responses waiting for their
// batch, and destroys the row order of anonymous responses stored before
// batching existed (each was inserted together with its respondent row, so
// SQLite's rowid and PostgreSQL's ctid and xmin paired them): they are
// copied out and written back in random order in one transaction.
var poolMigration = storage.Migration{
	Name: "20261202120200", Comment: "survey_response_pool",
	Up: []string{
		`CREATE TABLE survey_response_pool (
			id VARCHAR(32) PRIMARY KEY,
			survey_id BIGINT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
			answers TEXT NOT NULL)`,
		`CREATE INDEX survey_response_pool_survey ON survey_response_pool (survey_id)`,
		`CREATE TABLE survey_responses_reorder AS
			SELECT id, survey_id, answers FROM survey_responses WHERE participant_id IS NULL`,
		`DELETE FROM survey_responses WHERE participant_id IS NULL`,
		`INSERT INTO survey_responses (id, survey_id, answers)
			SELECT id, survey_id, answers FROM survey_responses_reorder ORDER BY random()`,
		`DROP TABLE survey_responses_reorder`,
	},
	Down: []string{`DROP TABLE survey_response_pool`},
}

// pooled is an anonymous response waiting for its batch. It has no time
// and no participant; its id is random and is not reused in
// survey_responses.
type pooled struct {
	bun.BaseModel `bun:"table:survey_response_pool"`

	ID       string `bun:"id,pk"`
	SurveyID int64  `bun:"survey_id,notnull"`
	Answers  string `bun:"answers,notnull"`
}

// errSmallBatch rolls back a flush that found fewer responses than asked.
var errSmallBatch = errors.New("polls: batch not complete")

// flushPool moves the pooled responses of survey sid to survey_responses
// when there are at least min of them, in one transaction of its own (never
// the respondent's), in random order and under fresh random ids, so that
// the batch shares one transaction id and its physical order says nothing.
// It reports how many it moved. Concurrent flushes of one survey move each
// response once: the DELETE ... RETURNING claims the rows, and a flush that
// claims fewer than min rolls back and leaves them.
func flushPool(ctx context.Context, db bun.IDB, sid int64, min int) (int, error) {
	moved := 0
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var rows []pooled
		if err := tx.NewRaw(`DELETE FROM survey_response_pool WHERE survey_id = ? RETURNING id, survey_id, answers`, sid).
			Scan(ctx, &rows); err != nil {
			return fmt.Errorf("claim pooled responses of survey %d: %w", sid, err)
		}
		if len(rows) == 0 || len(rows) < min {
			return errSmallBatch
		}
		if err := shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] }); err != nil {
			return err
		}
		for _, p := range rows {
			r := &Response{ID: forum.NewPublicID(), SurveyID: sid, Answers: p.Answers}
			if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
				return fmt.Errorf("store batch of survey %d: %w", sid, err)
			}
		}
		moved = len(rows)
		return nil
	})
	if errors.Is(err, errSmallBatch) {
		return 0, nil
	}
	return moved, err
}

// SettlePools writes the rest of the pool of every anonymous survey that
// has closed by the Store's clock: no response arrives any more, so
// waiting for a full batch would keep the last ones in the pool, where a
// copy of the database could still link them. Each survey's rest moves in
// its own transaction (flushPool); the last batch may hold fewer than
// AnonymousBatch. It reports how many responses it moved. The server runs
// it periodically; AllAnswers counts pooled answers of a closed survey
// meanwhile, so no reader has to wait for it.
func (st *Store) SettlePools(ctx context.Context) (int, error) {
	var ids []int64
	err := st.db.NewSelect().TableExpr("survey_response_pool AS p").ColumnExpr("DISTINCT p.survey_id").
		Join("JOIN surveys AS s ON s.id = p.survey_id").
		Where("s.anonymous = ? AND s.closes_at <= ?", true, st.now().UTC().Add(-time.Minute)).
		Scan(ctx, &ids)
	if err != nil {
		return 0, fmt.Errorf("closed surveys with pooled answers: %w", err)
	}
	moved := 0
	for _, id := range ids {
		n, err := flushPool(ctx, st.db, id, 1)
		if err != nil {
			return moved, err
		}
		moved += n
	}
	return moved, nil
}

// shuffle is a Fisher–Yates shuffle of n elements with crypto/rand, so the
// order cannot be predicted from the server's state.
func shuffle(n int, swap func(i, j int)) error {
	for i := n - 1; i > 0; i-- {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			return fmt.Errorf("shuffle: %w", err)
		}
		swap(i, int(j.Int64()))
	}
	return nil
}
