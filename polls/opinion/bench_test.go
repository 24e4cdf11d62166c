package opinion

import (
	"path/filepath"
	"testing"
)

// BenchmarkBowlingGreen runs Compute on the real american-assembly
// bowling-green export (2,031 participants × 896 statements, 607 visible).
// Target: under 1 s per run.
func BenchmarkBowlingGreen(b *testing.B) {
	ex := mustReadPolis(b, filepath.Join(findPolisData(b), "american-assembly.bowling-green"))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Compute(ex.votes, Options{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGenerated10k runs Compute on 10,000 participants × 1,000
// statements with three planted groups, each participant voting on 20% of
// the statements (about 2 million votes). Target: under 5 s per run.
func BenchmarkGenerated10k(b *testing.B) {
	p := plantVotes(99, 10000, 1000, 3, 0.2)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := Compute(p.votes, Options{Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Groups) != 3 {
			b.Fatalf("found %d groups, planted 3", len(res.Groups))
		}
	}
}
