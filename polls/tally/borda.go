package tally

// BordaResult is the result of a Borda count.
type BordaResult struct {
	Summary
	// Points[option] is the option's Borda score.
	Points []int `json:"points"`
}

// Borda counts ranked ballots by the Borda count (J.-C. de Borda, "Mémoire sur les
// élections au scrutin", Histoire de l'Académie Royale des Sciences, 1781). With n
// options, the option a ballot ranks at 0-based position k earns n-1-k points; options a
// truncated ballot leaves unranked earn 0. ballots are as for IRV.
//
// The option with most points wins; equal top scores give OutcomeTie (no tie-break).
// Options with equal points share a place. No ballot ranking anything gives NoVotes.
// It returns a *BallotError for options < 1, an option out of range or a duplicate.
func Borda(options int, ballots [][]int) (BordaResult, error) {
	if err := checkRanked(options, ballots); err != nil {
		return BordaResult{}, err
	}
	res := BordaResult{Points: make([]int, options)}
	res.Options, res.Ballots = options, len(ballots)
	res.NoVotes = true
	for _, r := range ballots {
		for k, o := range r {
			res.Points[o] += options - 1 - k
			res.NoVotes = false
		}
	}
	pts := res.Points
	res.finish(groupBy(options, func(a, b int) bool { return pts[a] > pts[b] }), false)
	return res, nil
}
