package polls_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/rembug/rembug/polls"
)

// TestNoDifferencingAcrossBreakdowns plays a reader who collects every
// published table of a survey (the overall results; the breakdowns by each
// single-choice and yes/no question and by region, as the page, API, CSV,
// XLSX and report show them through HiddenCells: every shown cell, every
// group's respondents and answers per question) and solves them together
// as a system of linear equations. The unknowns are the numbers of
// respondents of each possible kind (one answer or none to each question,
// a set of options of the multiple-choice question, a region group), so
// the system holds everything that adding and subtracting published
// numbers can tell. A hidden cell leaks when its value follows from the
// system but not from the overall results alone (those are published
// anyway). Many random surveys with skewed answers, so that small cells
// are common, must leak none.
func TestNoDifferencingAcrossBreakdowns(t *testing.T) {
	qs := []polls.Question{
		{Code: "s1", Kind: polls.KindSingle, Text: "S1", Spec: polls.Spec{Options: []string{"a", "b", "c"}}},
		{Code: "s2", Kind: polls.KindYesNo, Text: "S2"},
		{Code: "s3", Kind: polls.KindSingle, Text: "S3", Spec: polls.Spec{Options: []string{"w", "x", "y", "z", "u", "v"}}},
		{Code: "m", Kind: polls.KindMultiple, Text: "M", Spec: polls.Spec{Options: []string{"p", "q", "r"}, Min: 1}},
	}
	// levels of each question in a respondent's kind: the option, or the
	// last level for "not answered"; m's level is the set of options (1..7)
	levels := []int{4, 3, 7, 8}
	const k = 5
	sv := &polls.Survey{ID: 1}
	rng := rand.New(rand.NewPCG(7, 11))
	skew := func(n int) int { return min(rng.IntN(n), rng.IntN(n)) }
	leaks, cells := 0, 0
	for trial := 0; trial < 150; trial++ {
		n := 20 + rng.IntN(150)
		var all []polls.Answers
		var regions []string
		for j := 0; j < n; j++ {
			a := polls.Answers{}
			if rng.IntN(6) > 0 {
				a["s1"] = polls.Answer{Choices: []int{skew(3)}}
			}
			if rng.IntN(5) > 0 {
				a["s2"] = polls.Answer{Choices: []int{skew(2)}}
			}
			a["s3"] = polls.Answer{Choices: []int{skew(6)}}
			var m []int
			for o := 0; o < 3; o++ {
				if rng.IntN(3) == 0 {
					m = append(m, o)
				}
			}
			if len(m) == 0 {
				m = []int{skew(3)}
			}
			a["m"] = polls.Answer{Choices: m}
			all = append(all, a)
			regions = append(regions, []string{"", "Genteng", "Tegalsari", "Bubutan", "Sawahan"}[rng.IntN(5)])
		}
		overall, err := polls.Results(qs, all)
		if err != nil {
			t.Fatal(err)
		}
		byRegion, err := polls.ResultsByRegion(sv, qs, all, regions)
		if err != nil {
			t.Fatal(err)
		}
		// each respondent's region group, as the published groups name it
		regionOf := map[string]int{}
		for g, grp := range byRegion {
			regionOf[grp.Kind+"/"+grp.Name] = g
		}
		nr := len(byRegion)
		kinds := levels[0] * levels[1] * levels[2] * levels[3] * nr
		// level of question qi (0..3) or the region (4) in kind x
		level := func(x, qi int) int {
			for i := 0; i < qi; i++ {
				if i < 4 {
					x /= levels[i]
				}
			}
			if qi == 4 {
				return x
			}
			return x % levels[qi]
		}
		chose := func(x, qi, o int) bool {
			l := level(x, qi)
			if qi == 3 {
				return l&(1<<o) != 0
			}
			return l == o
		}
		answered := func(x, qi int) bool {
			l := level(x, qi)
			if qi == 3 {
				return l != 0
			}
			return l != levels[qi]-1
		}
		vec := func(f func(x int) bool) []int64 {
			v := make([]int64, kinds)
			for x := range v {
				if f(x) {
					v[x] = 1
				}
			}
			return v
		}
		// check the unknowns describe the data: each respondent's kind
		// reproduces the overall counts (guards the model itself)
		kindOf := func(j int) int {
			x, mul := 0, 1
			for qi, q := range qs {
				l := levels[qi] - 1
				if a, ok := all[j][q.Code]; ok {
					if qi == 3 {
						l = 0
						for _, o := range a.Choices {
							l |= 1 << o
						}
					} else {
						l = a.Choices[0]
					}
				} else if qi == 3 {
					l = 0
				}
				x += l * mul
				mul *= levels[qi]
			}
			g, named := regionOf[polls.GroupRegion+"/"+regions[j]]
			if regions[j] == "" {
				g = regionOf[polls.GroupUnknown+"/"]
			} else if !named {
				g = regionOf[polls.GroupOther+"/"]
			}
			return x + g*mul
		}
		counts := make([]int64, kinds)
		for j := range all {
			counts[kindOf(j)]++
		}
		value := func(v []int64) int64 {
			s := int64(0)
			for x := range v {
				s += v[x] * counts[x]
			}
			return s
		}

		base, published := newSpan(), newSpan()
		publish := func(v []int64) { base.add(v); published.add(v) }
		publish(vec(func(int) bool { return true }))
		for qi := range qs {
			v := vec(func(x int) bool { return answered(x, qi) })
			if value(v) != int64(overall[qi].Answered) {
				t.Fatalf("model gives question %s answered by %d, not %d", qs[qi].Code, value(v), overall[qi].Answered)
			}
			publish(v)
			for o := range overall[qi].Votes() {
				v := vec(func(x int) bool { return chose(x, qi, o) })
				if value(v) != int64(overall[qi].Votes()[o]) {
					t.Fatalf("model of the unknowns does not give question %s option %d", qs[qi].Code, o)
				}
				publish(v)
			}
		}
		type table struct {
			name   string
			groups []polls.Group
			member func(x, g int) bool
		}
		tables := []table{{"region", byRegion, func(x, g int) bool { return level(x, 4) == g }}}
		for bi := 0; bi < 3; bi++ {
			split, err := polls.ResultsBy(qs, all, qs[bi].Code)
			if err != nil {
				t.Fatal(err)
			}
			var gs []polls.Group
			for g, res := range split {
				gs = append(gs, polls.Group{Kind: polls.GroupOption, Option: g, Question: bi, Respondents: res[bi].Answered, Results: res})
			}
			tables = append(tables, table{"by " + qs[bi].Code, gs, func(x, g int) bool { return chose(x, bi, g) }})
		}
		type secret struct {
			where string
			v     []int64
			value int
		}
		var secrets []secret
		for _, tb := range tables {
			hidden := polls.HiddenCells(overall, tb.groups, k)
			for g, grp := range tb.groups {
				if v := vec(func(x int) bool { return tb.member(x, g) }); value(v) != int64(grp.Respondents) {
					t.Fatalf("%s: model gives group %d %d respondents, not %d", tb.name, g, value(v), grp.Respondents)
				} else {
					published.add(v)
				}
				for qi := range qs {
					v := vec(func(x int) bool { return tb.member(x, g) && answered(x, qi) })
					if value(v) != int64(grp.Results[qi].Answered) {
						t.Fatalf("%s: model gives group %d question %s answered by %d, not %d", tb.name, g, qs[qi].Code, value(v), grp.Results[qi].Answered)
					}
					published.add(v)
					for o, c := range grp.Results[qi].Votes() {
						v := vec(func(x int) bool { return tb.member(x, g) && chose(x, qi, o) })
						if value(v) != int64(c) {
							t.Fatalf("%s: model gives group %d question %s option %d as %d, not %d", tb.name, g, qs[qi].Code, o, value(v), c)
						}
						if hidden[qi][g][o] {
							secrets = append(secrets, secret{fmt.Sprintf("%s, group %d, question %s, option %d", tb.name, g, qs[qi].Code, o), v, c})
						} else {
							published.add(v)
						}
					}
				}
			}
		}
		for _, s := range secrets {
			cells++

			if published.has(s.v) && !base.has(s.v) {
				leaks++
				if leaks <= 5 {
					t.Errorf("trial %d (%d respondents): hidden cell %s = %d follows from the published tables", trial, n, s.where, s.value)
				}
			}
		}
	}
	if leaks > 0 {
		t.Fatalf("%d of %d hidden cells follow from the published tables", leaks, cells)
	}
	if cells < 200 {
		t.Fatalf("only %d hidden cells in all trials: the test does not try enough", cells)
	}
}

// span is the linear span of vectors over the integers modulo the prime
// 2^31-1 (a vector in the rational span is in this one; the converse fails
// only when the prime divides a minor, which random tests of this size do
// not meet).
type span struct {
	rows [][]int64
	piv  []int
}

const modP = 1<<31 - 1

func newSpan() *span { return &span{} }

func (s *span) reduce(v []int64) []int64 {
	w := make([]int64, len(v))
	for i := range v {
		w[i] = ((v[i] % modP) + modP) % modP
	}
	for i, row := range s.rows {
		if f := w[s.piv[i]]; f != 0 {
			for x := range w {
				if row[x] != 0 {
					w[x] = ((w[x]-f*row[x])%modP + modP) % modP
				}
			}
		}
	}
	return w
}

func (s *span) add(v []int64) {
	w := s.reduce(v)
	for p := range w {
		if w[p] != 0 {
			inv := powMod(w[p], modP-2)
			for x := range w {
				w[x] = w[x] * inv % modP
			}
			s.rows, s.piv = append(s.rows, w), append(s.piv, p)
			return
		}
	}
}

func (s *span) has(v []int64) bool {
	for _, x := range s.reduce(v) {
		if x != 0 {
			return false
		}
	}
	return true
}

func powMod(b, e int64) int64 {
	r := int64(1)
	b %= modP
	for ; e > 0; e >>= 1 {
		if e&1 == 1 {
			r = r * b % modP
		}
		b = b * b % modP
	}
	return r
}

func TestSpanSanity(t *testing.T) {
	s := newSpan()
	s.add([]int64{1, 1, 0})
	s.add([]int64{0, 1, 0})
	if !s.has([]int64{1, 0, 0}) || s.has([]int64{0, 0, 1}) {
		t.Fatal("span wrong")
	}
}
