package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/polls"
)

// pollJobEvery is how often the answers still pooled by anonymous surveys
// that have closed are written (polls.Store.SettlePools).
const pollJobEvery = time.Minute

// runPollJobs settles the pools of closed anonymous surveys until ctx
// ends. Settling is idempotent (each pooled answer is claimed once), so
// several nodes may run it at once.
func runPollJobs(ctx context.Context, db *bun.DB, log *slog.Logger) {
	st := polls.NewStore(db, nil)
	t := time.NewTicker(pollJobEvery)
	defer t.Stop()
	for {
		if n, err := st.SettlePools(ctx); err != nil && ctx.Err() == nil {
			log.Error("settle survey pools", "err", err)
		} else if n > 0 {
			log.Info("settled survey pools", "responses", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
