package indicators

import (
	"context"
	"fmt"
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
	"github.com/rembug/rembug/realtime/live"
	"github.com/uptrace/bun"
)

// BenchmarkDashboard computes all five indicators over one year with the
// 5,000 real Surabaya complaints and 100,000 synthetic statement votes
// (2,000 participants × 50 statements), as the dashboard and the API do
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
// (when ../shared/data holds them) and 100,000 statement votes over 2022.
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
	if _, err := db.NewRaw(`INSERT INTO consultations (slug, title, description, status, source, source_key, source_url, created_at, updated_at)
		VALUES ('k', 'K', '', 'open', '', '', '', ?, ?)`, start, start).Exec(ctx); err != nil {
		b.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	var stmts []int64
	for i := range 50 {
		var id int64
		if err := tx.NewRaw(`INSERT INTO statements (consultation_id, source_key, author_id, text, hidden, created_at)
			VALUES ((SELECT id FROM consultations WHERE slug = 'k'), ?, NULL, 's', FALSE, ?) RETURNING id`, fmt.Sprint("s", i), start).Scan(ctx, &id); err != nil {
			b.Fatal(err)
		}
		stmts = append(stmts, id)
	}
	for p := range 2000 {
		var pid int64
		if err := tx.NewRaw(`INSERT INTO participants (public_id, kind, source, source_key, display_name, created_at)
			VALUES (?, 'guest', 'bench', ?, '', ?) RETURNING id`, fmt.Sprint("b", p), fmt.Sprint(p), start).Scan(ctx, &pid); err != nil {
			b.Fatal(err)
		}
		for i, s := range stmts {
			at := start.Add(time.Duration(p*50+i) * 3 * time.Minute)
			if _, err := tx.NewRaw(`INSERT INTO statement_votes (statement_id, participant_id, value, voted_at) VALUES (?, ?, 1, ?)`, s, pid, at).Exec(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	z := tz.Default()
	now := time.Date(2023, 1, 1, 0, 0, 0, 0, loc)
	src := Source{DB: db, Calendar: cs.Calendar, Zone: z.Name, Loc: z.Loc, Now: func() time.Time { return now }}
	return src, Query{From: start, To: start.AddDate(1, 0, 0)}
}
