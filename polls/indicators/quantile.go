package indicators

import (
	"math"
	"slices"

	"github.com/rembug/rembug/forum/complaint"
)

// Spread is the median and 90th percentile of a set of durations or
// counts, with how many values it summarises; nil fields when N is 0.
// Percentiles are complaint.Percentile's (linear interpolation between
// order statistics, Hyndman–Fan type 7).
type Spread struct {
	N      int      `json:"n"`
	Median *float64 `json:"median"`
	P90    *float64 `json:"p90"`
}

// spreadOf summarises xs (sorted in place), rounded to two decimals.
func spreadOf(xs []float64) Spread {
	s := Spread{N: len(xs)}
	if len(xs) > 0 {
		slices.Sort(xs)
		m, p := round2(complaint.Percentile(xs, 0.5)), round2(complaint.Percentile(xs, 0.9))
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
