package indicators_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/tz"
	"github.com/rembug/rembug/polls/indicators"
)

// BenchmarkCompute computes all five indicators over a year with the real
// Surabaya complaints and 100,000 synthetic statement votes (2,000
// participants × 50 statements); BenchmarkCacheHit is the cached answer as
// a baseline in the same run.
func BenchmarkCompute(b *testing.B) {
	src, q := benchData(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := indicators.Compute(context.Background(), src, q); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCacheHit(b *testing.B) {
	src, q := benchData(b)
	c := &indicators.Cache{Source: src, MaxAge: time.Hour}
	c.Get(context.Background(), q)
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.Get(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
}

func benchData(b *testing.B) (indicators.Source, indicators.Query) {
	db := newDB(b)
	ctx := context.Background()
	loc := tz.Default().Loc
	cs, err := complaint.NewStore(ctx, db, complaint.Config{Location: loc})
	if err != nil {
		b.Fatal(err)
	}
	wd, _ := os.Getwd()
	path := filepath.Join(wd, "../../../../shared/data/id-complaints/surabaya_complaints_meta.csv")
	if in, err := os.Open(path); err == nil {
		if _, err := cs.Import(ctx, complaint.Actor{System: true}, "surabaya.csv", in, loc); err != nil {
			b.Fatal(err)
		}
		in.Close()
	}
	f := newFixture(b, db)
	start := time.Date(2022, 1, 1, 0, 0, 0, 0, loc)
	var stmts []int64
	for range 50 {
		stmts = append(stmts, f.statement(nil, start))
	}
	tx, _ := db.BeginTx(ctx, nil)
	for p := range 2000 {
		var pid int64
		tx.NewRaw(`INSERT INTO participants (public_id, kind, source, source_key, display_name, created_at) VALUES (?, 'guest', 'bench', ?, '', ?) RETURNING id`,
			"b"+time.Duration(p).String(), time.Duration(p).String(), start).Scan(ctx, &pid)
		for i, s := range stmts {
			at := start.Add(time.Duration(p*50+i) * 3 * time.Minute)
			if _, err := tx.NewRaw(`INSERT INTO statement_votes (statement_id, participant_id, value, voted_at) VALUES (?, ?, 1, ?)`, s, pid, at).Exec(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	tx.Commit()
	src := source(b, db, time.Date(2023, 1, 1, 0, 0, 0, 0, loc))
	src.Calendar = cs.Calendar
	return src, indicators.Query{From: start, To: start.AddDate(1, 0, 0)}
}
