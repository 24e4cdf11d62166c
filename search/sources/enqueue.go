package sources

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/search"
)

// The Enqueue hooks write the current state of changed rows to the search
// outbox through tx, which must be the transaction that changed them (so
// the outbox commits or rolls back with the change) and must come after
// the change within it. A visible row becomes an index operation; a hidden,
// pending or deleted row, or a row that no longer exists, a delete
// operation, so hidden and deleted content leaves the index (CASES C21).
// A database without the search_outbox table (search.Migrate not applied,
// as in other packages' unit tests) gets nothing queued. Errors come from
// the database or search.Enqueue.

// EnqueueConsultation queues consultation id and everything in it
// (statements, proposals, comments, live questions), whose visibility
// follows the consultation's status. Call it after creating, importing,
// editing, publishing, archiving or deleting a consultation.
func EnqueueConsultation(ctx context.Context, tx bun.IDB, id int64) error {
	for _, k := range Kinds {
		if err := enqueueWhere(ctx, tx, k, specs[k].cons+" = ?", id); err != nil {
			return err
		}
	}
	return ensureDeleted(ctx, tx, DocID(search.KindConsultation, id))
}

// EnqueueProposal queues proposal id and its comments (a comment of a
// hidden proposal is hidden too). Call it after creating, editing,
// answering, hiding, restoring, approving or deleting a proposal (after a
// support, EnqueueSupports is enough).
func EnqueueProposal(ctx context.Context, tx bun.IDB, id int64) error {
	if err := enqueueIDs(ctx, tx, search.KindProposal, id); err != nil {
		return err
	}
	return enqueueWhere(ctx, tx, search.KindComment, "cm.proposal_id = ?", id)
}

// EnqueueSupports queues proposal id alone, after a support changes its
// count: the count feeds the "most supported" sort, and the proposal's
// comments do not change, so they are not queued again on every support.
func EnqueueSupports(ctx context.Context, tx bun.IDB, id int64) error {
	return enqueueIDs(ctx, tx, search.KindProposal, id)
}

// EnqueueComment queues comments ids: after adding, editing, deleting,
// hiding, restoring or approving one.
func EnqueueComment(ctx context.Context, tx bun.IDB, ids ...int64) error {
	return enqueueIDs(ctx, tx, search.KindComment, ids...)
}

// EnqueueStatement queues statements ids: after adding, hiding or
// restoring one.
func EnqueueStatement(ctx context.Context, tx bun.IDB, ids ...int64) error {
	return enqueueIDs(ctx, tx, search.KindStatement, ids...)
}

// EnqueueQuestion queues live questions ids: after asking, editing,
// approving, hiding, archiving, merging or answering one.
func EnqueueQuestion(ctx context.Context, tx bun.IDB, ids ...int64) error {
	return enqueueIDs(ctx, tx, search.KindQuestion, ids...)
}

// Repair queues the current state of documents ids (as made by DocID):
// an index operation for the visible ones and a delete for the others and
// for ids with no row. It fixes hits that Check found stale; repeating it
// is harmless.
func Repair(ctx context.Context, db bun.IDB, ids ...string) error {
	recs, err := Load(ctx, db, ids)
	if err != nil {
		return err
	}
	ops := make([]search.Op, 0, len(ids))
	for _, id := range ids {
		ops = append(ops, opFor(id, recs))
	}
	return enqueue(ctx, db, ops)
}

func enqueueIDs(ctx context.Context, tx bun.IDB, k string, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	docIDs := make([]string, len(ids))
	for i, id := range ids {
		docIDs[i] = DocID(k, id)
	}
	return Repair(ctx, tx, docIDs...)
}

// enqueueWhere queues every row of kind k matching where.
func enqueueWhere(ctx context.Context, tx bun.IDB, k, where string, args ...any) error {
	recs, err := load(ctx, tx, k, where, 0, args...)
	if err != nil {
		return err
	}
	ops := make([]search.Op, 0, len(recs))
	for _, r := range recs {
		ops = append(ops, opOf(r))
	}
	return enqueue(ctx, tx, ops)
}

// ensureDeleted queues a delete of id when its row is gone.
func ensureDeleted(ctx context.Context, tx bun.IDB, id string) error {
	recs, err := Load(ctx, tx, []string{id})
	if err != nil {
		return err
	}
	if _, ok := recs[id]; ok {
		return nil
	}
	return enqueue(ctx, tx, []search.Op{search.DeleteOp(id)})
}

func opFor(id string, recs map[string]Record) search.Op {
	r, ok := recs[id]
	if !ok {
		return search.DeleteOp(id)
	}
	return opOf(r)
}

func opOf(r Record) search.Op {
	if r.Hidden() {
		return search.DeleteOp(r.Doc.ID)
	}
	return search.IndexOp(r.Doc)
}

// enqueue writes ops with search.Enqueue when the outbox table exists.
func enqueue(ctx context.Context, tx bun.IDB, ops []search.Op) error {
	if len(ops) == 0 {
		return nil
	}
	if ok, err := hasTable(ctx, tx, "search_outbox"); err != nil || !ok {
		return err
	}
	return search.Enqueue(ctx, tx, ops...)
}
