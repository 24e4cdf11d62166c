package tally

import "fmt"

// NPSResult is a Net Promoter Score summary (F. F. Reichheld, "The One Number You Need
// to Grow", Harvard Business Review 81(12):46–54, 2003).
type NPSResult struct {
	// Responses is the number of answers.
	Responses int `json:"responses"`
	// Promoters answered 9 or 10, Passives 7 or 8, Detractors 0 to 6.
	Promoters  int `json:"promoters"`
	Passives   int `json:"passives"`
	Detractors int `json:"detractors"`
	// NoVotes is true when Responses is 0; Score is then 0.
	NoVotes bool `json:"no_votes"`
	// Score is 100·(Promoters − Detractors)/Responses, in [-100, 100], full precision.
	// The conventional display is a whole number (RoundedScore).
	Score float64 `json:"score"`
	// Distribution[k] is the number of answers equal to k, for k in 0..10.
	Distribution []int `json:"distribution"`
}

// RoundedScore returns Score rounded half away from zero to a whole number, computed
// in integers (so 12.5 gives 13 and -12.5 gives -13).
func (r NPSResult) RoundedScore() int {
	if r.Responses == 0 {
		return 0
	}
	num := 100 * (r.Promoters - r.Detractors)
	neg := num < 0
	if neg {
		num = -num
	}
	q := (2*num + r.Responses) / (2 * r.Responses)
	if neg {
		return -q
	}
	return q
}

// Percents returns the detractor, passive and promoter shares (in that order) as
// percentages summing to exactly 100.
func (r NPSResult) Percents(decimals int) []float64 {
	return Percents([]int{r.Detractors, r.Passives, r.Promoters}, decimals)
}

// NPS computes the Net Promoter Score of answers to "how likely are you to recommend…"
// on the 0–10 scale. It returns a *BallotError for a value outside 0..10.
func NPS(scores []int) (NPSResult, error) {
	r := NPSResult{Distribution: make([]int, 11)}
	for i, s := range scores {
		if s < 0 || s > 10 {
			return NPSResult{}, &BallotError{Kind: KindOptionRange, Ballot: i, Value: s,
				Detail: fmt.Sprintf("scale %d..%d", 0, 10)}
		}
		r.Distribution[s]++
		switch {
		case s >= 9:
			r.Promoters++
		case s >= 7:
			r.Passives++
		default:
			r.Detractors++
		}
	}
	r.Responses = len(scores)
	r.NoVotes = r.Responses == 0
	if !r.NoVotes {
		r.Score = 100 * float64(r.Promoters-r.Detractors) / float64(r.Responses)
	}
	return r, nil
}
