//go:build cluster

package main

import (
	"testing"
	"time"

	"github.com/rembug/rembug/realtime"
)

// TestClusterRedisRestart kills the cluster's own Redis (kill -9, no
// persistence: sequence counters and histories are gone) during a live
// session and starts it again on the same port. Every node's pub/sub
// subscribes again by itself; the hub hears of it, forgets the channel's
// last sequence number and closes its clients with 4001; they reconnect
// with since, which is ahead of the restarted channel, so they start from a
// snapshot. Every event published after the restart must then reach every
// client exactly once. Events published while Redis is down are refused
// with an error to the publisher (none is half-delivered).
func TestClusterRedisRestart(t *testing.T) {
	rs := startRedisServer(t)
	c := newClusterOn(t, 3, rs.url(), votesSeed(4))
	room := newLiveRoom(t, c, 90)
	room.allowResets = true
	time.Sleep(3 * time.Second)

	before := room.published.Load()
	killed, restarted := rs.killAndRestart()
	okAtRestart := room.publishedOK.Load()
	// Every client starts again from a snapshot.
	back := room.waitAll(t, "resynchronised", restarted, func(wc *wsClient) time.Time { return wc.snapAt }, killed)
	time.Sleep(time.Second) // events on the new numbering
	summary := room.settle(t)
	after := room.publishedOK.Load() - okAtRestart
	if after == 0 {
		t.Fatal("no event was published after Redis restarted")
	}
	// A numbering begun again starts from the clock, above every number of
	// the one before (realtime.ClockStart).
	if final := room.published.Load(); final <= before || final < realtime.ClockStart(killed) {
		t.Errorf("channel at seq %d after the restart, %d before: the numbering did not start again from the clock (%d), so the test did not test a reset",
			final, before, realtime.ClockStart(killed))
	}
	t.Logf("Redis killed at seq %d, down %v; %d publishes refused in all (while Redis was down or reconnecting); every client resynchronised from a snapshot %v after Redis came back; %d events published after the restart; %s",
		before, restarted.Sub(killed).Round(time.Millisecond), room.refused.Load(), back.Round(time.Millisecond), after, summary)
}

// TestClusterRedisRestartPersistent kills a Redis that keeps an append-only
// file (kill -9, appendfsync always) during a live session and starts it
// again on the same port. Its sequence counters and histories survive, so
// the numbering goes on where it was, and every client, closed with 4001
// when its node subscribes again, resumes from history with since: no
// snapshot, nothing missed, nothing twice.
func TestClusterRedisRestartPersistent(t *testing.T) {
	rs := startRedisServer(t, true)
	c := newClusterOn(t, 3, rs.url(), votesSeed(4))
	room := newLiveRoom(t, c, 90)
	time.Sleep(3 * time.Second)

	before := room.published.Load()
	killed, restarted := rs.killAndRestart()
	okAtRestart := room.publishedOK.Load()
	// Every client comes back after the kill.
	room.waitAll(t, "back", restarted, func(wc *wsClient) time.Time { return wc.backAt }, killed)
	back := room.backAfter(restarted)
	time.Sleep(time.Second)   // events after the restart
	summary := room.settle(t) // every reconnect recovered from history
	after := room.publishedOK.Load() - okAtRestart
	if after == 0 {
		t.Fatal("no event was published after Redis restarted")
	}
	if final := room.published.Load(); final <= before || final-before > 10000 {
		t.Errorf("channel at seq %d after the restart, %d before: the numbering did not go on", final, before)
	}
	t.Logf("persistent Redis killed at seq %d, down %v; %d publishes refused (while Redis was down or reconnecting); every client back %v after Redis came back, resumed from history; %d events published after the restart; %s",
		before, restarted.Sub(killed).Round(time.Millisecond), room.refused.Load(), back.Round(time.Millisecond), after, summary)
}

// killAndRestart kills rs (kill -9), waits a second and starts it again
// on the same port; it returns when it was killed and when it answered
// again.
func (rs *redisServer) killAndRestart() (killed, restarted time.Time) {
	rs.kill()
	killed = time.Now()
	time.Sleep(time.Second)
	rs.start()
	return killed, time.Now()
}

// waitAll waits up to 30 s after from until every client's time at (read
// under its lock) is after since, and returns how long after from the last
// of them got there; what names the state in the failure message.
func (r *liveRoom) waitAll(t *testing.T, what string, from time.Time, at func(*wsClient) time.Time, since time.Time) time.Duration {
	t.Helper()
	deadline := from.Add(30 * time.Second)
	for {
		waiting, last := 0, time.Time{}
		for _, wc := range r.clients {
			wc.mu.Lock()
			if a := at(wc); !a.After(since) {
				waiting++
			} else if a.After(last) {
				last = a
			}
			wc.mu.Unlock()
		}
		if waiting == 0 {
			return last.Sub(from)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d clients not %s 30 s after Redis restarted\n%s", waiting, len(r.clients), what, r.c.nodes[0].logTail())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
