package opinion

import "math/rand/v2"

// planted describes generated votes with known opinion groups.
type planted struct {
	votes  []Vote
	labels map[int64]int // participant → planted group
	stance [][]int8      // group × statement → the group's usual vote
}

// plantVotes generates n participants in `groups` equal-sized planted
// groups voting on m statements. Each group has its own stance (agree or
// disagree) on every statement, except that statement 0 is agreed by all
// groups (a consensus statement). A participant votes on each statement
// with probability density, following the group stance 80% of the time,
// the opposite 10% and passing 10%. Participant and statement ids start at
// 1000 and 1 so that ids are not row indices.
func plantVotes(seed uint64, n, m, groups int, density float64) planted {
	rng := rand.New(rand.NewPCG(seed, 7))
	p := planted{labels: map[int64]int{}}
	for g := 0; g < groups; g++ {
		row := make([]int8, m)
		for j := range row {
			row[j] = Disagree
			if j == 0 || rng.IntN(2) == 0 {
				row[j] = Agree
			}
		}
		p.stance = append(p.stance, row)
	}
	for i := 0; i < n; i++ {
		pid := int64(1000 + i)
		g := i % groups
		p.labels[pid] = g
		for j := 0; j < m; j++ {
			if rng.Float64() >= density {
				continue
			}
			v := p.stance[g][j]
			switch r := rng.Float64(); {
			case r < 0.1:
				v = -v
			case r < 0.2:
				v = Pass
			}
			p.votes = append(p.votes, Vote{Participant: pid, Statement: int64(j + 1), Value: v})
		}
	}
	return p
}
