package forum

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// CountAttempt counts one attempt in bucket (e.g. "pw-ip:203.0.113.7",
// "complaint-ip:…", "statement-by:42") within fixed windows of length
// window at the Store's time, and reports whether it is within limit. It
// answers how long until the window ends when it is not. The counter lives
// in the database and is bumped in one statement (INSERT ... ON CONFLICT
// DO UPDATE ... RETURNING), so the limit holds across every node and under
// concurrent attempts: attempts are counted before the guarded action (a
// password checked, a code sent, a complaint or statement stored), so
// parallel tries cannot slip past a check-then-increment race.
//
// It runs in a transaction of its own, never in the guarded write's: an
// attempt must stay counted when that write fails or is refused (a wrong
// password, a duplicate statement), which a shared transaction would roll
// back. It changes no one's content or rights, so it writes no audit row.
func (s *Store) CountAttempt(ctx context.Context, bucket string, limit int, window time.Duration) (ok bool, wait time.Duration, err error) {
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		ok, wait, err = countAttempt(ctx, tx, bucket, limit, window, now)
		return err
	})
	return ok, wait, err
}

// countAttempt is CountAttempt's upsert in transaction tx at now.
func countAttempt(ctx context.Context, tx bun.Tx, bucket string, limit int, window time.Duration, now time.Time) (bool, time.Duration, error) {
	var row struct {
		WindowStart time.Time `bun:"window_start"`
		Attempts    int       `bun:"attempts"`
	}
	old := now.Add(-window)
	err := tx.NewRaw(`INSERT INTO login_attempts (bucket, window_start, attempts) VALUES (?, ?, 1)
		ON CONFLICT (bucket) DO UPDATE SET
			attempts = CASE WHEN login_attempts.window_start <= ? THEN 1 ELSE login_attempts.attempts + 1 END,
			window_start = CASE WHEN login_attempts.window_start <= ? THEN EXCLUDED.window_start ELSE login_attempts.window_start END
		RETURNING window_start, attempts`, bucket, now, old, old).Scan(ctx, &row)
	if err != nil {
		return false, 0, fmt.Errorf("count attempt %s: %w", bucket, err)
	}
	if row.Attempts > limit {
		return false, row.WindowStart.Add(window).Sub(now), nil
	}
	return true, 0, nil
}

// RefundAttempt takes back one attempt counted by CountAttempt in bucket's
// current window (of length window), for a guarded action that turned out
// not to use the budget (a complaint refused for bad input counts on its own,
// larger budget instead). Never below zero; nothing when the window has
// ended or the bucket is unknown. Like CountAttempt it runs in its own
// transaction and writes no audit row.
func (s *Store) RefundAttempt(ctx context.Context, bucket string, window time.Duration) error {
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		_, err := tx.NewRaw(`UPDATE login_attempts SET attempts = attempts - 1
			WHERE bucket = ? AND attempts > 0 AND window_start > ?`, bucket, now.Add(-window)).Exec(ctx)
		if err != nil {
			return fmt.Errorf("refund attempt %s: %w", bucket, err)
		}
		return nil
	})
}
