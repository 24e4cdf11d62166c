package tally

// Reason says why a round of an instant-runoff count ended the way it did.
type Reason string

const (
	// ReasonMajority: an option holds more than half of the continuing ballots; it wins.
	ReasonMajority Reason = "majority"
	// ReasonAllTied: every continuing option holds the same number of ballots; the
	// count stops and those options tie for first place.
	ReasonAllTied Reason = "all_tied"
	// ReasonNoBallots: no ballot ranks any option (the poll has no votes).
	ReasonNoBallots Reason = "no_ballots"
	// ReasonZeroVotes: the options holding no ballot are eliminated together; this
	// moves no ballot, so no tie-break is needed.
	ReasonZeroVotes Reason = "zero_votes"
	// ReasonFewestVotes: the single option with the fewest ballots is eliminated.
	ReasonFewestVotes Reason = "fewest_votes"
	// ReasonEarlierRound: several options tied for fewest ballots; the one with the
	// fewest ballots in the latest earlier round that separates them is eliminated.
	ReasonEarlierRound Reason = "tie_break_earlier_round"
	// ReasonOptionOrder: several options tied for fewest ballots in this and every
	// earlier round; the one listed last in the poll's option order is eliminated.
	ReasonOptionOrder Reason = "tie_break_option_order"
)

// Key returns the translation key of r, e.g. "poll.irv.fewest_votes".
func (r Reason) Key() string { return "poll.irv." + string(r) }

// Label returns r in lang ("id" or English otherwise).
func (r Reason) Label(lang string) string {
	id := lang == "id"
	switch r {
	case ReasonMajority:
		return pick(id, "mayoritas (lebih dari 50% surat suara yang masih berlaku)", "majority (more than 50% of continuing ballots)")
	case ReasonAllTied:
		return pick(id, "semua pilihan yang tersisa seri", "all remaining options tied")
	case ReasonNoBallots:
		return pick(id, "belum ada suara", "no votes yet")
	case ReasonZeroVotes:
		return pick(id, "tidak memperoleh suara", "received no votes")
	case ReasonFewestVotes:
		return pick(id, "suara paling sedikit", "fewest votes")
	case ReasonEarlierRound:
		return pick(id, "seri; pemecah seri: suara lebih sedikit di putaran sebelumnya", "tie; tie-break: fewer votes in an earlier round")
	case ReasonOptionOrder:
		return pick(id, "seri; pemecah seri: urutan pilihan (yang terakhir dieliminasi)", "tie; tie-break: option order (last listed is eliminated)")
	}
	return string(r)
}

// OptionVotes is the number of ballots an option holds in one round.
type OptionVotes struct {
	Option int `json:"option"`
	Votes  int `json:"votes"`
	// Share is Votes divided by the round's continuing ballots, in [0,1].
	Share float64 `json:"share"`
}

// Round is one row of the instant-runoff table.
type Round struct {
	// Number is 1-based.
	Number int `json:"number"`
	// Tallies lists the continuing options of this round in option order.
	Tallies []OptionVotes `json:"tallies"`
	// Continuing is the number of ballots counting for a continuing option.
	Continuing int `json:"continuing"`
	// Exhausted is the number of ballots (blank ones included) that rank no continuing
	// option, cumulated over rounds. Continuing + Exhausted = Ballots.
	Exhausted int `json:"exhausted"`
	// Tied lists, in option order, the options tied for fewest ballots when a
	// tie-break was needed; empty otherwise.
	Tied []int `json:"tied"`
	// Eliminated lists the options eliminated at the end of this round (empty in the
	// final round).
	Eliminated []int `json:"eliminated"`
	// Reason says why the round ended as it did.
	Reason Reason `json:"reason"`
}

// IRVResult is the result of an instant-runoff count.
type IRVResult struct {
	Summary
	// Rounds is the round-by-round table; it has at least one round.
	Rounds []Round `json:"rounds"`
	// TieBreakUsed is true when an elimination needed ReasonEarlierRound or
	// ReasonOptionOrder. With a single winner the Outcome is then OutcomeTieBreak.
	TieBreakUsed bool `json:"tie_break_used"`
}

// IRV counts ranked ballots by instant-runoff voting. ballots[i] lists distinct 0-based
// options, most preferred first; it may stop early (truncated), and an empty ranking
// is a blank ballot. Equal rankings are not supported.
//
// Each round every ballot counts for its highest-ranked continuing option; a ballot
// with none left is exhausted. Then, in this order:
//
//  1. No ballot counts (only possible in round 1): NoVotes, ReasonNoBallots.
//  2. An option holds more than 50% of the continuing ballots (votes·2 > continuing;
//     exactly 50% is not a majority): it wins, ReasonMajority.
//  3. Some continuing options hold zero ballots: they are all eliminated,
//     ReasonZeroVotes.
//  4. Every continuing option holds the same number of ballots: the count stops and
//     they tie (OutcomeTie, ReasonAllTied). No tie-break ever picks a winner.
//  5. Otherwise the option with the fewest ballots is eliminated and its ballots move
//     to their next continuing preference. When several options tie for fewest, the
//     tie-break is, precisely: among the tied options, keep those with the fewest
//     ballots in the previous round; if still more than one, those with the fewest in
//     the round before, and so on back to round 1 (ReasonEarlierRound when this
//     leaves one); if still tied, the option listed last in the poll's option order
//     (the highest index) is eliminated (ReasonOptionOrder).
//
// Order lists the winner (or tied winners), then the other options still continuing in
// the last round by their ballots there, then the eliminated options, last eliminated
// first; options eliminated together share a place. It returns a *BallotError for
// options < 1, an option out of range or a duplicate within a ranking.
func IRV(options int, ballots [][]int) (IRVResult, error) {
	if err := checkRanked(options, ballots); err != nil {
		return IRVResult{}, err
	}
	var res IRVResult
	res.Options, res.Ballots = options, len(ballots)
	cont := make([]bool, options)
	for i := range cont {
		cont[i] = true
	}
	piles := make([][]int32, options)
	cursor := make([]int32, len(ballots))
	exhausted := 0
	for b, r := range ballots {
		if len(r) == 0 {
			exhausted++
			continue
		}
		piles[r[0]] = append(piles[r[0]], int32(b))
	}
	var history [][]int
	var batches [][]int
	var final []int
	for n := 1; ; n++ {
		counts := make([]int, options)
		rd := Round{Number: n, Continuing: len(ballots) - exhausted, Exhausted: exhausted,
			Tied: []int{}, Eliminated: []int{}}
		lo, hi := -1, -1
		for o := range options {
			if !cont[o] {
				continue
			}
			counts[o] = len(piles[o])
			rd.Tallies = append(rd.Tallies, OptionVotes{Option: o, Votes: counts[o],
				Share: Share(counts[o], rd.Continuing)})
			if lo < 0 || counts[o] < lo {
				lo = counts[o]
			}
			hi = max(hi, counts[o])
		}
		history = append(history, counts)
		if rd.Continuing == 0 {
			rd.Reason = ReasonNoBallots
			res.NoVotes = true
			res.Rounds = append(res.Rounds, rd)
			break
		}
		if 2*hi > rd.Continuing || hi == lo {
			rd.Reason = ReasonMajority
			if hi == lo && 2*hi <= rd.Continuing {
				rd.Reason = ReasonAllTied
			}
			final = counts
			res.Rounds = append(res.Rounds, rd)
			break
		}
		var out []int
		if lo == 0 {
			for o := range options {
				if cont[o] && counts[o] == 0 {
					out = append(out, o)
				}
			}
			rd.Reason = ReasonZeroVotes
		} else {
			out, rd.Reason = fewest(cont, history, lo)
			if rd.Reason != ReasonFewestVotes {
				res.TieBreakUsed = true
				for o := range options {
					if cont[o] && counts[o] == lo {
						rd.Tied = append(rd.Tied, o)
					}
				}
			}
		}
		rd.Eliminated = out
		res.Rounds = append(res.Rounds, rd)
		batches = append(batches, out)
		for _, e := range out {
			cont[e] = false
		}
		for _, e := range out {
			for _, b := range piles[e] {
				r := ballots[b]
				c := cursor[b] + 1
				for int(c) < len(r) && !cont[r[c]] {
					c++
				}
				cursor[b] = c
				if int(c) == len(r) {
					exhausted++
					continue
				}
				piles[r[c]] = append(piles[r[c]], b)
			}
			piles[e] = nil
		}
	}
	res.finish(irvGroups(cont, final, batches), res.TieBreakUsed)
	return res, nil
}

// fewest picks the one option to eliminate among the continuing options holding lo
// ballots in the last round of history, applying the documented tie-break.
func fewest(cont []bool, history [][]int, lo int) ([]int, Reason) {
	last := history[len(history)-1]
	var tied []int
	for o, c := range cont {
		if c && last[o] == lo {
			tied = append(tied, o)
		}
	}
	if len(tied) == 1 {
		return tied, ReasonFewestVotes
	}
	for k := len(history) - 2; k >= 0 && len(tied) > 1; k-- {
		m := -1
		for _, o := range tied {
			if m < 0 || history[k][o] < m {
				m = history[k][o]
			}
		}
		kept := tied[:0]
		for _, o := range tied {
			if history[k][o] == m {
				kept = append(kept, o)
			}
		}
		tied = kept
	}
	if len(tied) == 1 {
		return tied, ReasonEarlierRound
	}
	return []int{tied[len(tied)-1]}, ReasonOptionOrder
}

// irvGroups orders the options for the Summary: the final round's continuing options by
// their ballots (best first), then the elimination batches, last first. final is nil
// when nothing was counted.
func irvGroups(cont []bool, final []int, batches [][]int) [][]int {
	if final == nil {
		return nil
	}
	var live []int
	for o, c := range cont {
		if c {
			live = append(live, o)
		}
	}
	var groups [][]int
	for _, g := range groupBy(len(live), func(a, b int) bool { return final[live[a]] > final[live[b]] }) {
		opts := make([]int, len(g))
		for i, x := range g {
			opts[i] = live[x]
		}
		groups = append(groups, opts)
	}
	for i := len(batches) - 1; i >= 0; i-- {
		groups = append(groups, batches[i])
	}
	return groups
}
