package tally

import (
	"math/rand/v2"
	"testing"
)

// benchBallots makes n seeded ranked ballots over options options: a random-length
// prefix (1..options) of a permutation biased towards low option indices, so counts
// take several rounds and no option wins outright.
func benchBallots(n, options int) [][]int {
	rng := rand.New(rand.NewPCG(2017, 14))
	out := make([][]int, n)
	for i := range out {
		perm := rng.Perm(options)
		if rng.IntN(3) == 0 {
			for k := 1; k < options; k++ {
				if perm[k] < perm[k-1] {
					perm[k], perm[k-1] = perm[k-1], perm[k]
				}
			}
		}
		out[i] = perm[:1+rng.IntN(options)]
	}
	return out
}

func benchmarkRanked(b *testing.B, count func(int, [][]int) error) {
	ballots := benchBallots(100_000, 10)
	b.ReportAllocs()
	for b.Loop() {
		if err := count(10, ballots); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIRV counts 100,000 seeded ballots over 10 options.
func BenchmarkIRV(b *testing.B) {
	benchmarkRanked(b, func(n int, bs [][]int) error { _, err := IRV(n, bs); return err })
}

// BenchmarkBorda counts 100,000 seeded ballots over 10 options.
func BenchmarkBorda(b *testing.B) {
	benchmarkRanked(b, func(n int, bs [][]int) error { _, err := Borda(n, bs); return err })
}

// BenchmarkSchulze counts 100,000 seeded ballots over 10 options.
func BenchmarkSchulze(b *testing.B) {
	benchmarkRanked(b, func(n int, bs [][]int) error { _, err := Schulze(n, bs); return err })
}

// TestBenchBallotsCount runs the benchmark data once so that the long path (many
// rounds, exhausted ballots) is covered by ordinary tests at a small size.
func TestBenchBallotsCount(t *testing.T) {
	bs := benchBallots(2_000, 10)
	irv, err := IRV(10, bs)
	if err != nil {
		t.Fatal(err)
	}
	if len(irv.Rounds) < 3 || irv.NoVotes {
		t.Fatalf("expected a multi-round count, got %d rounds", len(irv.Rounds))
	}
	last := irv.Rounds[len(irv.Rounds)-1]
	for _, r := range irv.Rounds {
		if r.Continuing+r.Exhausted != len(bs) {
			t.Fatalf("round %d: %d + %d != %d", r.Number, r.Continuing, r.Exhausted, len(bs))
		}
	}
	if irv.Outcome == OutcomeWinner && last.Reason != ReasonMajority {
		t.Errorf("winner without majority: %s", last.Reason)
	}
	seen := map[int]bool{}
	for _, o := range irv.Order {
		seen[o] = true
	}
	if len(seen) != 10 || len(irv.Order) != 10 {
		t.Errorf("Order %v is not a permutation", irv.Order)
	}
	mustJSON(t, irv)
}
