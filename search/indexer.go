package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/storage"
)

// Indexer applies the outbox to an Index. A row names a changed document
// (or a change notice that documents follow, Source.Follows); the indexer
// loads the document's current state through Sources and indexes it, or
// deletes it when the row is gone or hidden, then removes the document's
// rows up to the one it read. A batch of up to Batch rows goes to the
// engine in one call. Applying a row twice gives the same index, which
// makes a crash between indexing and deleting the rows harmless, and a
// change committed while a drain runs leaves a newer row for the next one.
// A failed row stays with attempts, last_error and an exponential backoff;
// a panic in the engine is recovered per document. Drain is safe for
// concurrent use: drains are serialized. The fields must not change once
// in use.
type Indexer struct {
	// DB holds the search_outbox table and the owners' tables.
	DB *bun.DB
	// Index receives the documents.
	Index Index
	// Sources read the documents named by the outbox.
	Sources *Registry
	// Notify wakes Run early (e.g. after a commit that enqueued work);
	// nil means polling only.
	Notify <-chan struct{}
	// Poll is Run's fallback interval; 0 means 2 s.
	Poll time.Duration
	// Batch is how many rows a drain step reads; 0 means 200.
	Batch int
	// Backoff is the first retry delay, doubled per attempt up to
	// MaxBackoff; 0 means 1 s and 10 min.
	Backoff, MaxBackoff time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Log receives failures; nil means slog.Default().
	Log *slog.Logger
	// Node, when set, names this node's cursor and switches the indexer to
	// log mode for per-node engines such as Bleve (cursor.go): rows stay
	// for the other nodes and are pruned once every active node has read
	// them. Empty is queue mode, for an engine shared by all nodes
	// (Meilisearch): one node at a time drains, under the cluster-wide
	// lease queueLease, and deletes the rows it applied.
	Node string
	// Retention is how long a node's cursor holds back pruning after the
	// node was last seen (log mode); a node away longer reindexes when it
	// comes back. 0 means 1 hour.
	Retention time.Duration

	mu       sync.Mutex
	failures map[int64]int // log mode: failed drains per row id (cursor.go)
}

func (ix *Indexer) now() time.Time {
	if ix.Now != nil {
		return ix.Now()
	}
	return time.Now()
}

func (ix *Indexer) log() *slog.Logger {
	if ix.Log != nil {
		return ix.Log
	}
	return slog.Default()
}

// queueLease is the cluster-wide job (storage.RunOnce) under which one
// node at a time drains the outbox into a shared engine. Without it two
// nodes could load one document at two moments and send both versions to
// the engine, the older last: the engine applies tasks in the order they
// arrive, so the index would keep the older version while both nodes
// delete the rows that named the change.
const queueLease = "search-outbox"

// leaseRetry is how soon Run tries again when another node held the
// lease: a row committed after that node's last read and before it let
// go waits this long rather than a whole Poll.
const leaseRetry = 250 * time.Millisecond

// Drain applies every ready operation in the outbox, in id order, and
// returns how many documents it applied successfully. It stops at the first
// database error or when ctx ends. An engine error does not fail the drain:
// it is recorded on its row (attempts, last_error) and retried after the
// backoff, and the other documents go on. In queue mode it returns 0, nil
// at once while another node holds queueLease: that node applies the rows.
func (ix *Indexer) Drain(ctx context.Context) (n int, err error) {
	n, _, err = ix.drain(ctx)
	return n, err
}

// drain is Drain, also reporting whether this node took its turn (false
// only in queue mode, when another node held the lease).
func (ix *Indexer) drain(ctx context.Context) (n int, ran bool, err error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.Node != "" {
		n, err = ix.drainLog(ctx)
		return n, true, err
	}
	ran, err = storage.RunOnce(ctx, ix.DB, queueLease, func(ctx context.Context) error {
		var err error
		n, err = ix.drainQueue(ctx)
		return err
	})
	return n, ran, err
}

// drainQueue is a queue-mode drain, run under queueLease.
func (ix *Indexer) drainQueue(ctx context.Context) (n int, err error) {
	batch := ix.Batch
	if batch <= 0 {
		batch = 200
	}
	var after int64
	for {
		var rows []outboxRow
		if err := ix.DB.NewRaw(
			"SELECT id, doc_id, attempts FROM search_outbox WHERE not_before <= ? AND id > ? ORDER BY id LIMIT ?",
			ix.now().UnixMilli(), after, batch).Scan(ctx, &rows); err != nil {
			return n, fmt.Errorf("search: read outbox: %w", err)
		}
		if len(rows) == 0 {
			return n, nil
		}
		after = rows[len(rows)-1].ID
		applied, err := ix.apply(ctx, rows)
		n += applied
		if err != nil {
			return n, err
		}
	}
}

// apply applies the newest row per document among rows: all of them in
// one Index and one Delete call (one engine batch, so one new Bleve segment
// or Meilisearch task rather than one per document), and, when that fails,
// one document at a time so that a bad document holds back only itself.
func (ix *Indexer) apply(ctx context.Context, rows []outboxRow) (int, error) {
	latest := map[string]outboxRow{}
	var order []string
	for _, r := range rows {
		if _, ok := latest[r.DocID]; !ok {
			order = append(order, r.DocID)
		}
		latest[r.DocID] = r
	}
	newest := make([]outboxRow, len(order))
	for i, id := range order {
		newest[i] = latest[id]
	}
	if err := ix.applyAll(ctx, newest); err == nil {
		return ix.done(ctx, newest)
	} else if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	n := 0
	for _, r := range newest {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		if applyErr := ix.applyOne(ctx, r); applyErr != nil {
			if err := ix.fail(ctx, r, applyErr); err != nil {
				return n, err
			}
			continue
		}
		if _, err := ix.DB.ExecContext(ctx, "DELETE FROM search_outbox WHERE doc_id = ? AND id <= ?", r.DocID, r.ID); err != nil {
			return n, fmt.Errorf("search: delete applied outbox rows of %s: %w", r.DocID, err)
		}
		n++
	}
	return n, nil
}

// applyAll brings the documents of rows (one per ID), with the documents
// that follow them, up to date in one Index and one Delete call, turning
// panics into errors.
func (ix *Indexer) applyAll(ctx context.Context, rows []outboxRow) (err error) {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.DocID
	}
	return ix.refresh(ctx, ids)
}

// refresh loads the current state of documents ids and of those following
// them, and indexes the visible ones and deletes the others.
func (ix *Indexer) refresh(ctx context.Context, ids []string) (err error) {
	if ix.Sources == nil {
		return fmt.Errorf("search: indexer without sources")
	}
	all, err := ix.Sources.expand(ctx, ix.DB, ids)
	if err != nil {
		return err
	}
	for len(all) > 0 {
		n := min(len(all), loadChunk)
		if err := ix.refreshLoaded(ctx, all[:n]); err != nil {
			return err
		}
		all = all[n:]
	}
	return nil
}

// refreshLoaded applies documents ids (all of registered kinds).
func (ix *Indexer) refreshLoaded(ctx context.Context, ids []string) (err error) {
	recs, err := ix.Sources.Load(ctx, ix.DB, ids)
	if err != nil {
		return err
	}
	defer Recover(&err, "apply outbox rows")
	var docs []Document
	var gone []string
	for _, id := range ids {
		if rec, ok := recs[id]; ok && !rec.Hidden() {
			docs = append(docs, rec.Doc)
		} else {
			gone = append(gone, id)
		}
	}
	if len(docs) > 0 {
		if err := ix.Index.Index(ctx, docs...); err != nil {
			return err
		}
	}
	if len(gone) > 0 {
		return ix.Index.Delete(ctx, gone...)
	}
	return nil
}

// done removes the applied rows, with the older rows of their documents,
// in one transaction, and returns how many documents were applied.
func (ix *Indexer) done(ctx context.Context, rows []outboxRow) (int, error) {
	err := ix.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, r := range rows {
			if _, err := tx.ExecContext(ctx, "DELETE FROM search_outbox WHERE doc_id = ? AND id <= ?", r.DocID, r.ID); err != nil {
				return fmt.Errorf("search: delete applied outbox rows of %s: %w", r.DocID, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(rows), nil
}

// applyOne brings one row's documents up to date.
func (ix *Indexer) applyOne(ctx context.Context, r outboxRow) error {
	return ix.refresh(ctx, []string{r.DocID})
}

// fail records applyErr on r, holds r back for its backoff and drops the
// older rows of the same document, which r supersedes.
func (ix *Indexer) fail(ctx context.Context, r outboxRow, applyErr error) error {
	if errors.Is(applyErr, context.Canceled) || errors.Is(applyErr, context.DeadlineExceeded) {
		return applyErr
	}
	attempts := r.Attempts + 1
	msg := applyErr.Error()
	if len(msg) > 1000 {
		msg = msg[:1000]
	}
	ix.log().Warn("search: indexing failed", "doc", r.DocID, "attempts", attempts, "err", applyErr)
	next := ix.now().Add(ix.backoff(attempts)).UnixMilli()
	if _, err := ix.DB.ExecContext(ctx,
		"UPDATE search_outbox SET attempts = ?, last_error = ?, not_before = ? WHERE id = ?",
		attempts, msg, next, r.ID); err != nil {
		return fmt.Errorf("search: record outbox failure of %s: %w", r.DocID, err)
	}
	if _, err := ix.DB.ExecContext(ctx, "DELETE FROM search_outbox WHERE doc_id = ? AND id < ?", r.DocID, r.ID); err != nil {
		return fmt.Errorf("search: drop superseded outbox rows of %s: %w", r.DocID, err)
	}
	return nil
}

// backoff is Backoff·2^(attempts-1), capped at MaxBackoff.
func (ix *Indexer) backoff(attempts int) time.Duration {
	base, ceiling := ix.Backoff, ix.MaxBackoff
	if base <= 0 {
		base = time.Second
	}
	if ceiling <= 0 {
		ceiling = 10 * time.Minute
	}
	d := base
	for i := 1; i < attempts && d < ceiling; i++ {
		d *= 2
	}
	return min(d, ceiling)
}

// Run drains the outbox whenever Notify fires and every Poll, until ctx
// ends; it returns ctx's error. Database errors are logged and retried at
// the next tick.
func (ix *Indexer) Run(ctx context.Context) error {
	poll := ix.Poll
	if poll <= 0 {
		poll = 2 * time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		_, ran, err := ix.drain(ctx)
		if err != nil && ctx.Err() == nil {
			ix.log().Error("search: drain outbox", "err", err)
		}
		var retry <-chan time.Time
		if !ran && err == nil {
			retry = time.After(leaseRetry)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ix.Notify:
		case <-t.C:
		case <-retry:
		}
	}
}
