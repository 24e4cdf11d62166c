package polls

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rembug/rembug/forum/storage"
	"github.com/uptrace/bun"
)

// liveStateMigration creates the last published live state of each
// anonymous survey, shared by every node of the site.
var liveStateMigration = storage.Migration{
	Name: "20261203073000", Comment: "survey_live_state",
	Up: []string{`CREATE TABLE survey_live_state (
		survey_id BIGINT PRIMARY KEY REFERENCES surveys (id) ON DELETE CASCADE,
		respondents INTEGER NOT NULL,
		data TEXT NOT NULL)`},
	Down: []string{`DROP TABLE survey_live_state`},
}

// PublishLive decides what the live results of anonymous survey sid may
// show, for every node of the site at once: data is the state just
// computed, with respondents responses. When the state last published by
// any node (table survey_live_state) differs from it by fewer than k
// responses (k below 1 means DefaultMinCell), PublishLive returns that
// earlier state and false: nothing new may be published, and a snapshot
// repeats it. Otherwise it records data as the published state and returns
// it and true. The record is a compare-and-set on the respondents last
// published, so two nodes deciding at once cannot both publish states
// closer than k to each other: the one that loses decides again against
// the winner's state. The state is not logged (it is what every page
// already shows). Errors: a database fault.
func (st *Store) PublishLive(ctx context.Context, sid int64, respondents int, data string, k int) (string, bool, error) {
	if k < 1 {
		k = DefaultMinCell
	}
	for attempt := 0; attempt < 5; attempt++ {
		var out string
		var news, raced bool
		err := st.inTx(ctx, func(ctx context.Context, tx bun.Tx, _ time.Time) error {
			var last struct {
				Respondents int    `bun:"respondents"`
				Data        string `bun:"data"`
			}
			err := tx.NewRaw(`SELECT respondents, data FROM survey_live_state WHERE survey_id = ?`, sid).Scan(ctx, &last)
			var res sql.Result
			switch {
			case errors.Is(err, sql.ErrNoRows):
				res, err = tx.NewRaw(`INSERT INTO survey_live_state (survey_id, respondents, data) VALUES (?, ?, ?)
					ON CONFLICT (survey_id) DO NOTHING`, sid, respondents, data).Exec(ctx)
			case err != nil:
				return err
			case abs(respondents-last.Respondents) < k:
				out = last.Data
				return nil
			default:
				res, err = tx.NewRaw(`UPDATE survey_live_state SET respondents = ?, data = ?
					WHERE survey_id = ? AND respondents = ?`, respondents, data, sid, last.Respondents).Exec(ctx)
			}
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				raced = true
				return err
			}
			out, news = data, true
			return nil
		})
		if err != nil {
			return "", false, fmt.Errorf("live state of survey %d: %w", sid, err)
		}
		if !raced {
			return out, news, nil
		}
	}
	return "", false, fmt.Errorf("live state of survey %d: still contended after 5 attempts", sid)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
