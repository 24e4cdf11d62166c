package tally

// SchulzeResult is the result of a Schulze count.
type SchulzeResult struct {
	Summary
	// Pairwise[i][j] is the number of ballots that rank option i above option j (d in
	// Schulze 2011). The diagonal is 0.
	Pairwise [][]int `json:"pairwise"`
	// Strongest[i][j] is the strength of the strongest path from i to j (p in Schulze
	// 2011), with a link's strength measured by winning votes: d[i][j] when
	// d[i][j] > d[j][i], else 0.
	Strongest [][]int `json:"strongest"`
	// CondorcetWinner is the option that beats every other one pairwise, or -1.
	CondorcetWinner int `json:"condorcet_winner"`
}

// Schulze counts ranked ballots by the Schulze method (M. Schulze, "A new monotonic,
// clone-independent, reversal symmetric, and Condorcet-consistent single-winner
// election method", Social Choice and Welfare 36(2):267–303, 2011), measuring link
// strength by winning votes. A ballot ranks every ranked option above every unranked
// one and expresses no preference among the unranked ones. ballots are as for IRV.
//
// Option i beats j when Strongest[i][j] > Strongest[j][i]; this relation is transitive
// (Schulze 2011, §4.1). The winners are the options no other option beats; more than
// one gives OutcomeTie (the paper's tie-breaking ranking is not applied). Order lists
// the winners, then the other options by how many options beat them (fewest first),
// then by how many they beat (most first); options equal on both share a place.
// No ballot ranking anything gives NoVotes. It returns a *BallotError for options < 1,
// an option out of range or a duplicate.
func Schulze(options int, ballots [][]int) (SchulzeResult, error) {
	if err := checkRanked(options, ballots); err != nil {
		return SchulzeResult{}, err
	}
	n := options
	res := SchulzeResult{Pairwise: square(n), Strongest: square(n), CondorcetWinner: -1}
	res.Options, res.Ballots = n, len(ballots)
	res.NoVotes = true
	// pos[o] is o's position on the current ballot; n means unranked.
	pos := make([]int, n)
	flat := make([]int, n*n)
	for _, r := range ballots {
		if len(r) == 0 {
			continue
		}
		res.NoVotes = false
		for o := range pos {
			pos[o] = n
		}
		for k, o := range r {
			pos[o] = k
		}
		// Every ranked option beats every option placed after it, ranked or not.
		for k, i := range r {
			row := flat[i*n : i*n+n]
			for j, pj := range pos {
				if pj > k {
					row[j]++
				}
			}
		}
	}
	d, p := res.Pairwise, res.Strongest
	for i := range n {
		copy(d[i], flat[i*n:i*n+n])
	}
	for i := range n {
		for j := range n {
			if i != j && d[i][j] > d[j][i] {
				p[i][j] = d[i][j]
			}
		}
	}
	for i := range n {
		for j := range n {
			if i == j || p[j][i] == 0 {
				continue
			}
			for k := range n {
				if k != i && k != j {
					p[j][k] = max(p[j][k], min(p[j][i], p[i][k]))
				}
			}
		}
	}
	beats, beatenBy := make([]int, n), make([]int, n)
	for i := range n {
		condorcet := true
		for j := range n {
			if i == j {
				continue
			}
			if p[i][j] > p[j][i] {
				beats[i]++
			} else {
				beatenBy[i] += b2i(p[j][i] > p[i][j])
			}
			condorcet = condorcet && d[i][j] > d[j][i]
		}
		if condorcet && !res.NoVotes {
			res.CondorcetWinner = i
		}
	}
	res.finish(groupBy(n, func(a, b int) bool {
		if beatenBy[a] != beatenBy[b] {
			return beatenBy[a] < beatenBy[b]
		}
		return beatenBy[a] > 0 && beats[a] > beats[b]
	}), false)
	return res, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func square(n int) [][]int {
	m := make([][]int, n)
	for i := range m {
		m[i] = make([]int, n)
	}
	return m
}
