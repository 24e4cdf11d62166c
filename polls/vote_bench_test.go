package polls_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
)

// BenchmarkCastVoteParallel measures statement votes per second on one
// node: many goroutines (b.SetParallelism × GOMAXPROCS) each vote once as a
// different guest on one of 20 statements. It fails when a vote is lost or
// counted twice.
//
//	go test ./polls -run '^$' -bench CastVoteParallel -benchtime 2000x
func BenchmarkCastVoteParallel(b *testing.B) {
	ctx := context.Background()
	db, c := mustDB(b)
	admin := mustViewer(b, db, "admin", forum.RoleAdmin)
	st := polls.NewStore(db, func() time.Time { return t0.Add(time.Hour) })
	var sids []int64
	for i := range 20 {
		s, err := st.SeedStatement(ctx, admin, c.ID, "Pernyataan nomor "+string(rune('A'+i)))
		if err != nil {
			b.Fatal(err)
		}
		sids = append(sids, s.ID)
	}
	pids := make([]int64, b.N)
	for i := range pids {
		pids[i] = mustParticipant(b, db, i)
	}
	var next, failed atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			if err := castVote(st, c, sids[int(i)%len(sids)], pids[i]); err != nil {
				failed.Add(1)
			}
		}
	})
	b.StopTimer()
	var n int
	if err := db.NewRaw("SELECT COALESCE(SUM(agree_count), 0) FROM statements WHERE consultation_id = ?", c.ID).Scan(ctx, &n); err != nil || failed.Load() != 0 || n != b.N {
		b.Fatalf("%d votes sent, %d counted, %d failed (%v)", b.N, n, failed.Load(), err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "votes/s")
}

func castVote(st *polls.Store, c *forum.Consultation, sid, pid int64) error {
	return st.CastVote(context.Background(), forum.GuestViewer(pid), c, sid, polls.Agree)
}
