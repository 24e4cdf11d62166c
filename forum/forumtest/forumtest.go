// Package forumtest holds test fixtures of the forum domain for other
// packages' tests. Only _test.go files import it (TestOnlyTestsImport), so
// production code cannot write through it.
package forumtest

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
)

// CreateUser stores fixture user u as created at now, with forum.NewUser's
// checks and defaults, and sets its ID. Unlike Store.CreateUser it writes
// no audit row, so that tests counting a write's audit rows count that
// write's alone. Errors: forum.NewUser's, or the insert's (a taken email
// breaks the unique index).
func CreateUser(ctx context.Context, db bun.IDB, u *forum.User, now time.Time) error {
	if err := forum.NewUser(u); err != nil {
		return err
	}
	u.CreatedAt = now
	if _, err := db.NewInsert().Model(u).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("fixture user %s: %w", u.Email, err)
	}
	return nil
}
