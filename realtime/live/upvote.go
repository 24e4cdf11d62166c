package live

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// Upvote records (on) or takes back (!on) viewer v's upvote (by v's
// participant) of an approved question of an open session, and reports
// whether it changed anything: repeating either is a no-op, so a
// participant counts once per question. When Upvote returns nil the change
// is committed (a restart loses nothing acknowledged); the new count
// reaches clients in the session's next coalesced "upvotes" event.
//
// The session's state and the question's status come from the node's cache
// (Options.CacheTTL). Upvotes are committed by the node's upvote writer,
// many per transaction (group commit), and each call returns only after the
// transaction holding its upvote committed. That transaction decides each
// upvote's right with forum.Can (write on the session), against facts it
// reads once for the whole batch (forum.InTx, forum.ReadViewersAgain: the
// batch's viewers in three queries, each consultation and its stage once),
// so a right lost between the page load and the upvote (the consultation
// closed, the phase moved on, a block, a focus-group membership removed)
// refuses that upvote alone, and writes nothing for it, while the rest of
// the batch commits. Each upvote is then INSERT ... ON CONFLICT DO NOTHING
// (or DELETE) and, per question whose count changed, one counter UPDATE.
// Errors: ErrNotFound (also for a question that is not public or not of
// sess, and for a session v no longer reads), ErrClosed, forum.Can's
// errs.Forbidden error, or a database error (nothing of this call was
// written).
func (s *Service) Upvote(ctx context.Context, v forum.Viewer, sess *Session, qid int64, on bool) (bool, error) {
	cur, err := s.cache.session(ctx, s, sess.ID)
	if err != nil {
		return false, err
	}
	if !cur.Open {
		return false, ErrClosed
	}
	q, err := s.cache.question(ctx, s, qid)
	if err != nil {
		return false, err
	}
	if q.sessionID != sess.ID || q.status != StatusApproved {
		return false, ErrNotFound
	}
	r := &upvoteReq{v: v, sess: cur, qid: qid, pid: v.ParticipantID, on: on, done: make(chan struct{})}
	if err := s.upvotes.submit(ctx, r); err != nil {
		return false, err
	}
	select {
	case <-r.done:
	case <-ctx.Done():
		return false, ctx.Err() // it may still commit; the caller was not told it did
	}
	if r.err != nil {
		return false, r.err
	}
	if r.changed {
		s.counter('q', sess.ID, qid)
	}
	return r.changed, nil
}

// upvoteReq is one upvote waiting for the writer; changed and err are set
// before done is closed. denied is the access rule's refusal of this
// upvote in the transaction that committed (or tried) its batch.
type upvoteReq struct {
	v        forum.Viewer
	sess     *Session
	qid, pid int64
	on       bool
	changed  bool
	denied   error
	err      error
	done     chan struct{}
}

// upvoteWriter is the node's one upvote committer: it takes every upvote
// waiting when it is free and commits them in one transaction. While a
// transaction commits, new upvotes queue for the next one, so the batch
// grows with the load and the commit cost is shared.
type upvoteWriter struct {
	s    *Service
	max  int
	reqs chan *upvoteReq

	mu     sync.RWMutex // guards closed against submit
	closed bool
	stop   chan struct{}
	wg     sync.WaitGroup
}

func newUpvoteWriter(s *Service, maxBatch int) *upvoteWriter {
	if maxBatch <= 0 {
		maxBatch = 512
	}
	w := &upvoteWriter{s: s, max: maxBatch, reqs: make(chan *upvoteReq, 4*maxBatch), stop: make(chan struct{})}
	w.wg.Add(1)
	go w.run()
	return w
}

// submit queues r; it blocks while the queue is full. Errors: ErrClosed
// after close, or ctx's error.
func (w *upvoteWriter) submit(ctx context.Context, r *upvoteReq) error {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.closed {
		return errWriterClosed
	}
	select {
	case w.reqs <- r:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close commits what was submitted and stops the writer.
func (w *upvoteWriter) close() {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return
	}
	w.closed = true
	close(w.stop)
	w.mu.Unlock()
	w.wg.Wait()
}

func (w *upvoteWriter) run() {
	defer w.wg.Done()
	batch := make([]*upvoteReq, 0, w.max)
	for {
		select {
		case r := <-w.reqs:
			batch = append(batch[:0], r)
		case <-w.stop:
			for { // submit can no longer add: drain what is queued
				select {
				case r := <-w.reqs:
					w.commit([]*upvoteReq{r})
				default:
					return
				}
			}
		}
	fill:
		for len(batch) < w.max {
			select {
			case r := <-w.reqs:
				batch = append(batch, r)
			default:
				break fill
			}
		}
		w.commit(batch)
		clear(batch)
	}
}

// commit writes a batch in one transaction. If it fails, each upvote is
// retried in a transaction of its own, so one bad upvote (a question
// deleted meanwhile) does not fail the others.
func (w *upvoteWriter) commit(batch []*upvoteReq) {
	// Same-pair upvotes keep their order; rows are locked in (question,
	// participant) order so concurrent nodes cannot deadlock.
	slices.SortStableFunc(batch, func(a, b *upvoteReq) int {
		if a.qid != b.qid {
			return cmpInt(a.qid, b.qid)
		}
		return cmpInt(a.pid, b.pid)
	})
	ctx := context.Background()
	err := w.s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error { return w.apply(ctx, tx, batch, now) })
	if err == nil || len(batch) == 1 {
		for _, r := range batch {
			r.err = cmp.Or(err, r.denied)
			close(r.done)
		}
		return
	}
	for _, r := range batch {
		one := []*upvoteReq{r}
		err := w.s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error { return w.apply(ctx, tx, one, now) })
		r.err = cmp.Or(err, r.denied)
		close(r.done)
	}
}

// apply writes batch in tx (whose ctx is marked by forum.InTx): the
// batch's viewers are read again at once (forum.ReadViewersAgain), each
// upvote is checked by forum.Can against them and written when allowed:
// one INSERT or DELETE per upvote, then one counter UPDATE per question
// whose count changed.
func (w *upvoteWriter) apply(ctx context.Context, tx bun.Tx, batch []*upvoteReq, now time.Time) error {
	vs := make([]forum.Viewer, len(batch))
	for i, r := range batch {
		vs[i] = r.v
	}
	if err := forum.ReadViewersAgain(ctx, vs); err != nil {
		return err
	}
	delta := map[int64]int{}
	var order []int64
	for _, r := range batch {
		r.changed = false
		if r.denied = authorizeWrite(ctx, r.v, r.sess); r.denied != nil {
			if errs.KindOf(r.denied) == errs.Internal {
				return r.denied // a database error: the batch fails and is retried one by one
			}
			continue
		}
		var n int64
		if r.on {
			res, err := tx.NewInsert().Model(&upvote{QuestionID: r.qid, ParticipantID: r.pid, CreatedAt: now}).
				On("CONFLICT DO NOTHING").Exec(ctx)
			if err != nil {
				return err
			}
			n, _ = res.RowsAffected()
		} else {
			res, err := tx.NewDelete().Model((*upvote)(nil)).Where("question_id = ? AND participant_id = ?", r.qid, r.pid).Exec(ctx)
			if err != nil {
				return err
			}
			n, _ = res.RowsAffected()
		}
		r.changed = n > 0
		if !r.changed {
			continue
		}
		if _, seen := delta[r.qid]; !seen {
			order = append(order, r.qid)
		}
		if r.on {
			delta[r.qid]++
		} else {
			delta[r.qid]--
		}
	}
	for _, qid := range order { // ascending: batch is sorted
		if _, err := tx.NewUpdate().Model((*Question)(nil)).Set("upvotes = upvotes + ?", delta[qid]).
			Set("version = version + 1").Where("id = ?", qid).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
