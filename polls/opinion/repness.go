package opinion

import (
	"cmp"
	"math"
	"slices"
)

// zSig90 is the one-sided 90% critical value Pol.is uses (stats.clj
// z-sig-90?).
const zSig90 = 1.2816

// maxRepresentative is how many representative statements a group gets.
const maxRepresentative = 5

// smooth is Pol.is's pseudocount-smoothed probability (n+1)/(N+2).
func smooth(n, total int) float64 { return float64(n+1) / float64(total+2) }

// propTest is Pol.is's one-proportion z score of succ/n against 1/2 with a
// pseudocount: 2·sqrt(n+1)·((succ+1)/(n+1) − 1/2) (stats.clj prop-test).
func propTest(succ, n int) float64 {
	s, t := float64(succ+1), float64(n+1)
	return 2 * math.Sqrt(t) * (s/t - 0.5)
}

// twoPropTest is Pol.is's two-proportion z score of succIn/popIn against
// succOut/popOut, each count plus one (stats.clj two-prop-test). It is 0
// when the pooled proportion is 1.
func twoPropTest(succIn, succOut, popIn, popOut int) float64 {
	s1, s2 := float64(succIn+1), float64(succOut+1)
	p1, p2 := float64(popIn+1), float64(popOut+1)
	pi := (s1 + s2) / (p1 + p2)
	if pi >= 1 || pi <= 0 {
		return 0
	}
	return (s1/p1 - s2/p2) / math.Sqrt(pi*(1-pi)*(1/p1+1/p2))
}

// repStat holds one statement's stats for one group against the rest
// (repness.clj comment-stats and add-comparitive-stats).
type repStat struct {
	id                 int64
	in, out            Tally
	pa, pd, pat, pdt   float64
	ra, rd, rat, rdt   float64
	paOut, pdOut       float64
	agreeIsRepresented bool
}

func newRepStat(id int64, in, out Tally) repStat {
	s := repStat{id: id, in: in, out: out}
	ns, nsOut := in.Seen(), out.Seen()
	s.pa, s.pd = smooth(in.Agree, ns), smooth(in.Disagree, ns)
	s.pat, s.pdt = propTest(in.Agree, ns), propTest(in.Disagree, ns)
	s.paOut, s.pdOut = smooth(out.Agree, nsOut), smooth(out.Disagree, nsOut)
	s.ra, s.rd = s.pa/s.paOut, s.pd/s.pdOut
	s.rat = twoPropTest(in.Agree, out.Agree, ns, nsOut)
	s.rdt = twoPropTest(in.Disagree, out.Disagree, ns, nsOut)
	s.agreeIsRepresented = s.rat > s.rdt
	return s
}

// passes is Pol.is's passes-by-test?: both the in-group share and the
// difference from the rest are significant, for agree or for disagree.
func (s repStat) passes() bool {
	return (s.rat > zSig90 && s.pat > zSig90) || (s.rdt > zSig90 && s.pdt > zSig90)
}

// metric is Pol.is's repness-metric: ratio × ratio test × share × share test
// for the represented direction.
func (s repStat) metric() float64 {
	if s.agreeIsRepresented {
		return s.ra * s.rat * s.pa * s.pat
	}
	return s.rd * s.rdt * s.pd * s.pdt
}

// opinion formats the stat in its represented direction
// (repness.clj finalize-cmt-stats).
func (s repStat) opinion(agree bool) Opinion {
	o := Opinion{Statement: s.id, Seen: s.in.Seen(), AgreeIn: s.pa, AgreeOut: s.paOut}
	if agree {
		o.Direction, o.Count, o.Share, o.ShareOutside, o.Ratio, o.Z, o.ZOutside =
			"agree", s.in.Agree, s.pa, s.paOut, s.ra, s.pat, s.rat
	} else {
		o.Direction, o.Count, o.Share, o.ShareOutside, o.Ratio, o.Z, o.ZOutside =
			"disagree", s.in.Disagree, s.pd, s.pdOut, s.rd, s.pdt, s.rdt
	}
	return o
}

// beatsBestAgree is Pol.is's beats-best-agr?: the statement the group most
// clearly agrees with, preferring representativeness once one is found.
func (s repStat) beatsBestAgree(best *repStat) bool {
	switch {
	case s.in.Agree == 0 && s.in.Disagree == 0:
		return false
	case best != nil && best.ra > 1:
		return s.ra*s.rat*s.pa*s.pat > best.ra*best.rat*best.pa*best.pat
	case best != nil:
		return s.pa*s.pat > best.pa*best.pat
	default:
		return s.pat > zSig90 || (s.ra > 1 && s.pa > 0.5)
	}
}

// representative selects up to maxRepresentative statements for one group
// as Pol.is's select-rep-comments does: statements passing both tests,
// sorted by metric, led by the best agreed statement, agrees before
// disagrees; failing that, the single best statement by test score.
func representative(stats []repStat) []Opinion {
	var sufficient []repStat
	var best, bestAgree *repStat
	for i := range stats {
		s := &stats[i]
		if s.in.Seen() == 0 {
			continue
		}
		if s.passes() {
			sufficient = append(sufficient, *s)
		}
		if len(sufficient) == 0 && (best == nil || math.Max(s.rat, s.rdt) > math.Max(best.rat, best.rdt)) {
			best = s
		}
		if s.beatsBestAgree(bestAgree) {
			bestAgree = s
		}
	}
	out := []Opinion{}
	if len(sufficient) == 0 {
		switch {
		case bestAgree != nil:
			return append(out, bestAgree.opinion(true))
		case best != nil:
			return append(out, best.opinion(best.agreeIsRepresented))
		}
		return out
	}
	slices.SortStableFunc(sufficient, func(a, b repStat) int { return cmp.Compare(b.metric(), a.metric()) })
	if bestAgree != nil {
		out = append(out, bestAgree.opinion(true))
	}
	for _, s := range sufficient {
		if len(out) == maxRepresentative {
			break
		}
		if bestAgree == nil || s.id != bestAgree.id {
			out = append(out, s.opinion(s.agreeIsRepresented))
		}
	}
	slices.SortStableFunc(out, func(a, b Opinion) int {
		return cmp.Compare(boolRank(a.Direction != "agree"), boolRank(b.Direction != "agree"))
	})
	return out
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
