package forum

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Password sign-in throttling follows the OWASP Authentication Cheat Sheet
// ("Account Lockout": rather than locking an account for a fixed time, an
// exponential lockout whose delay starts short and doubles with each failed
// attempt). The failures are counted per (email, client address) pair, so
// that a stranger guessing from one address slows only their own guesses:
// the owner signing in from another address is never delayed, and never
// locked out.
const (
	// PasswordFreeFailures is how many failed password sign-ins a pair may
	// make before any delay.
	PasswordFreeFailures = 3
	// PasswordMaxDelay caps the delay between two attempts of one pair.
	PasswordMaxDelay = 5 * time.Minute
	// PasswordForgetAfter is how long after its last allowed attempt a
	// pair's failures are forgotten.
	PasswordForgetAfter = time.Hour
)

// PasswordDelay is the wait after a pair's failures-th failed attempt:
// none for the first PasswordFreeFailures, then 1 s, 2 s, 4 s, ...
// doubling up to PasswordMaxDelay.
func PasswordDelay(failures int) time.Duration {
	n := failures - PasswordFreeFailures
	if n <= 0 {
		return 0
	}
	if n > 20 {
		return PasswordMaxDelay
	}
	return min(time.Second<<(n-1), PasswordMaxDelay)
}

type passwordThrottle struct {
	bun.BaseModel `bun:"table:password_throttle"`

	PairHash string    `bun:"pair_hash,pk"`
	Failures int       `bun:"failures,notnull"`
	NextAt   time.Time `bun:"next_at,notnull"`
}

// passwordPair is the stored key of (email, addr): a hash, so the table
// names nobody.
func passwordPair(email, addr string) string {
	return hashToken("pw-pair\x00" + strings.ToLower(strings.TrimSpace(email)) + "\x00" + addr)
}

// throttlePassword charges one password attempt of email from client
// address addr at now. It returns 0 when the attempt may go ahead (it is
// counted as a failure in advance, so parallel guesses cannot slip past a
// check-then-count race; Store.ClearPasswordThrottle forgets it after a correct
// password), or how long the pair must still wait, in which case the
// password must not be checked at all. Two attempts of one pair racing for
// the same slot: one goes ahead, the other waits a second.
func throttlePassword(ctx context.Context, db bun.IDB, email, addr string, now time.Time) (time.Duration, int, error) {
	key := passwordPair(email, addr)
	_, err := db.NewInsert().Model(&passwordThrottle{PairHash: key, NextAt: now}).On("CONFLICT (pair_hash) DO NOTHING").Exec(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("throttle password: %w", err)
	}
	var t passwordThrottle
	if err := db.NewSelect().Model(&t).Where("pair_hash = ?", key).Scan(ctx); err != nil {
		return 0, 0, fmt.Errorf("throttle password: %w", err)
	}
	if now.Before(t.NextAt) {
		return t.NextAt.Sub(now), 0, nil
	}
	failures := t.Failures + 1
	if now.Sub(t.NextAt) > PasswordForgetAfter {
		failures = 1
	}
	res, err := db.NewUpdate().Model((*passwordThrottle)(nil)).
		Set("failures = ?", failures).Set("next_at = ?", now.Add(PasswordDelay(failures))).
		Where("pair_hash = ? AND failures = ? AND next_at <= ?", key, t.Failures, now).Exec(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("throttle password: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return time.Second, 0, nil
	}
	return 0, failures, nil
}

// clearPasswordThrottle forgets the failures of (email, addr) after a
// correct password.
func clearPasswordThrottle(ctx context.Context, db bun.IDB, email, addr string) error {
	_, err := db.NewDelete().Model((*passwordThrottle)(nil)).Where("pair_hash = ?", passwordPair(email, addr)).Exec(ctx)
	if err != nil {
		return fmt.Errorf("clear password throttle: %w", err)
	}
	return nil
}
