package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/redis/go-redis/v9"
	"github.com/rembug/rembug/realtime"
	"github.com/rembug/rembug/realtime/live"
	"github.com/rembug/rembug/web"
	"github.com/uptrace/bun"
)

// liveService starts the live sessions' broker, Hub and Service: in process
// by default, or on Redis (REMBUG_REDIS_URL / --redis-url) so that many
// nodes share sequence numbers, history and delivery. The returned stop
// function closes them once, in order (service, hub, broker, Redis client);
// call it after the HTTP server has shut down. With Redis, the returned
// checks hold its ping for /readyz.
func (c *config) liveService(ctx context.Context, db *bun.DB, log *slog.Logger) (*live.Service, []web.Check, func() error, error) {
	var b realtime.Broker
	var closers []func() error
	var checks []web.Check
	if c.RedisURL == "" {
		mb := realtime.NewMemoryBroker(realtime.HistoryOptions{Start: realtime.ClockStart})
		b, closers = mb, []func() error{mb.Close}
	} else {
		opt, err := redis.ParseURL(c.RedisURL)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("redis url: %w", err)
		}
		rdb := redis.NewClient(opt)
		rb, err := realtime.NewRedisBroker(ctx, rdb, realtime.RedisOptions{History: realtime.HistoryOptions{Start: realtime.ClockStart}})
		if err != nil {
			rdb.Close()
			return nil, nil, nil, fmt.Errorf("redis: %w", err)
		}
		b, closers = rb, []func() error{rb.Close, rdb.Close}
		checks = []web.Check{{Name: "redis", Ping: func(ctx context.Context) error { return rdb.Ping(ctx).Err() }}}
	}
	hub := realtime.NewHub(b, realtime.Options{Logger: log})
	svc := live.NewService(db, hub, live.Options{Logger: log})
	closers = append([]func() error{svc.Close, hub.Close}, closers...)
	var once sync.Once
	var err error
	return svc, checks, func() error {
		once.Do(func() {
			var errs []error
			for _, f := range closers {
				errs = append(errs, f())
			}
			err = errors.Join(errs...)
		})
		return err
	}, nil
}
