package web

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/realtime"
)

// Live dashboards. The figures come from many writers (the complaint
// pages and API, the channel webhooks, imports, other nodes), so instead of
// hooking each, one watcher per node reads a cheap fingerprint of the
// complaint tables (the newest complaint and the newest complaint event:
// intake, reply, answer, rating) every dashWatchEvery while a dashboard is
// open on this node; with none open for dashIdleAfter it stops reading the
// database until the next dashboard connects, and then compares with the
// fingerprint it last saw, so a change made meanwhile still counts. A change drops the indicator cache and, through a
// realtime.Coalescer (at most one per dashLiveInterval, as live counters
// are), publishes a "changed" event on the dashboard channels of the live
// sessions' Hub. The event carries no figures, only when they changed:
// dashboard.js then reloads the page's figures over HTTP, where the access
// rule and the pooling of the page apply. Without JavaScript the page is as
// fresh as its last load and its refresh link.
const (
	dashWatchEvery   = time.Second
	dashIdleAfter    = 3 * time.Second
	dashLiveInterval = 2 * time.Second
	dashChannelStaff = "dasbor"
	dashChannelOpen  = "dasbor-publik"
)

type dashLive struct {
	s       *Server
	ws      http.Handler
	changes *realtime.Coalescer[time.Time]

	once   sync.Once
	stop   chan struct{}
	done   chan struct{}
	wake   chan struct{} // a dashboard was authorized: resume watching
	woken  atomic.Int64  // when, in Unix nanoseconds
	checks prometheus.Counter
}

// newDashLive wires live dashboards on the server's Hub; its watcher starts
// with the first dashboard connection and stops with Server.Close.
func (s *Server) newDashLive() *dashLive {
	d := &dashLive{s: s, stop: make(chan struct{}), done: make(chan struct{}), wake: make(chan struct{}, 1),
		checks: prometheus.NewCounter(prometheus.CounterOpts{Name: "rembug_dashboard_watch_checks_total",
			Help: "Reads of the complaint tables' fingerprint by this node's live-dashboard watcher."})}
	s.metrics.reg.MustRegister(d.checks)
	d.changes = realtime.NewCoalescer(dashLiveInterval, d.flush)
	d.ws = s.live.hub.Handler(realtime.HandlerOptions{Authorize: d.authorize, Snapshot: d.snapshot,
		User: func(r *http.Request) string { return liveUser(s.viewerOf(r)) }, Recheck: d.recheck})
	s.live.owned = append([]func() error{d.close, d.changes.Close}, s.live.owned...)
	return d
}

func (d *dashLive) close() error {
	close(d.stop)
	d.once.Do(func() { close(d.done) }) // never started: nothing to wait for
	<-d.done
	return nil
}

// authorize lets staff follow the staff dashboard and everyone the public one.
func (d *dashLive) authorize(r *http.Request, channel string) bool {
	switch channel {
	case dashChannelOpen:
	case dashChannelStaff:
		v, err := d.s.readerViewer(r)
		if err != nil || !dashStaff(r.Context(), v) {
			return false
		}
	default:
		return false
	}
	d.once.Do(func() { go d.watch() })
	d.woken.Store(time.Now().UnixNano())
	select {
	case d.wake <- struct{}{}:
	default:
	}
	return true
}

// clients is how many dashboards this node serves.
func (d *dashLive) clients() int {
	return d.s.live.hub.ClientCount(dashChannelStaff) + d.s.live.hub.ClientCount(dashChannelOpen)
}

func (d *dashLive) recheck(ctx context.Context, user, channel string) bool {
	if channel != dashChannelStaff {
		return true
	}
	v, err := d.s.recheckViewer(ctx, user)
	if err != nil { // as the live and poll re-checks: a failing database keeps the connection, logged
		d.s.log.Error("dashboard re-check", "channel", channel, "err", err)
		return true
	}
	return dashStaff(ctx, v)
}

// dashStaff reports whether v sees the whole dashboard: the access rule's
// export of the site's figures (admins, moderators, analysts).
func dashStaff(ctx context.Context, v forum.Viewer) bool {
	return forum.Can(ctx, v, forum.ActExport, forum.Item{Kind: forum.ItemSite}) == nil
}

func (d *dashLive) snapshot(ctx context.Context, channel string) (json.RawMessage, error) {
	return json.Marshal(map[string]any{"changed_at": nil})
}

// watch polls the fingerprint until Close, while dashboards are open.
func (d *dashLive) watch() {
	defer close(d.done)
	t := time.NewTicker(dashWatchEvery)
	defer t.Stop()
	last, _ := d.fingerprint()
	for {
		select {
		case <-d.stop:
			return
		case <-t.C:
		}
		if d.clients() == 0 && time.Since(time.Unix(0, d.woken.Load())) > dashIdleAfter {
			t.Stop()
			select {
			case <-d.stop:
				return
			case <-d.wake:
			}
			t.Reset(dashWatchEvery)
		}
		fp, err := d.fingerprint()
		if err != nil {
			d.s.log.Warn("dashboard watch", "err", err)
			continue
		}
		if fp != last {
			last = fp
			d.changed()
		}
	}
}

// changed drops the cached figures and schedules a "changed" event.
func (d *dashLive) changed() {
	d.s.indicators.Invalidate()
	d.changes.Set(dashChannelStaff, d.s.now())
}

// fingerprint is the newest complaint id and complaint event id, and when
// the latest complaint changed.
func (d *dashLive) fingerprint() ([3]int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	d.checks.Inc()
	var fp [3]int64
	var upd *time.Time
	err := d.s.db.NewRaw(`SELECT (SELECT COALESCE(MAX(id), 0) FROM complaints),
		(SELECT COALESCE(MAX(id), 0) FROM complaint_events), (SELECT MAX(updated_at) FROM complaints)`).Scan(ctx, &fp[0], &fp[1], &upd)
	if upd != nil {
		fp[2] = upd.UnixMicro()
	}
	return fp, err
}

// flush publishes on both dashboard channels; it runs on the Coalescer's
// goroutine. A failure is logged: the page's refresh link still works.
func (d *dashLive) flush(_ string, at time.Time) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	data, _ := json.Marshal(map[string]any{"changed_at": at.UTC()})
	for _, ch := range []string{dashChannelStaff, dashChannelOpen} {
		if _, err := d.s.live.hub.Publish(ctx, ch, "changed", data); err != nil {
			d.s.log.Warn("dashboard live", "channel", ch, "err", err)
		}
	}
}
