package opinion

import "errors"

// ErrLabelLength is returned by AdjustedRandIndex when the two labelings
// have different lengths.
var ErrLabelLength = errors.New("opinion: labelings differ in length")

// AdjustedRandIndex compares two labelings of the same n items (a[i] and
// b[i] label item i; label values are arbitrary) and returns the adjusted
// Rand index of Hubert and Arabie ("Comparing partitions", Journal of
// Classification 2, 1985): 1 for identical partitions up to renaming,
// about 0 for chance agreement, negative below chance. With n_ij the
// contingency counts, a_i and b_j its row and column sums and C(x)=x(x−1)/2:
//
//	ARI = (Σ C(n_ij) − E) / (½(Σ C(a_i) + Σ C(b_j)) − E),
//	E   = Σ C(a_i) · Σ C(b_j) / C(n).
//
// When the denominator is 0 (both labelings put everything in one cluster,
// or everything in singletons, or n < 2) it returns 1 if the partitions are
// identical and 0 otherwise. Cost O(n + distinct label pairs).
func AdjustedRandIndex(a, b []int) (float64, error) {
	if len(a) != len(b) {
		return 0, ErrLabelLength
	}
	c2 := func(x int) float64 { return float64(x) * float64(x-1) / 2 }
	type pair struct{ x, y int }
	cells := map[pair]int{}
	rowSum := map[int]int{}
	colSum := map[int]int{}
	for i := range a {
		cells[pair{a[i], b[i]}]++
		rowSum[a[i]]++
		colSum[b[i]]++
	}
	var index, sa, sb float64
	for _, n := range cells {
		index += c2(n)
	}
	for _, n := range rowSum {
		sa += c2(n)
	}
	for _, n := range colSum {
		sb += c2(n)
	}
	total := c2(len(a))
	if total == 0 {
		return 1, nil
	}
	expected := sa * sb / total
	den := (sa+sb)/2 - expected
	if den == 0 {
		if len(cells) == len(rowSum) && len(cells) == len(colSum) {
			return 1, nil
		}
		return 0, nil
	}
	return (index - expected) / den, nil
}
