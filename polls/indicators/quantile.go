package indicators

import (
	"math"
	"slices"
)

// Quantile returns the q-quantile (0 ≤ q ≤ 1) of xs by linear
// interpolation between the closest ranks (Hyndman & Fan 1996, definition
// 7: the default of R and NumPy), so the median of an even count is the
// mean of the two middle values. It sorts xs in place. ok is false when xs
// is empty.
func Quantile(xs []float64, q float64) (v float64, ok bool) {
	if len(xs) == 0 {
		return 0, false
	}
	slices.Sort(xs)
	h := q * float64(len(xs)-1)
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(xs) {
		return xs[len(xs)-1], true
	}
	return xs[i] + (h-lo)*(xs[i+1]-xs[i]), true
}

// Spread is the median and 90th percentile of a set of durations or
// counts, with how many values it summarises; nil fields when N is 0.
type Spread struct {
	N      int      `json:"n"`
	Median *float64 `json:"median"`
	P90    *float64 `json:"p90"`
}

// spreadOf summarises xs (sorted in place), rounded to two decimals.
func spreadOf(xs []float64) Spread {
	s := Spread{N: len(xs)}
	if m, ok := Quantile(xs, 0.5); ok {
		p, _ := Quantile(xs, 0.9)
		m, p = round2(m), round2(p)
		s.Median, s.P90 = &m, &p
	}
	return s
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// share returns num/den rounded to four decimals, nil when den is 0.
func share(num, den int) *float64 {
	if den == 0 {
		return nil
	}
	v := math.Round(float64(num)/float64(den)*10000) / 10000
	return &v
}
