package ikm

import (
	"fmt"
	"math/big"
	"sort"

	"github.com/rembug/rembug/forum/locale"
)

// Response is one completed questionnaire.
type Response struct {
	// Scores[k] is the answer to element U(k+1): 1..4, or 0 when not answered.
	Scores [NumElements]int `json:"scores"`
	// Profile is the respondent profile.
	Profile Profile `json:"profile"`
}

// ElementResult is the result for one element.
type ElementResult struct {
	Element
	// Answered is the number of responses that answered the element.
	Answered int `json:"answered"`
	// Sum is the total of their scores.
	Sum int `json:"sum"`
	// NRR is the element's mean perceived value, Sum/Answered, in [1,4]; 0 when
	// Answered is 0.
	NRR float64 `json:"nrr"`
	// Distribution[s-1] is the number of answers with score s.
	Distribution [MaxScore]int `json:"distribution"`
}

// Result is the IKM of a set of responses.
type Result struct {
	// Respondents is the number of responses.
	Respondents int `json:"respondents"`
	// Elements holds U1..U9 in order.
	Elements []ElementResult `json:"elements"`
	// Missing lists the codes of elements nobody answered; the index is then the mean
	// over the answered elements only, and Complete is false.
	Missing []string `json:"missing"`
	// Complete is true when every element has at least one answer, so that the index
	// is exactly the regulation's (weights 1/9).
	Complete bool `json:"complete"`
	// NoData is true when no element has any answer; Index, IKM and Rounded are then 0
	// and Grade is "".
	NoData bool `json:"no_data"`
	// Index is the mean of the NRRs (nilai indeks, 1–4), full precision.
	Index float64 `json:"index"`
	// IKM is Index × 25 (nilai IKM setelah dikonversi, 25–100), full precision.
	IKM float64 `json:"ikm"`
	// Rounded is the IKM in hundredths, rounded half up from the exact rational value
	// (9148 means 91.48). Displays and Grade use it.
	Rounded int64 `json:"ikm_hundredths"`
	// Grade is GradeOf(Rounded).
	Grade Grade `json:"grade"`
}

// Compute returns the IKM of responses per PermenPANRB 14/2017, Lampiran:
//
//	NRR(Uk)  = sum of the scores of Uk / number of responses that answered Uk
//	index    = Σ NRR(Uk) × 1/9            (weight 1/9 = 0.111 per element)
//	IKM      = index × 25                 (conversion to 25–100)
//
// A blank answer (0) is left out of that element's NRR only. When an element has no
// answer at all, the index is the mean of the NRRs of the answered elements (equal
// weights 1/k) and the element is listed in Missing; views should say the result is
// incomplete. With no answers at all, NoData is set. Nothing is ever NaN.
//
// The IKM is kept at full precision in IKM; Rounded holds it rounded to two decimals
// (half up, computed exactly with rational arithmetic so 91.475 is never misrounded by
// binary floating point), and Grade is decided on Rounded. It returns an error when a
// score is outside 0..4, naming the 0-based response and the element code.
func Compute(responses []Response) (Result, error) {
	res := Result{Respondents: len(responses), Missing: []string{}}
	for _, e := range Elements() {
		res.Elements = append(res.Elements, ElementResult{Element: e})
	}
	for i, r := range responses {
		for k, s := range r.Scores {
			if s == 0 {
				continue
			}
			if s < MinScore || s > MaxScore {
				return Result{}, fmt.Errorf("ikm: response %d, %s: score %d outside 1..4", i, res.Elements[k].Code, s)
			}
			er := &res.Elements[k]
			er.Answered++
			er.Sum += s
			er.Distribution[s-1]++
		}
	}
	index := new(big.Rat)
	answered := 0
	for k := range res.Elements {
		er := &res.Elements[k]
		if er.Answered == 0 {
			res.Missing = append(res.Missing, er.Code)
			continue
		}
		answered++
		er.NRR = float64(er.Sum) / float64(er.Answered)
		index.Add(index, big.NewRat(int64(er.Sum), int64(er.Answered)))
	}
	res.Complete = answered == NumElements
	res.NoData = answered == 0
	if res.NoData {
		return res, nil
	}
	index.Quo(index, big.NewRat(int64(answered), 1))
	res.Index, _ = index.Float64()
	ikm := new(big.Rat).Mul(index, big.NewRat(25, 1))
	res.IKM, _ = ikm.Float64()
	// Round half up to hundredths: floor(ikm·100 + 1/2).
	h := new(big.Rat).Add(new(big.Rat).Mul(ikm, big.NewRat(100, 1)), big.NewRat(1, 2))
	res.Rounded = new(big.Int).Quo(h.Num(), h.Denom()).Int64()
	res.Grade = GradeOf(res.Rounded)
	return res, nil
}

// Weakest returns up to n answered elements with the lowest NRR, lowest first; equal
// NRRs keep the regulation's order. Elements without answers are left out. n <= 0
// returns them all.
func (r Result) Weakest(n int) []ElementResult {
	out := make([]ElementResult, 0, len(r.Elements))
	for _, e := range r.Elements {
		if e.Answered > 0 {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		// Compare Sum_i/Answered_i < Sum_j/Answered_j exactly.
		return out[i].Sum*out[j].Answered < out[j].Sum*out[i].Answered
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

// FormatIKM formats an IKM in hundredths (Result.Rounded) with two decimals, using a
// decimal comma for lang "id" ("91,48") and a point otherwise ("91.48").
func FormatIKM(hundredths int64, lang string) string {
	return locale.In(lang).Dec(float64(hundredths)/100, 2)
}
