package report

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/rembug/rembug/polls/opinion"
	"github.com/rembug/rembug/search/indonesian"
)

// Term is a key term of a group: Term is the most frequent surface form of
// the stem; Score is its contrasted TF-IDF weight (see keyTerms) relative
// to the group's best term (0..1).
type Term struct {
	Term  string  `json:"term"`
	Score float64 `json:"score"`
}

// Key-term parameters.
const (
	termsPerGroup = 8
	minTermRunes  = 3
)

// keyTerms fills each group's KeyTerms with the words of the statements
// the group agrees with that set it apart from the other groups: a TF-IDF
// (Salton and Buckley, "Term-weighting approaches in automatic text
// retrieval", 1988) whose term frequency is contrasted between the group
// and the rest, in the spirit of Monroe, Colaresi and Quinn's comparison of
// word use between groups ("Fightin' Words", Political Analysis 16(4),
// 2008).
//
// The documents are the visible statements. For group g and statement s,
// let a_g(s) be g's smoothed agree share (n+1)/(seen+2) and a_¬g(s) that
// of every participant in the other groups taken together. The contrast
// frequency of term t is
//
//	c_g(t) = Σ_s count(t, s) · (a_g(s) − a_¬g(s))
//
// over every statement, so a word that all groups meet in statements they
// agree with alike (in the SSIS Land Bank conversation, "land" and
// "bank") cancels out, and a word of statements the others agree with more
// counts against g. The weight is c_g(t) · idf(t) with idf(t) =
// ln((1+N)/(1+df(t))), which is 0 for a word in every statement. Only
// terms of at least one statement g agrees with (a_g > 1/2) and with a
// positive weight are kept, at most termsPerGroup, scored relative to the
// group's best (0..1).
func keyTerms(groups []Group, stmts []Statement) {
	if len(groups) == 0 || len(stmts) == 0 {
		return
	}
	a := indonesian.NewAnalyzer(minTermRunes)
	toks := make([][][2]string, len(stmts))
	df := map[string]int{}
	for i, s := range stmts {
		toks[i] = a.Tokens(s.Text)
	}
	foldPlurals(toks)
	surface := map[string]map[string]int{}
	for i := range toks {
		seen := map[string]bool{}
		for _, t := range toks[i] {
			if surface[t[0]] == nil {
				surface[t[0]] = map[string]int{}
			}
			surface[t[0]][t[1]]++
			if !seen[t[0]] {
				seen[t[0]] = true
				df[t[0]]++
			}
		}
	}
	n := float64(len(stmts))
	for gi := range groups {
		contrast := map[string]float64{}
		agreed := map[string]bool{}
		for i, s := range stmts {
			if gi >= len(s.Groups) {
				continue
			}
			var out opinion.Tally
			for h, t := range s.Groups {
				if h != gi {
					out.Agree, out.Disagree, out.Pass = out.Agree+t.Agree, out.Disagree+t.Disagree, out.Pass+t.Pass
				}
			}
			in := s.Groups[gi]
			ag := smoothed(in.Agree, in.Seen())
			d := ag - smoothed(out.Agree, out.Seen())
			for _, t := range toks[i] {
				contrast[t[0]] += d
				if ag > 0.5 && in.Seen() > 0 {
					agreed[t[0]] = true
				}
			}
		}
		terms := []Term{}
		for stem, c := range contrast {
			w := c * math.Log((1+n)/(1+float64(df[stem])))
			if !agreed[stem] || !(w > 1e-9) {
				continue
			}
			terms = append(terms, Term{Term: mostFrequent(surface[stem]), Score: w})
		}
		slices.SortFunc(terms, func(x, y Term) int { return cmp.Or(cmp.Compare(y.Score, x.Score), strings.Compare(x.Term, y.Term)) })
		terms = terms[:min(termsPerGroup, len(terms))]
		if len(terms) > 0 {
			top := terms[0].Score
			for i := range terms {
				terms[i].Score = math.Round(terms[i].Score/top*1000) / 1000
			}
		}
		groups[gi].KeyTerms = terms
	}
}

// foldPlurals maps an English plural stem ("lands", "parks") to its
// singular when the singular occurs in the statements too, so the two
// count as one term; the Indonesian stemmer leaves English words alone.
func foldPlurals(toks [][][2]string) {
	all := map[string]bool{}
	for _, ts := range toks {
		for _, t := range ts {
			all[t[0]] = true
		}
	}
	for _, ts := range toks {
		for k, t := range ts {
			s := t[0]
			if len(s) > minTermRunes && strings.HasSuffix(s, "s") && !strings.HasSuffix(s, "ss") && all[s[:len(s)-1]] {
				ts[k][0] = s[:len(s)-1]
			}
		}
	}
}

// mostFrequent returns the most frequent key of m, the smallest on ties.
func mostFrequent(m map[string]int) string {
	best, bn := "", -1
	for w, c := range m {
		if c > bn || (c == bn && w < best) {
			best, bn = w, c
		}
	}
	return best
}
