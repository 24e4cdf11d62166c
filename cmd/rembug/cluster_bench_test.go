//go:build cluster

package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkClusterVotes measures statement votes per second through
// HAProxy on one node and on three nodes over one PostgreSQL database, with
// the same 60 guests voting as fast as they get answers for at least 5 s
// and until each has voted on every statement once; it then checks that
// the database holds every vote once. Run it with -benchtime=1x (each run
// starts its own cluster):
//
//	go test -tags cluster -run '^$' -bench ClusterVotes -benchtime=1x ./cmd/rembug
func BenchmarkClusterVotes(b *testing.B) {
	for _, nodes := range []int{1, 3} {
		b.Run(fmt.Sprintf("nodes=%d", nodes), func(b *testing.B) {
			const voters, statements = 60, 20
			c := newCluster(b, nodes, votesSeed(statements))
			slug, stmts := c.consultation()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			var acked, failed, rounds atomic.Int64
			var wg sync.WaitGroup
			start := time.Now()
			b.ResetTimer()
			for i := 0; i < voters; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					v, err := newVoter(ctx, "http://"+c.lb, slug)
					if err != nil {
						b.Error(err)
						return
					}
					for round := 0; ; round++ {
						if round > 0 && (time.Since(start) > 5*time.Second && rounds.Load() == voters || ctx.Err() != nil) {
							return
						}
						for j, sid := range stmts {
							value, _ := voteValue(i, j)
							if err := v.vote(ctx, sid, value); err != nil {
								failed.Add(1)
								continue
							}
							acked.Add(1)
						}
						if round == 0 {
							rounds.Add(1)
						}
					}
				}()
			}
			wg.Wait()
			took := time.Since(start)
			b.StopTimer()
			b.ReportMetric(float64(acked.Load())/took.Seconds(), "votes/s")
			b.ReportMetric(float64(failed.Load()), "failed")
			c.checkTallies(voters, stmts)
		})
	}
}
