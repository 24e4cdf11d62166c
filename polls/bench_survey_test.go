package polls_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
)

// BenchmarkSubmitParallel measures votes accepted per second on one node:
// many goroutines (b.SetParallelism × GOMAXPROCS) each vote once as a
// different participant on a single-choice poll. It fails when a vote is
// lost or counted twice.
func BenchmarkSubmitParallel(b *testing.B) {
	db, c := mustDB(b)
	s, qs := mustSurvey(b, db, c.ID, polls.Survey{}, single("A", "B", "C"))
	pids := make([]int64, b.N)
	for i := range pids {
		pids[i] = mustParticipant(b, db, i)
	}
	var next, failed atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			a := polls.Answers{"s": {Choices: []int{int(i % 3)}}}
			if _, err := polls.NewStore(db, func() time.Time { return t0.Add(time.Hour) }).Submit(context.Background(), forum.GuestViewer(pids[i]), s, qs, a); err != nil {
				failed.Add(1)
			}
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	all, err := polls.AllAnswers(context.Background(), db, s, s.Deadline())
	if err != nil || failed.Load() != 0 || len(all) != b.N {
		b.Fatalf("%d votes sent, %d stored, %d failed (%v)", b.N, len(all), failed.Load(), err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "votes/s")
}
