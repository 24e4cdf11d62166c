package live_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/realtime/live"
)

// BenchmarkUpvoteParallel measures live upvotes committed per second on
// one node: many goroutines (b.SetParallelism × GOMAXPROCS) each upvote
// one question once as a different guest, through the node's group
// commit. It fails when an upvote is lost or counted twice.
//
//	go test ./realtime/live -run '^$' -bench UpvoteParallel -benchtime 3000x
func BenchmarkUpvoteParallel(b *testing.B) {
	e := newEnv(b, nil)
	s := e.session(b, live.SessionInput{AllowGuests: true})
	q := e.ask(b, s, e.participant(b, "asker"), "Kapan jalan diperbaiki?")
	pids := e.participants(b, b.N)
	var next, failed atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			if _, err := upvote(e, s, q.ID, pids[i]); err != nil {
				failed.Add(1)
			}
		}
	})
	b.StopTimer()
	if got := e.question(b, q.ID).Upvotes; failed.Load() != 0 || got != b.N {
		b.Fatalf("%d upvotes sent, %d counted, %d failed", b.N, got, failed.Load())
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "upvotes/s")
}

func upvote(e *env, s *live.Session, qid, pid int64) (bool, error) {
	return e.svc.Upvote(context.Background(), forum.GuestViewer(pid), s, qid, true)
}
