package indicators

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/uptrace/bun"
)

// Beat records that source (a node name, or a probe's) was up (ok) in the
// minute holding at, with requests and 5xx errors counted since its
// previous beat. A second beat in the same minute adds its counts and ands
// ok, so a node may beat as often as it likes.
func Beat(ctx context.Context, db bun.IDB, source string, probe, ok bool, at time.Time, requests, errors int64) error {
	_, err := db.NewRaw(`INSERT INTO heartbeats (source, minute, probe, ok, requests, errors) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (source, minute) DO UPDATE SET ok = heartbeats.ok AND EXCLUDED.ok,
		requests = heartbeats.requests + EXCLUDED.requests, errors = heartbeats.errors + EXCLUDED.errors`,
		source, at.UTC().Truncate(time.Minute), probe, ok, requests, errors).Exec(ctx)
	if err != nil {
		return fmt.Errorf("heartbeat of %s: %w", source, err)
	}
	return nil
}

// Counter returns a node's running totals of responses and of 5xx
// responses since it started.
type Counter func() (requests, errors uint64)

// Heartbeat writes a heartbeat for node every interval (30 s when 0; twice
// a minute so that no minute is missed) until ctx ends, with the requests
// and 5xx responses counted since the previous beat. Failures are logged
// and retried at the next tick: a node that cannot write is a node the
// indicators count as down. It returns when ctx is done.
func Heartbeat(ctx context.Context, db bun.IDB, node string, interval time.Duration, count Counter, log *slog.Logger) {
	if interval <= 0 {
		interval = 30 * time.Second
	}
	var lastReq, lastErr uint64
	beat := func() {
		req, errs := uint64(0), uint64(0)
		if count != nil {
			req, errs = count()
		}
		if err := Beat(ctx, db, node, false, true, time.Now(), int64(req-lastReq), int64(errs-lastErr)); err != nil {
			if ctx.Err() == nil {
				log.Warn("heartbeat", "node", node, "err", err)
			}
			return
		}
		lastReq, lastErr = req, errs
	}
	beat()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			beat()
		}
	}
}
