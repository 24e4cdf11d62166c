package tally

import "fmt"

// Count is the result of a plurality, approval or yes/no poll.
type Count struct {
	Summary
	// Votes[option] is the number of ballots that chose or approved the option.
	Votes []int `json:"votes"`
	// Shares[option] is Votes[option]/Ballots in [0,1]: for plurality the shares sum to
	// 1; for approval each is the fraction of ballots approving the option. All 0 when
	// there are no ballots.
	Shares []float64 `json:"shares"`
}

// Percents returns the shares as percentages for display, rounded to decimals places.
// When every ballot holds exactly one vote (plurality, yes/no) it uses Percents, so the
// values sum to exactly 100; otherwise (approval) each value is rounded on its own with
// Percent.
func (c Count) Percents(decimals int) []float64 {
	sum := 0
	for _, v := range c.Votes {
		sum += v
	}
	if sum == c.Ballots {
		return Percents(c.Votes, decimals)
	}
	out := make([]float64, len(c.Votes))
	for i, v := range c.Votes {
		out[i] = Percent(v, c.Ballots, decimals)
	}
	return out
}

// newCount ranks options by votes, most first; equal votes share a place. Ballots must
// already be set.
func newCount(votes []int, ballots int) Count {
	c := Count{Votes: votes, Shares: make([]float64, len(votes))}
	c.Options, c.Ballots = len(votes), ballots
	total := 0
	for i, v := range votes {
		c.Shares[i] = Share(v, ballots)
		total += v
	}
	c.NoVotes = total == 0
	c.finish(groupBy(len(votes), func(a, b int) bool { return votes[a] > votes[b] }), false)
	return c
}

// Plurality counts single-choice ballots: votes[i] is the 0-based option chosen by
// ballot i. The option with most votes wins; equal top counts give OutcomeTie (no
// tie-break: a tied single-choice poll is reported as tied). Zero ballots give
// NoVotes. It returns a *BallotError for options < 1 or a vote outside 0..options-1.
func Plurality(options int, votes []int) (Count, error) {
	if options < 1 {
		return Count{}, pollError("need at least one option, got %d", options)
	}
	counts := make([]int, options)
	for i, v := range votes {
		if v < 0 || v >= options {
			return Count{}, &BallotError{Kind: KindOptionRange, Ballot: i, Value: v,
				Detail: fmt.Sprintf("options 0..%d", options-1)}
		}
		counts[v]++
	}
	return newCount(counts, len(votes)), nil
}

// FromCounts builds a plurality result from votes already counted per option (e.g. by
// a database GROUP BY): counts[option] >= 0. The result is identical to Plurality on
// the same ballots. It returns a *BallotError for an empty or negative count.
func FromCounts(counts []int) (Count, error) {
	if len(counts) < 1 {
		return Count{}, pollError("need at least one option")
	}
	total := 0
	for i, c := range counts {
		if c < 0 {
			return Count{}, pollError("negative count %d for option %d", c, i)
		}
		total += c
	}
	return newCount(append([]int(nil), counts...), total), nil
}

// Selection is the rule of an approval (multiple-choice) question: each ballot selects
// at least Min and at most Max distinct options. Max 0 means "up to every option".
type Selection struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// Approval counts multiple-choice ballots: ballots[i] lists the distinct 0-based
// options that ballot i approves. Each option's share is the fraction of ballots that
// approve it, so shares need not sum to 1. The most-approved option wins; equal top
// counts give OutcomeTie. Blank ballots (allowed when rule.Min is 0) count in Ballots.
// It returns a *BallotError for an impossible rule, an option out of range, a
// duplicate, or a ballot with fewer than Min or more than Max selections.
func Approval(options int, ballots [][]int, rule Selection) (Count, error) {
	if options < 1 {
		return Count{}, pollError("need at least one option, got %d", options)
	}
	hi := rule.Max
	if hi == 0 {
		hi = options
	}
	if rule.Min < 0 || hi < rule.Min || rule.Min > options || hi > options {
		return Count{}, pollError("selection rule min %d max %d impossible with %d options",
			rule.Min, rule.Max, options)
	}
	seen := make([]int, options)
	for i := range seen {
		seen[i] = -1
	}
	counts := make([]int, options)
	for b, sel := range ballots {
		if len(sel) < rule.Min {
			return Count{}, &BallotError{Kind: KindTooFew, Ballot: b, Value: len(sel),
				Detail: fmt.Sprintf("at least %d", rule.Min)}
		}
		if len(sel) > hi {
			return Count{}, &BallotError{Kind: KindTooMany, Ballot: b, Value: len(sel),
				Detail: fmt.Sprintf("at most %d", hi)}
		}
		if err := checkSelection(options, b, sel, seen, b); err != nil {
			return Count{}, err
		}
		for _, o := range sel {
			counts[o]++
		}
	}
	return newCount(counts, len(ballots)), nil
}

// Option indices of a yes/no poll.
const (
	OptionYes = 0
	OptionNo  = 1
)

// YesNoResult is the result of a yes/no question.
type YesNoResult struct {
	// Count has two options, OptionYes and OptionNo; Ballots = yes + no.
	Count
	// Abstain is the number of explicit abstentions; they are not part of Ballots or
	// of the shares.
	Abstain int `json:"abstain"`
	// Passed is true when yes > no: a simple majority of the votes cast, abstentions
	// excluded. A tie does not pass.
	Passed bool `json:"passed"`
}

// YesNo counts a yes/no question from its totals. It returns a *BallotError when a
// total is negative.
func YesNo(yes, no, abstain int) (YesNoResult, error) {
	if yes < 0 || no < 0 || abstain < 0 {
		return YesNoResult{}, pollError("negative total (yes %d, no %d, abstain %d)", yes, no, abstain)
	}
	return YesNoResult{Count: newCount([]int{yes, no}, yes+no), Abstain: abstain, Passed: yes > no}, nil
}
