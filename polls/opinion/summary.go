package opinion

import (
	"cmp"
	"math"
	"slices"
)

// maxListed bounds the Majority (per direction) and Divisive lists.
const maxListed = 5

// summarize fills Statements, Majority, Divisive and each group's
// Representative from the votes, given each row's group (-1 = none) and
// the number of groups k.
func summarize(m *matrix, member []int, k int, res *Result) {
	nc := len(m.sids)
	all := make([]Tally, nc)
	per := make([]Tally, nc*k)
	for r := 0; r < m.rows(); r++ {
		g := member[r]
		for p := m.start[r]; p < m.start[r+1]; p++ {
			c := int(m.cols[p])
			add(&all[c], m.vals[p])
			if g >= 0 {
				add(&per[c*k+g], m.vals[p])
			}
		}
	}
	for c, id := range m.sids {
		res.Statements = append(res.Statements, statementStats(id, all[c], per[c*k:(c+1)*k]))
	}
	res.Majority = majority(m.sids, all)
	if k < 2 {
		return
	}
	res.Divisive = divisive(res.Statements)
	for g := range res.Groups {
		stats := make([]repStat, nc)
		for c, id := range m.sids {
			var out Tally
			for h, t := range per[c*k : (c+1)*k] {
				if h != g {
					out.Agree += t.Agree
					out.Disagree += t.Disagree
					out.Pass += t.Pass
				}
			}
			stats[c] = newRepStat(id, per[c*k+g], out)
		}
		res.Groups[g].Representative = representative(stats)
	}
}

func add(t *Tally, v int8) {
	switch v {
	case Agree:
		t.Agree++
	case Disagree:
		t.Disagree++
	default:
		t.Pass++
	}
}

// statementStats computes group-informed consensus (conversation.clj
// group-aware-consensus) and divisiveness for one statement.
func statementStats(id int64, all Tally, groups []Tally) StatementStats {
	s := StatementStats{ID: id, All: all, PerGroup: slices.Clone(groups)}
	if s.PerGroup == nil {
		s.PerGroup = []Tally{}
	}
	if len(groups) < 2 {
		s.Consensus = smooth(all.Agree, all.Seen())
		s.ConsensusDisagree = smooth(all.Disagree, all.Seen())
		return s
	}
	s.Consensus, s.ConsensusDisagree = 1, 1
	lo, hi := 1.0, 0.0
	for _, t := range groups {
		pa := smooth(t.Agree, t.Seen())
		s.Consensus *= pa
		s.ConsensusDisagree *= smooth(t.Disagree, t.Seen())
		lo, hi = math.Min(lo, pa), math.Max(hi, pa)
	}
	s.Divisiveness = hi - lo
	return s
}

// majority selects up to maxListed statements agreed with, then up to
// maxListed disagreed with, by all participants: smoothed share above 1/2
// and significant (z > 1.2816), ranked by share × z (repness.clj
// select-consensus-comments).
func majority(ids []int64, all []Tally) []Opinion {
	out := []Opinion{}
	for _, agree := range []bool{true, false} {
		var picked []Opinion
		for c, t := range all {
			n := t.Disagree
			dir := "disagree"
			if agree {
				n, dir = t.Agree, "agree"
			}
			p, z := smooth(n, t.Seen()), propTest(n, t.Seen())
			if p > 0.5 && z > zSig90 {
				picked = append(picked, Opinion{Statement: ids[c], Direction: dir, Count: n, Seen: t.Seen(), Share: p, Z: z})
			}
		}
		slices.SortStableFunc(picked, func(a, b Opinion) int { return cmp.Compare(b.Share*b.Z, a.Share*a.Z) })
		out = append(out, picked[:min(len(picked), maxListed)]...)
	}
	return out
}

// divisive lists up to maxListed statements seen by every group, most
// divisive first, skipping those with no spread.
func divisive(stats []StatementStats) []int64 {
	var cand []StatementStats
	for _, s := range stats {
		seen := true
		for _, t := range s.PerGroup {
			seen = seen && t.Seen() > 0
		}
		if seen && s.Divisiveness > 0 {
			cand = append(cand, s)
		}
	}
	slices.SortStableFunc(cand, func(a, b StatementStats) int { return cmp.Compare(b.Divisiveness, a.Divisiveness) })
	out := []int64{}
	for _, s := range cand[:min(len(cand), maxListed)] {
		out = append(out, s.ID)
	}
	return out
}

// sanitize replaces any non-finite float with 0. The computations above
// guard every division, so this is a last line of defence that keeps the
// JSON encodable (CASES.md C20).
func sanitize(r *Result) {
	fix := func(x *float64) {
		if math.IsNaN(*x) || math.IsInf(*x, 0) {
			*x = 0
		}
	}
	fixOp := func(o *Opinion) {
		for _, x := range []*float64{&o.Share, &o.ShareOutside, &o.AgreeIn, &o.AgreeOut, &o.Ratio, &o.Z, &o.ZOutside} {
			fix(x)
		}
	}
	fix(&r.Silhouette)
	for i := range r.Participants {
		fix(&r.Participants[i].X)
		fix(&r.Participants[i].Y)
	}
	for i := range r.Groups {
		fix(&r.Groups[i].X)
		fix(&r.Groups[i].Y)
		for j := range r.Groups[i].Representative {
			fixOp(&r.Groups[i].Representative[j])
		}
	}
	for i := range r.Statements {
		s := &r.Statements[i]
		fix(&s.Consensus)
		fix(&s.ConsensusDisagree)
		fix(&s.Divisiveness)
	}
	for i := range r.Majority {
		fixOp(&r.Majority[i])
	}
}
