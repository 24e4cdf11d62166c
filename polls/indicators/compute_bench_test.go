package indicators

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/messaging"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/forum/tz"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/indicators/indicatorstest"
	"github.com/rembug/rembug/realtime/live"
	"github.com/uptrace/bun"
)

// BenchmarkDashboard computes all five indicators over one year with the
// 5,000 real Surabaya complaints and 100,000 synthetic statement votes in
// three consultations (indicatorstest.SeedVotes), as the dashboard and the API do
// on a cache miss: "rows" is the first implementation, which loaded every
// action into Go, "sql" the aggregation in the database, and "cached" a
// Cache hit, in the same run.
func BenchmarkDashboard(b *testing.B) {
	src, q := dashboardBenchData(b)
	b.Run("cached", func(b *testing.B) {
		c := &Cache{Source: src, MaxAge: time.Hour}
		if _, err := c.Get(context.Background(), q); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := c.Get(context.Background(), q); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, c := range []struct {
		name   string
		active activeFunc
	}{{"rows", activeRows}, {"sql", activeIn}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := compute(context.Background(), src, q, c.active); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// dashboardBenchData is the benchmarks' database: the real complaints
// (when ../shared/data holds them) and indicatorstest's 100,000 statement
// votes in three consultations, from 2022.
func dashboardBenchData(b *testing.B) (Source, Query) {
	b.Helper()
	ctx := context.Background()
	db := storagetest.NewDB(b)
	for _, m := range []func(context.Context, *bun.DB) error{forum.Migrate, complaint.Migrate, polls.Migrate, live.Migrate, messaging.Migrate, Migrate} {
		if err := m(ctx, db); err != nil {
			b.Fatal(err)
		}
	}
	loc := tz.Default().Loc
	cs, err := complaint.NewStore(ctx, db, complaint.Config{Location: loc})
	if err != nil {
		b.Fatal(err)
	}
	wd, _ := os.Getwd()
	if in, err := os.Open(filepath.Join(wd, "../../../../shared/data/id-complaints/surabaya_complaints_meta.csv")); err == nil {
		if _, err := cs.Import(ctx, complaint.Actor{System: true}, "surabaya.csv", in, loc); err != nil {
			b.Fatal(err)
		}
		in.Close()
	} else {
		b.Logf("no real complaints (%v): votes only", err)
	}
	start := time.Date(2022, 1, 1, 0, 0, 0, 0, loc)
	indicatorstest.SeedVotes(b, db, start)
	z := tz.Default()
	now := time.Date(2023, 1, 1, 0, 0, 0, 0, loc)
	src := Source{DB: db, Calendar: cs.Calendar, Zone: z.Name, Loc: z.Loc, Now: func() time.Time { return now }}
	return src, Query{From: start, To: start.AddDate(1, 0, 0)}
}
