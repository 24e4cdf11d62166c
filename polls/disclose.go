package polls

// Disclose applies the one rule of what an output of survey s may show
// (results page, its live updates, the JSON API, CSV and XLSX exports, the
// consultation report, the command-line export of results) to res, in
// place, and returns it. Outputs show aggregates only: open-text answers
// (KindText, QuestionResult.Texts) are never shown verbatim, in named and
// anonymous surveys alike, because one sentence can name its writer or a
// neighbour and, in an anonymous survey, its style can single the writer
// out; only their number (Answered) stays. Word questions keep their word
// counts (KindWords exists to be shown as a cloud), but in an anonymous
// survey only the words that at least k respondents gave (k below 1 means
// DefaultMinCell): a word given by one person (a name, a street) would
// single that person out of the cloud, its table and every export. Every
// output passes its results through Disclose, the groups of a breakdown
// too.
func Disclose(s *Survey, res []QuestionResult, k int) []QuestionResult {
	if k < 1 {
		k = DefaultMinCell
	}
	for i := range res {
		res[i].Texts = nil
		if s.Anonymous && res[i].Words != nil {
			words := res[i].Words[:0:0]
			for _, w := range res[i].Words {
				if w.Count >= k {
					words = append(words, w)
				}
			}
			res[i].Words = words
		}
	}
	return res
}

// DefaultMinCell is the smallest count a breakdown cell shows, and the
// smallest number of new responses of an anonymous survey that a live
// update publishes, unless the site configures another (k; see the
// README's "What results show"). Five is the usual threshold of
// statistical disclosure control for published tables of counts.
const DefaultMinCell = 5

// HiddenCells decides which cells of a breakdown an output must hide so
// that no small group of respondents can be singled out: hidden[i][g][o]
// is true when the count of option o of question i (overall[i].Votes()) in
// group g must not be shown. It hides
//   - every cell of a group with 1 to k-1 respondents (an empty group shows
//     its zeros, which the overall count already tells);
//   - every cell of an option chosen overall by 1 to k-1 respondents (the
//     mirror of the previous rule: broken down by question i, that option
//     is a group of fewer than k);
//   - every count from 1 to k-1 (primary suppression);
//   - then, as long as a group's column or an option's row has exactly one
//     hidden cell (which the group's respondents or the overall count would
//     give away by subtraction), the smallest other cell of that column or
//     row (complementary suppression), the lowest option or group on a
//     tie; the additions of one round are made together, so the outcome
//     does not depend on the order rows and columns are visited.
//
// The rules treat rows and columns alike, so the breakdown of question Q by
// question A and that of A by Q, which hold the same joint counts the
// other way round, hide the same cells: reading both gives nothing away
// that either hides (see TestBreakdownsAgreeAcrossOrientations). Other
// combinations of tables (three questions, or a question and the region)
// are not covered by this rule.
//
// Zero counts are shown unless complementary suppression hides them.
// Questions without counts (Votes() nil) have no cells. k below 1 means
// DefaultMinCell. Every output of a breakdown (page, API, CSV, XLSX) asks
// HiddenCells.
func HiddenCells(overall []QuestionResult, groups []Group, k int) [][][]bool {
	if k < 1 {
		k = DefaultMinCell
	}
	hidden := make([][][]bool, len(overall))
	for i := range overall {
		n := len(overall[i].Votes())
		if n == 0 {
			continue
		}
		cell := func(g, o int) int {
			if i < len(groups[g].Results) {
				if v := groups[g].Results[i].Votes(); o < len(v) {
					return v[o]
				}
			}
			return 0
		}
		h := make([][]bool, len(groups))
		for g := range groups {
			h[g] = make([]bool, n)
			for o := 0; o < n; o++ {
				c, total := cell(g, o), overall[i].Votes()[o]
				r := groups[g].Respondents
				h[g][o] = r > 0 && r < k || total > 0 && total < k || c > 0 && c < k
			}
		}
		for changed := true; changed; {
			changed = false
			// one more hidden cell in each line (a column: g fixed; a row:
			// o fixed) that has exactly one
			lines := [][][2]int{}
			for g := range groups {
				var l [][2]int
				for o := 0; o < n; o++ {
					l = append(l, [2]int{g, o})
				}
				lines = append(lines, l)
			}
			for o := 0; o < n && len(groups) > 1; o++ {
				var l [][2]int
				for g := range groups {
					l = append(l, [2]int{g, o})
				}
				lines = append(lines, l)
			}
			var add [][2]int // applied together, so the order of the lines does not matter
			for _, l := range lines {
				count, best := 0, [2]int{-1, -1}
				for _, c := range l {
					if h[c[0]][c[1]] {
						count++
					} else if best[0] < 0 || cell(c[0], c[1]) < cell(best[0], best[1]) {
						best = c
					}
				}
				if count == 1 && best[0] >= 0 {
					add = append(add, best)
				}
			}
			for _, c := range add {
				changed = changed || !h[c[0]][c[1]]
				h[c[0]][c[1]] = true
			}
		}
		hidden[i] = h
	}
	return hidden
}
