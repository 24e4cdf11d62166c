// Package sources turns rembug's rows into search documents: it knows the
// tables of the forum (consultations, proposals, comments), of polls
// (statements) and of live sessions (live questions) and maps each row to
// a search.Document with the visibility that forum.CanSee gives it.
//
// It reads those tables with SQL and imports none of the domain packages,
// so that forum, polls and realtime/live can call its Enqueue hooks inside
// their own transactions without an import cycle. The mapping is the index
// form of forum.CanSee:
//   - content that is not published (pending, hidden, a hidden statement,
//     a question that is not approved, a deleted comment, a comment on a
//     hidden proposal) is "hidden": it is deleted from the index, never
//     indexed;
//   - anything in a draft consultation is "staff" (admins and global
//     moderators, who see drafts);
//   - focus-group content is "group:<id>";
//   - the rest is "public".
//
// Three uses: the Enqueue hooks write the current state of changed rows to
// the search outbox in the caller's transaction; Source feeds
// search.Reindex; Check re-reads the hits of a search from the database
// so that nothing stale or no longer visible is shown (CASES C21), and
// Repair queues the fix for such hits.
//
// Concurrency: functions hold no state and are safe for concurrent use;
// each runs its queries on the bun.IDB it is given.
package sources
