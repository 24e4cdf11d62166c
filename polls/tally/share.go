package tally

import (
	"sort"

	"github.com/rembug/rembug/forum/locale"
)

// maxDecimals bounds the decimals accepted by Percent and Percents.
const maxDecimals = 4

// Share returns part/whole as a fraction in [0,1] (for part <= whole). It returns 0,
// never NaN, when whole <= 0.
func Share(part, whole int) float64 {
	if whole <= 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

func scaleOf(decimals int) int64 {
	decimals = max(0, min(decimals, maxDecimals))
	s := int64(100)
	for range decimals {
		s *= 10
	}
	return s
}

func unitsToPercent(units int64, decimals int) float64 {
	// One division of exact integers gives the double nearest to the decimal value.
	return float64(units) / float64(scaleOf(decimals)/100)
}

// Percent returns 100·part/whole rounded half up to decimals places (0..4; clamped),
// computed in integers so that 1/8 gives exactly 12.5 and 1/200 gives 0.5 at 0
// decimals -> 1. It returns 0 when whole <= 0. Use it for shares that need not sum to
// 100, such as approval votes.
func Percent(part, whole, decimals int) float64 {
	if whole <= 0 || part <= 0 {
		return 0
	}
	s := scaleOf(decimals)
	units := (2*int64(part)*s + int64(whole)) / (2 * int64(whole))
	return unitsToPercent(units, decimals)
}

// Percents returns each count as a percentage of their sum, rounded to decimals places
// (0..4; clamped) by the largest remainder (Hamilton) method, the one rounding every
// view of a question uses: every value is first rounded down, then the units still
// missing to reach exactly 100 go one each to the largest remainders (ties: larger
// count first, then lower index). Equal counts always show equal percentages: the
// counts that are equal share one remainder and receive a unit together or not at all.
// When a group of equal counts is larger than the units left, each of its values is
// rounded to the nearest instead, so [1, 1, 1] gives 33, 33, 33 (not 34, 33, 33) and
// seven 1s give 14.3 each at one decimal. The values therefore sum to exactly 100
// unless equal counts compete for the last units, when the sum is off by fewer units
// (of the last decimal place) than the size of that group; they are all 0 when the
// sum is 0. Negative counts are treated as 0.
func Percents(counts []int, decimals int) []float64 {
	out := make([]float64, len(counts))
	var total int64
	for _, c := range counts {
		total += int64(max(c, 0))
	}
	if total == 0 {
		return out
	}
	s := scaleOf(decimals)
	units := make([]int64, len(counts))
	left := s
	groups := map[int64][]int{} // count -> indices holding it
	var order []int64           // distinct counts with a remainder
	for i, c := range counts {
		c := int64(max(c, 0))
		units[i] = c * s / total
		left -= units[i]
		if c*s%total == 0 {
			continue
		}
		if groups[c] == nil {
			order = append(order, c)
		}
		groups[c] = append(groups[c], i)
	}
	sort.SliceStable(order, func(a, b int) bool {
		ra, rb := order[a]*s%total, order[b]*s%total
		if ra != rb {
			return ra > rb
		}
		return order[a] > order[b]
	})
	for _, c := range order {
		n := int64(len(groups[c]))
		if left <= 0 {
			break
		}
		if n > left && 2*(c*s%total) < total {
			continue // too few units for the whole group, and rounding down is nearer
		}
		for _, i := range groups[c] {
			units[i]++
		}
		left -= n
	}
	for i, u := range units {
		out[i] = unitsToPercent(u, decimals)
	}
	return out
}

// FormatPercent formats a percentage p (in points: 33.3 for 33.3%) with decimals
// places and a percent sign in lang's way ("33,3%" in Bahasa Indonesia, "33.3%" in
// English), through forum/locale.
func FormatPercent(p float64, decimals int, lang string) string {
	return locale.In(lang).Pct(p/100, max(0, min(decimals, maxDecimals)))
}
