package report_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/polis"
	"github.com/rembug/rembug/polls/report"
)

// sharedPolis finds shared/data/polis/name beside the repository, or skips.
func sharedPolis(tb testing.TB, name string) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "shared", "data", "polis", name)
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("shared/data/polis/" + name + " is not present beside the repository; the benchmark needs it")
		}
		dir = parent
	}
}

// BenchmarkBowlingGreenStorePath measures what a report pays on a cache
// miss for american-assembly.bowling-green (2,031 participants × 896
// statements, 607 visible): loading the visible vote matrix from the
// database and computing the opinion groups (report.Analyze).
func BenchmarkBowlingGreenStorePath(b *testing.B) {
	dir := sharedPolis(b, "american-assembly.bowling-green")
	ctx := context.Background()
	db := storagetest.NewDB(b)
	if err := forum.Migrate(ctx, db); err != nil {
		b.Fatal(err)
	}
	if err := polls.Migrate(ctx, db); err != nil {
		b.Fatal(err)
	}
	rep, err := polis.Import(ctx, db, dir, t0)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		a, err := report.Analyze(ctx, db, rep.ConsultationID, report.Settings{})
		if err != nil {
			b.Fatal(err)
		}
		if len(a.Opinion.Groups) < 2 {
			b.Fatalf("no groups: %s", a.Opinion.Reason)
		}
	}
}
