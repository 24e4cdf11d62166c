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
// group g must not be shown. It is cell suppression as statistical
// disclosure control does it for tables of counts (Hundepool et al.,
// "Statistical Disclosure Control", Wiley 2012, ch. 4; Eurostat, "Handbook
// on Statistical Disclosure Control", 2.0, 2010, ch. 4).
//
// Primary suppression hides
//   - every cell of a group with 1 to k-1 respondents (an empty group shows
//     its zeros, which the overall count already tells);
//   - every cell of an option chosen overall by 1 to k-1 respondents (the
//     mirror of the previous rule: broken down by question i, that option
//     is a group of fewer than k);
//   - every count from 1 to k-1.
//
// Secondary (complementary) suppression then hides more cells until no
// hidden cell can be worked out by adding and subtracting what is
// published. The reader is assumed to know every row total and every
// column total of the table (overall counts, group respondents and answers;
// what a reader of the other breakdowns can also work out) and every shown
// cell. A hidden cell is then worked out exactly when it is a bridge of the
// bipartite graph whose nodes are the rows and columns and whose edges are
// the hidden cells (it lies on no cycle: the alternating changes along a
// cycle keep every total and leave the cell open). Each bridge is put on a
// cycle by the hypercube method (Repsilber 1994; Giessing and Repsilber
// 2002; Hundepool et al. 2012, section 4.4.4): the rectangle of the cell,
// another row and another column, chosen to hide the fewest new cells and
// then the smallest sum of counts, the lowest row and column on a tie,
// never a row or column whose total is 0 (its zeros are known). A table of
// one row or one column cannot be protected that way: there the smallest
// other cell of the line is hidden (the line's total, published anyway,
// tells what the line holds).
//
// The published breakdowns are all tables of two variables (a question by
// a question, or by the region), and tables of two variables share only
// their one-variable totals, which the rule already assumes known: so no
// combination of published tables (the overall results, Q by A, Q by B,
// A by B, Q by region) works out a hidden cell either
// (TestNoDifferencingAcrossBreakdowns plays that reader). A pair of
// questions is published twice, Q by A and A by Q; the rule runs on the
// table in one orientation (rows: the question asked first), so both hide
// the same cells (TestBreakdownsAgreeAcrossOrientations). Groups of kind
// GroupOption must carry the index of their breakdown question (Group.Question).
//
// The guarantee is linear: bounds from counts never being negative can
// narrow a hidden cell to a range (a rectangle of small counts may give a
// narrow one), and the percentages of shown cells are rounded over the
// whole group (largest remainder), hidden cells included.
//
// Zero counts are shown unless secondary suppression hides them. Questions
// without counts (Votes() nil) have no cells. k below 1 means
// DefaultMinCell. Every output of a breakdown (page, API, CSV, XLSX) asks
// HiddenCells.
func HiddenCells(overall []QuestionResult, groups []Group, k int) [][][]bool {
	if k < 1 {
		k = DefaultMinCell
	}
	hidden := make([][][]bool, len(overall))
	for i := range overall {
		n := len(overall[i].Votes())
		if n == 0 || len(groups) == 0 {
			continue
		}
		// the table in its canonical orientation: rows × columns
		flip := groups[0].Kind == GroupOption && i < groups[0].Question
		rows, cols := len(groups), n
		if flip {
			rows, cols = n, len(groups)
		}
		val := make([][]int, rows)
		h := make([][]bool, rows)
		for r := range val {
			val[r], h[r] = make([]int, cols), make([]bool, cols)
		}
		for g := range groups {
			for o := 0; o < n; o++ {
				c := 0
				if i < len(groups[g].Results) {
					if v := groups[g].Results[i].Votes(); o < len(v) {
						c = v[o]
					}
				}
				total := overall[i].Votes()[o]
				resp := groups[g].Respondents
				r, col := g, o
				if flip {
					r, col = o, g
				}
				val[r][col] = c
				h[r][col] = resp > 0 && resp < k || total > 0 && total < k || c > 0 && c < k
			}
		}
		protect(val, h)
		out := make([][]bool, len(groups))
		for g := range groups {
			out[g] = make([]bool, n)
			for o := 0; o < n; o++ {
				if flip {
					out[g][o] = h[o][g]
				} else {
					out[g][o] = h[g][o]
				}
			}
		}
		hidden[i] = out
	}
	return hidden
}

// protect adds hidden cells to h (a table of counts val, rows × columns)
// until no hidden cell is a bridge of the graph of hidden cells, or the
// bridges left cannot be put on a cycle (see HiddenCells).
func protect(val [][]int, h [][]bool) {
	rows := len(val)
	if rows == 0 {
		return
	}
	cols := len(val[0])
	rowSum, colSum := make([]int, rows), make([]int, cols)
	for r := range val {
		for c := range val[r] {
			rowSum[r] += val[r][c]
			colSum[c] += val[r][c]
		}
	}
	stuck := map[[2]int]bool{}
	for {
		br, ok := firstBridge(h, stuck)
		if !ok {
			return
		}
		r, c := br[0], br[1]
		// hypercube: the cheapest rectangle (r,c), (r,c2), (r2,c), (r2,c2)
		best, bestNew, bestSum := [2]int{-1, -1}, 0, 0
		for r2 := 0; r2 < rows; r2++ {
			if r2 == r || rowSum[r2] == 0 {
				continue
			}
			for c2 := 0; c2 < cols; c2++ {
				if c2 == c || colSum[c2] == 0 {
					continue
				}
				nw, sum := 0, 0
				for _, x := range [][2]int{{r, c2}, {r2, c}, {r2, c2}} {
					if !h[x[0]][x[1]] {
						nw++
						sum += val[x[0]][x[1]]
					}
				}
				if best[0] < 0 || nw < bestNew || nw == bestNew && sum < bestSum {
					best, bestNew, bestSum = [2]int{r2, c2}, nw, sum
				}
			}
		}
		if best[0] >= 0 {
			h[r][best[1]], h[best[0]][c], h[best[0]][best[1]] = true, true, true
			continue
		}
		// one row or one column: hide the smallest other cell of a line
		// where this is the only hidden cell
		changed := false
		for _, line := range [][][2]int{lineOf(rows, cols, r, -1), lineOf(rows, cols, -1, c)} {
			count, pick := 0, [2]int{-1, -1}
			for _, x := range line {
				if h[x[0]][x[1]] {
					count++
				} else if pick[0] < 0 || val[x[0]][x[1]] < val[pick[0]][pick[1]] {
					pick = x
				}
			}
			if count == 1 && pick[0] >= 0 {
				h[pick[0]][pick[1]], changed = true, true
			}
		}
		if !changed {
			stuck[br] = true
		}
	}
}

// lineOf lists the cells of row r (c < 0) or of column c (r < 0).
func lineOf(rows, cols, r, c int) [][2]int {
	var l [][2]int
	if c < 0 {
		for j := 0; j < cols; j++ {
			l = append(l, [2]int{r, j})
		}
	} else {
		for j := 0; j < rows; j++ {
			l = append(l, [2]int{j, c})
		}
	}
	return l
}

// firstBridge returns the first hidden cell (row by row) not in skip that
// lies on no cycle of hidden cells: without it, its row and its column are
// no longer connected through other hidden cells.
func firstBridge(h [][]bool, skip map[[2]int]bool) ([2]int, bool) {
	rows := len(h)
	cols := len(h[0])
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			if !h[r][c] || skip[[2]int{r, c}] {
				continue
			}
			// search from row r to column c over hidden cells other than (r,c)
			seenR, seenC := make([]bool, rows), make([]bool, cols)
			seenR[r] = true
			queue := []int{r} // rows as r, columns as rows+c
			found := false
			for len(queue) > 0 && !found {
				x := queue[0]
				queue = queue[1:]
				if x < rows {
					for j := 0; j < cols; j++ {
						if h[x][j] && !(x == r && j == c) && !seenC[j] {
							if j == c {
								found = true
								break
							}
							seenC[j] = true
							queue = append(queue, rows+j)
						}
					}
				} else {
					j := x - rows
					for i := 0; i < rows; i++ {
						if h[i][j] && !(i == r && j == c) && !seenR[i] {
							seenR[i] = true
							queue = append(queue, i)
						}
					}
				}
			}
			if !found {
				return [2]int{r, c}, true
			}
		}
	}
	return [2]int{}, false
}
