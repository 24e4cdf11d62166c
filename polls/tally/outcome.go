package tally

import "sort"

// Outcome labels how a count ended. It is the one label every view shows next to the
// winner.
type Outcome string

const (
	// OutcomeNoVotes means no ballot expressed a preference ("belum ada suara").
	OutcomeNoVotes Outcome = "no_votes"
	// OutcomeWinner means a single winner was found without any tie-break.
	OutcomeWinner Outcome = "winner"
	// OutcomeTie means two or more options share first place; there is no single winner.
	OutcomeTie Outcome = "tie"
	// OutcomeTieBreak means a single winner was found, but only after a documented
	// tie-break rule decided at least one step of the count (see IRV).
	OutcomeTieBreak Outcome = "tie_break"
)

// Key returns the translation key of o, e.g. "poll.outcome.tie".
func (o Outcome) Key() string { return "poll.outcome." + string(o) }

// Label returns o in lang ("id" for Bahasa Indonesia, anything else for English), for
// exports and emails that are built outside the web translation files.
func (o Outcome) Label(lang string) string {
	id := lang == "id"
	switch o {
	case OutcomeNoVotes:
		return pick(id, "belum ada suara", "no votes yet")
	case OutcomeWinner:
		return pick(id, "pemenang", "winner")
	case OutcomeTie:
		return pick(id, "seri", "tie")
	case OutcomeTieBreak:
		return pick(id, "ditentukan dengan aturan pemecah seri", "decided by tie-break")
	}
	return string(o)
}

func pick(id bool, indonesian, english string) string {
	if id {
		return indonesian
	}
	return english
}

// Summary is the part of every result that views display: who won, in which order the
// options stand, and how the count ended. Option values are 0-based option indices.
type Summary struct {
	// Options is the number of options in the poll.
	Options int `json:"options"`
	// Ballots is the number of ballots counted, blank ballots included.
	Ballots int `json:"ballots"`
	// NoVotes is true when no ballot expresses any preference (zero ballots, or only
	// blank ones). Winners is then empty and Outcome is OutcomeNoVotes.
	NoVotes bool `json:"no_votes"`
	// Outcome labels how the count ended.
	Outcome Outcome `json:"outcome"`
	// Winners holds the winning option, or the tied options in option order when
	// Outcome is OutcomeTie. Never nil.
	Winners []int `json:"winners"`
	// Order lists every option once, best first; options sharing a place are in option
	// order. Views must list options in this order.
	Order []int `json:"order"`
	// Places[option] is the option's 1-based standard competition place ("1, 1, 3"):
	// options that the method cannot separate share a place.
	Places []int `json:"places"`
}

// setOrder fills s.Order and s.Places from groups, which list the options best group
// first; the options of one group share a place.
func (s *Summary) setOrder(groups [][]int) {
	s.Order = make([]int, 0, s.Options)
	s.Places = make([]int, s.Options)
	for _, g := range groups {
		place := len(s.Order) + 1
		sorted := append([]int(nil), g...)
		sort.Ints(sorted)
		for _, o := range sorted {
			s.Places[o] = place
			s.Order = append(s.Order, o)
		}
	}
}

// groupBy sorts the options 0..n-1 by better (true when a ranks strictly above b) and
// groups consecutive options that neither ranks above the other. better must be a
// strict weak order.
func groupBy(n int, better func(a, b int) bool) [][]int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return better(idx[i], idx[j]) })
	var groups [][]int
	for i, o := range idx {
		if i > 0 && !better(idx[i-1], o) {
			groups[len(groups)-1] = append(groups[len(groups)-1], o)
			continue
		}
		groups = append(groups, []int{o})
	}
	return groups
}

// finish sets Outcome, Winners, Order and Places of s from groups (best first). When
// s.NoVotes is set, every option shares first place and there is no winner.
func (s *Summary) finish(groups [][]int, tieBreakUsed bool) {
	if s.NoVotes {
		all := make([]int, s.Options)
		for i := range all {
			all[i] = i
		}
		s.setOrder([][]int{all})
		s.Winners = []int{}
		s.Outcome = OutcomeNoVotes
		return
	}
	s.setOrder(groups)
	s.Winners = append([]int{}, groups[0]...)
	sort.Ints(s.Winners)
	switch {
	case len(s.Winners) > 1:
		s.Outcome = OutcomeTie
	case tieBreakUsed:
		s.Outcome = OutcomeTieBreak
	default:
		s.Outcome = OutcomeWinner
	}
}
