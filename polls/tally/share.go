package tally

import (
	"strconv"
	"strings"
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
// (0..4; clamped) by the largest remainder (Hamilton) method: every value is first
// rounded down, then the units still missing to reach exactly 100 go one each to the
// largest remainders (ties: larger count first, then lower index). The displayed values
// therefore always sum to exactly 100 (or are all 0 when the sum is 0). Negative counts
// are treated as 0.
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
	rem := make([]int64, len(counts))
	left := s
	for i, c := range counts {
		c := int64(max(c, 0))
		units[i] = c * s / total
		rem[i] = c * s % total
		left -= units[i]
	}
	for ; left > 0; left-- {
		best := -1
		for i := range counts {
			if rem[i] <= 0 {
				continue
			}
			if best < 0 || rem[i] > rem[best] || (rem[i] == rem[best] && counts[i] > counts[best]) {
				best = i
			}
		}
		units[best]++
		rem[best] = 0
	}
	for i, u := range units {
		out[i] = unitsToPercent(u, decimals)
	}
	return out
}

// FormatPercent formats a percentage p with decimals places and a percent sign, using a
// decimal comma for lang "id" ("33,3%") and a decimal point otherwise ("33.3%").
func FormatPercent(p float64, decimals int, lang string) string {
	s := strconv.FormatFloat(p, 'f', max(0, min(decimals, maxDecimals)), 64)
	if lang == "id" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + "%"
}
