package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/rembug/rembug/web"
)

// complaintJobEvery is how often the complaint jobs run: deadline warnings
// and escalations, auto-close, erasure after the retention period.
const complaintJobEvery = 5 * time.Minute

// runComplaintJobs runs the periodic complaint jobs until ctx ends. Each
// job is idempotent, so several nodes may run them at once.
func runComplaintJobs(ctx context.Context, srv *web.Server, log *slog.Logger) {
	t := time.NewTicker(complaintJobEvery)
	defer t.Stop()
	for {
		if err := srv.ComplaintJobs(ctx); err != nil && ctx.Err() == nil {
			log.Error("complaint jobs", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
