package forum

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// CountAttempt counts one attempt in bucket (e.g. "pw-email:ana@x.id" or
// "pw-ip:203.0.113.7") within fixed windows of length window, and reports
// whether it is within limit. It answers how long until the window ends
// when it is not. The counter lives in the database and is bumped in one
// statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING), so the limit
// holds across every node and under concurrent attempts: attempts are
// counted before the password is checked, so parallel guesses cannot slip
// past a check-then-increment race.
func CountAttempt(ctx context.Context, db bun.IDB, bucket string, limit int, window time.Duration, now time.Time) (bool, time.Duration, error) {
	var row struct {
		WindowStart time.Time `bun:"window_start"`
		Attempts    int       `bun:"attempts"`
	}
	old := now.Add(-window)
	err := db.NewRaw(`INSERT INTO login_attempts (bucket, window_start, attempts) VALUES (?, ?, 1)
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
