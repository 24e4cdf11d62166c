package storagetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
)

// RefuseInserts makes every INSERT into table fail (a trigger, on SQLite and
// on PostgreSQL) until the returned function lifts it. It stands for a
// failure that comes after a write's change, e.g. its audit row, outbox row
// or notification cannot be written, so that a test can check that the
// change was rolled back with it.
func RefuseInserts(tb testing.TB, db *bun.DB, table string) (lift func()) {
	tb.Helper()
	name := "refuse_" + table
	stmts := []string{fmt.Sprintf(`CREATE TRIGGER %s BEFORE INSERT ON %s BEGIN SELECT RAISE(ABORT, 'refused'); END`, name, table)}
	drop := []string{"DROP TRIGGER " + name}
	if db.Dialect().Name() == dialect.PG {
		stmts = []string{
			`CREATE OR REPLACE FUNCTION refuse_insert() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql`,
			fmt.Sprintf(`CREATE TRIGGER %s BEFORE INSERT ON %s FOR EACH ROW EXECUTE FUNCTION refuse_insert()`, name, table),
		}
		drop = []string{fmt.Sprintf("DROP TRIGGER %s ON %s", name, table)}
	}
	run := func(qs []string) {
		for _, q := range qs {
			if _, err := db.ExecContext(context.Background(), q); err != nil {
				tb.Fatalf("%s: %v", q, err)
			}
		}
	}
	run(stmts)
	return func() { run(drop) }
}
