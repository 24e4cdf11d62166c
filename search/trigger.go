package search

import (
	"fmt"
	"strings"
)

// Trigger describes the database trigger that enqueues a table's rows in
// the outbox whenever a row is inserted or deleted, or one of Columns is
// updated. Owning packages create it in their migrations (Triggers), so
// every write of an indexed field enqueues by construction: the store's
// methods, imports, counters updated in SQL and code written later alike,
// in the writing transaction.
type Trigger struct {
	// Table is the owner's table, e.g. "proposals".
	Table string
	// Kind is the document kind of its rows ("proposal"), or a change
	// notice that other kinds follow (Source.Follows) for a table without
	// documents of its own ("live_session").
	Kind string
	// Columns are the columns whose update changes a document: the indexed
	// fields and what decides visibility.
	Columns []string
}

// Triggers returns the migration statements that create and drop t, for
// SQLite (three triggers) and PostgreSQL (a function and one trigger),
// marked for storage.Migrate with the {{sqlite}} and {{postgres}}
// prefixes. The outbox receives Kind:<row id> (the table's id column,
// which never changes).
func Triggers(t Trigger) (up, down []string) {
	name := "search_outbox_" + t.Table
	cols := strings.Join(t.Columns, ", ")
	row := func(ref string) string {
		return fmt.Sprintf("INSERT INTO search_outbox (doc_id) VALUES ('%s:' || %s.id);", t.Kind, ref)
	}
	up = []string{
		fmt.Sprintf("{{sqlite}}CREATE TRIGGER %s_insert AFTER INSERT ON %s BEGIN %s END", name, t.Table, row("NEW")),
		fmt.Sprintf("{{sqlite}}CREATE TRIGGER %s_update AFTER UPDATE OF %s ON %s BEGIN %s END", name, cols, t.Table, row("NEW")),
		fmt.Sprintf("{{sqlite}}CREATE TRIGGER %s_delete AFTER DELETE ON %s BEGIN %s END", name, t.Table, row("OLD")),
		fmt.Sprintf(`{{postgres}}CREATE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN
				IF TG_OP = 'DELETE' THEN %s ELSE %s END IF;
				RETURN NULL;
			END $$`, name, row("OLD"), row("NEW")),
		fmt.Sprintf("{{postgres}}CREATE TRIGGER %s AFTER INSERT OR UPDATE OF %s OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %s()",
			name, cols, t.Table, name),
	}
	down = []string{
		fmt.Sprintf("{{sqlite}}DROP TRIGGER %s_insert", name),
		fmt.Sprintf("{{sqlite}}DROP TRIGGER %s_update", name),
		fmt.Sprintf("{{sqlite}}DROP TRIGGER %s_delete", name),
		fmt.Sprintf("{{postgres}}DROP TRIGGER %s ON %s", name, t.Table),
		fmt.Sprintf("{{postgres}}DROP FUNCTION %s()", name),
	}
	return up, down
}
