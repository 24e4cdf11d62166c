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
	rs.kill()
	killed := time.Now()
	time.Sleep(time.Second)
	rs.start()
	restarted := time.Now()
	okAtRestart := room.publishedOK.Load()

	// Wait until every client has started again from a snapshot.
	deadline := restarted.Add(30 * time.Second)
	var back time.Time
	for {
		waiting := 0
		back = time.Time{}
		for _, wc := range room.clients {
			wc.mu.Lock()
			if !wc.snapAt.After(killed) {
				waiting++
			} else if wc.snapAt.After(back) {
				back = wc.snapAt
			}
			wc.mu.Unlock()
		}
		if waiting == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d clients not resynchronised 30 s after Redis restarted\n%s", waiting, len(room.clients), c.nodes[0].logTail())
		}
		time.Sleep(50 * time.Millisecond)
	}
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
		before, restarted.Sub(killed).Round(time.Millisecond), room.refused.Load(), back.Sub(restarted).Round(time.Millisecond), after, summary)
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
	rs.kill()
	killed := time.Now()
	time.Sleep(time.Second)
	rs.start()
	restarted := time.Now()
	okAtRestart := room.publishedOK.Load()

	// Wait until every client has come back after the kill.
	deadline := restarted.Add(30 * time.Second)
	for {
		waiting := 0
		for _, wc := range room.clients {
			wc.mu.Lock()
			if !wc.backAt.After(killed) {
				waiting++
			}
			wc.mu.Unlock()
		}
		if waiting == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d clients not back 30 s after Redis restarted\n%s", waiting, len(room.clients), c.nodes[0].logTail())
		}
		time.Sleep(50 * time.Millisecond)
	}
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
