package search

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/rembug/rembug/forum/storage"
)

// Log mode (Indexer.Node set): every node of a cluster keeps its own
// engine (Bleve on its disk), so every node must apply every outbox row.
// The outbox is then a log: each node reads the rows after its cursor
// (search_cursors.last_id), applies them, and moves its cursor; a row is
// deleted only once every node seen within Retention has passed it, and
// search_pruned.through records how far the log was cut. A node whose
// cursor is behind that point (it was away longer than Retention, or it is
// new) reindexes from the database and starts from the end of the log.
// A document that fails holds the cursor at its row until it applies;
// after maxLogAttempts failures in a row it is logged and skipped.

// maxLogAttempts is how many drains in a row may fail on one row before a
// log-mode indexer skips it (the next change of the document, or a
// reindex, brings it back).
const maxLogAttempts = 5

func (ix *Indexer) retention() time.Duration {
	if ix.Retention > 0 {
		return ix.Retention
	}
	return time.Hour
}

// drainLog is Drain in log mode; ix.mu is held.
func (ix *Indexer) drainLog(ctx context.Context) (int, error) {
	cursor, err := ix.cursor(ctx)
	if err != nil {
		return 0, err
	}
	var through int64
	if err := ix.DB.NewRaw("SELECT through FROM search_pruned WHERE id = 1").Scan(ctx, &through); err != nil {
		return 0, fmt.Errorf("search: read prune mark: %w", err)
	}
	if cursor < through {
		ix.log().Warn("search: this node missed pruned outbox rows, reindexing", "node", ix.Node, "cursor", cursor, "pruned", through)
		if _, err := ix.rebuildLocked(ctx); err != nil {
			return 0, err
		}
		return 0, nil
	}
	batch := ix.Batch
	if batch <= 0 {
		batch = 200
	}
	n := 0
	for {
		var rows []outboxRow
		if err := ix.DB.NewRaw("SELECT id, doc_id, attempts FROM search_outbox WHERE id > ? ORDER BY id LIMIT ?",
			cursor, batch).Scan(ctx, &rows); err != nil {
			return n, fmt.Errorf("search: read outbox: %w", err)
		}
		if len(rows) == 0 {
			return n, ix.prune(ctx, cursor)
		}
		last := rows[len(rows)-1].ID
		if err := ix.applyAll(ctx, rows); err != nil {
			if ctx.Err() != nil {
				return n, ctx.Err()
			}
			// Find the first row that fails on its own; the cursor stops
			// before it.
			last = cursor
			for _, r := range rows {
				if err := ix.applyOne(ctx, r); err != nil && !ix.skip(r, err) {
					break
				}
				last = r.ID
			}
		}
		if last == cursor {
			return n, ix.saveCursor(ctx, cursor)
		}
		if err := ix.saveCursor(ctx, last); err != nil {
			return n, err
		}
		for _, r := range rows {
			if r.ID <= last {
				n++
			}
		}
		cursor = last
	}
}

// skip counts a failure of r and reports whether r has failed often enough
// to be passed over.
func (ix *Indexer) skip(r outboxRow, err error) bool {
	if ix.failures == nil {
		ix.failures = map[int64]int{}
	}
	ix.failures[r.ID]++
	if ix.failures[r.ID] < maxLogAttempts {
		ix.log().Warn("search: indexing failed", "node", ix.Node, "doc", r.DocID, "attempts", ix.failures[r.ID], "err", err)
		return false
	}
	ix.log().Error("search: indexing failed, skipping the row", "node", ix.Node, "doc", r.DocID, "err", err)
	delete(ix.failures, r.ID)
	return true
}

// cursor returns this node's last applied row id: 0 for a node without a
// cursor yet, which then applies the whole log, or reindexes if it was cut.
func (ix *Indexer) cursor(ctx context.Context) (int64, error) {
	var last int64
	err := ix.DB.NewRaw("SELECT last_id FROM search_cursors WHERE node = ?", ix.Node).Scan(ctx, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("search: read cursor of %s: %w", ix.Node, err)
	}
	return last, nil
}

// saveCursor stores last as this node's cursor and marks the node seen.
func (ix *Indexer) saveCursor(ctx context.Context, last int64) error {
	now := ix.now().UTC()
	res, err := ix.DB.ExecContext(ctx, "UPDATE search_cursors SET last_id = ?, seen_at = ? WHERE node = ?", last, now, ix.Node)
	if err == nil {
		if n, _ := res.RowsAffected(); n == 0 {
			_, err = ix.DB.ExecContext(ctx, "INSERT INTO search_cursors (node, last_id, seen_at) VALUES (?, ?, ?)", ix.Node, last, now)
		}
	}
	if err != nil {
		return fmt.Errorf("search: save cursor of %s: %w", ix.Node, err)
	}
	return nil
}

// prune deletes the rows every node seen within Retention has applied
// (this node is at mine) and moves search_pruned.through up to there.
func (ix *Indexer) prune(ctx context.Context, mine int64) error {
	if err := ix.saveCursor(ctx, mine); err != nil {
		return err
	}
	var low sql.NullInt64
	since := ix.now().UTC().Add(-ix.retention())
	if err := ix.DB.NewRaw("SELECT MIN(last_id) FROM search_cursors WHERE seen_at >= ?", since).Scan(ctx, &low); err != nil {
		return fmt.Errorf("search: read cursors: %w", err)
	}
	if !low.Valid || low.Int64 <= 0 {
		return nil
	}
	if _, err := ix.DB.ExecContext(ctx, "UPDATE search_pruned SET through = ? WHERE id = 1 AND through < ?", low.Int64, low.Int64); err != nil {
		return fmt.Errorf("search: move prune mark: %w", err)
	}
	if _, err := ix.DB.ExecContext(ctx, "DELETE FROM search_outbox WHERE id <= ?", low.Int64); err != nil {
		return fmt.Errorf("search: prune outbox: %w", err)
	}
	return nil
}

// Rebuild empties the index and reindexes every document from the
// database (Reindex). In log mode it first notes the end of the log and
// then sets this node's cursor there, so that a change committed during
// the rebuild is applied again afterwards (applying twice is harmless).
// In queue mode it waits for queueLease first, so that no node drains into
// the shared engine meanwhile; the rows it leaves are applied by the next
// drain. It returns how many documents it indexed.
func (ix *Indexer) Rebuild(ctx context.Context) (int, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.Node != "" {
		return ix.rebuildLocked(ctx)
	}
	for {
		var n int
		ran, err := storage.RunOnce(ctx, ix.DB, queueLease, func(ctx context.Context) error {
			var err error
			n, err = ix.rebuildLocked(ctx)
			return err
		})
		if ran || err != nil {
			return n, err
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(leaseRetry):
		}
	}
}

func (ix *Indexer) rebuildLocked(ctx context.Context) (int, error) {
	var end sql.NullInt64
	if ix.Node != "" {
		if err := ix.DB.NewRaw("SELECT MAX(id) FROM search_outbox").Scan(ctx, &end); err != nil {
			return 0, fmt.Errorf("search: read outbox end: %w", err)
		}
		var through int64
		if err := ix.DB.NewRaw("SELECT through FROM search_pruned WHERE id = 1").Scan(ctx, &through); err != nil {
			return 0, fmt.Errorf("search: read prune mark: %w", err)
		}
		end.Int64 = max(end.Int64, through)
	}
	n, err := Reindex(ctx, ix.Index, ix.DB, ix.Sources)
	if err != nil {
		return n, err
	}
	if ix.Node != "" {
		return n, ix.saveCursor(ctx, end.Int64)
	}
	return n, nil
}
