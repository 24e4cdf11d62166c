package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/web"
	"github.com/uptrace/bun"
)

// complaintJobEvery is how often the complaint jobs run: deadline warnings
// and escalations, auto-close, erasure after the retention period.
const complaintJobEvery = 5 * time.Minute

// runComplaintJobs runs the periodic complaint jobs, and the reminders of
// evaluation recommendations due soon or overdue, until ctx ends. Every
// node ticks, and the node that takes the job's cluster-wide lock first
// does the work (storage.RunOnce); the jobs are idempotent as well, so a
// node that dies mid-run leaves nothing for the next tick to undo.
func runComplaintJobs(ctx context.Context, db *bun.DB, srv *web.Server, log *slog.Logger) {
	t := time.NewTicker(complaintJobEvery)
	defer t.Stop()
	for {
		if _, err := storage.RunOnce(ctx, db, "complaint-jobs", srv.ComplaintJobs); err != nil && ctx.Err() == nil {
			log.Error("complaint jobs", "err", err)
		}
		if _, err := storage.RunOnce(ctx, db, "evaluation-reminders", srv.EvaluationReminders); err != nil && ctx.Err() == nil {
			log.Error("evaluation reminders", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
