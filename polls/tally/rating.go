package tally

import (
	"fmt"
	"sort"
)

// Scale is an inclusive range of integer answers, e.g. {1, 5} for a 1–5 rating.
type Scale struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// RatingResult summarizes answers on a Scale.
type RatingResult struct {
	Scale Scale `json:"scale"`
	// Responses is the number of answers counted (blank answers excluded).
	Responses int `json:"responses"`
	// NoVotes is true when Responses is 0; Mean and Median are then 0.
	NoVotes bool `json:"no_votes"`
	// Mean is the arithmetic mean of the answers.
	Mean float64 `json:"mean"`
	// Median is the median answer (the mean of the two middle answers for an even
	// number of answers).
	Median float64 `json:"median"`
	// Distribution[k] is the number of answers equal to Scale.Min+k.
	Distribution []int `json:"distribution"`
	// Shares[k] is Distribution[k]/Responses in [0,1].
	Shares []float64 `json:"shares"`
}

// Percents returns the distribution as percentages that sum to exactly 100 (see the
// package function Percents).
func (r RatingResult) Percents(decimals int) []float64 {
	return Percents(r.Distribution, decimals)
}

func checkScale(s Scale) error {
	if s.Max < s.Min || s.Max-s.Min > 1000 {
		return pollError("scale %d..%d invalid", s.Min, s.Max)
	}
	return nil
}

// Rating summarizes answers on scale (e.g. Scale{1, 5} for stars). It returns a
// *BallotError for an invalid scale or a value outside it.
func Rating(scale Scale, values []int) (RatingResult, error) {
	if err := checkScale(scale); err != nil {
		return RatingResult{}, err
	}
	r := RatingResult{Scale: scale, Distribution: make([]int, scale.Max-scale.Min+1)}
	for i, v := range values {
		if v < scale.Min || v > scale.Max {
			return RatingResult{}, &BallotError{Kind: KindOptionRange, Ballot: i, Value: v,
				Detail: fmt.Sprintf("scale %d..%d", scale.Min, scale.Max)}
		}
		r.Distribution[v-scale.Min]++
	}
	r.fill()
	return r, nil
}

// fill derives Responses, NoVotes, Mean, Median and Shares from Distribution.
func (r *RatingResult) fill() {
	sum := 0
	for k, c := range r.Distribution {
		r.Responses += c
		sum += c * (r.Scale.Min + k)
	}
	r.Shares = make([]float64, len(r.Distribution))
	for k, c := range r.Distribution {
		r.Shares[k] = Share(c, r.Responses)
	}
	r.NoVotes = r.Responses == 0
	if r.NoVotes {
		return
	}
	r.Mean = float64(sum) / float64(r.Responses)
	r.Median = (float64(r.nth((r.Responses-1)/2)) + float64(r.nth(r.Responses/2))) / 2
}

// nth returns the answer at 0-based position i of the sorted answers.
func (r *RatingResult) nth(i int) int {
	seen := 0
	for k, c := range r.Distribution {
		seen += c
		if i < seen {
			return r.Scale.Min + k
		}
	}
	return r.Scale.Max
}

// LikertResult summarizes a Likert matrix: one RatingResult per item (row).
type LikertResult struct {
	// Respondents is the number of answer rows given.
	Respondents int `json:"respondents"`
	// Items[i] summarizes item i; its Responses excludes blank answers.
	Items []RatingResult `json:"items"`
	// ByMean lists item indices by mean, highest first (items without answers last;
	// equal means in item order).
	ByMean []int `json:"by_mean"`
}

// Likert summarizes a Likert matrix: items statements (rows), each answered on scale, whose Min
// must be at least 1: answers[r][i] is respondent r's answer to item i, and 0 means not
// answered. A row shorter than items leaves the remaining items unanswered. It returns
// a *BallotError for an invalid scale, items < 1, a row longer than items or a value
// outside the scale (Ballot is then the respondent index).
func Likert(items int, scale Scale, answers [][]int) (LikertResult, error) {
	if err := checkScale(scale); err != nil {
		return LikertResult{}, err
	}
	if items < 1 || scale.Min < 1 {
		return LikertResult{}, pollError("likert needs items >= 1 and scale min >= 1 (got %d items, min %d)", items, scale.Min)
	}
	res := LikertResult{Respondents: len(answers), Items: make([]RatingResult, items)}
	for i := range res.Items {
		res.Items[i] = RatingResult{Scale: scale, Distribution: make([]int, scale.Max-scale.Min+1)}
	}
	for r, row := range answers {
		if len(row) > items {
			return LikertResult{}, &BallotError{Kind: KindOptionRange, Ballot: r, Value: len(row),
				Detail: fmt.Sprintf("at most %d items", items)}
		}
		for i, v := range row {
			if v == 0 {
				continue
			}
			if v < scale.Min || v > scale.Max {
				return LikertResult{}, &BallotError{Kind: KindOptionRange, Ballot: r, Value: v,
					Detail: fmt.Sprintf("item %d: scale %d..%d or 0 for blank", i, scale.Min, scale.Max)}
			}
			res.Items[i].Distribution[v-scale.Min]++
		}
	}
	res.ByMean = make([]int, items)
	for i := range res.Items {
		res.Items[i].fill()
		res.ByMean[i] = i
	}
	it := res.Items
	sort.SliceStable(res.ByMean, func(a, b int) bool {
		x, y := it[res.ByMean[a]], it[res.ByMean[b]]
		if x.NoVotes != y.NoVotes {
			return y.NoVotes
		}
		return x.Mean > y.Mean
	})
	return res, nil
}
