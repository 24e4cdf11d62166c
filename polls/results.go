package polls

import (
	"fmt"

	"github.com/rembug/rembug/polls/tally"
)

// QuestionResult is one question's result, computed by polls/tally. Exactly
// the fields of the question's kind are set. Summary (for single, multiple,
// yes/no and ranked questions) is the one winner, order and outcome label
// that every view shows: page, API, CSV and XLSX exports.
type QuestionResult struct {
	Question Question `json:"question"`
	// Answered is the number of responses that answered the question.
	Answered int `json:"answered"`
	// Labels names the options (or, for Likert, the items) in option order.
	Labels  []string             `json:"labels,omitempty"`
	Summary *tally.Summary       `json:"summary,omitempty"`
	Count   *tally.Count         `json:"count,omitempty"`
	YesNo   *tally.YesNoResult   `json:"yes_no,omitempty"`
	IRV     *tally.IRVResult     `json:"irv,omitempty"`
	Borda   *tally.BordaResult   `json:"borda,omitempty"`
	Schulze *tally.SchulzeResult `json:"schulze,omitempty"`
	Rating  *tally.RatingResult  `json:"rating,omitempty"`
	Likert  *tally.LikertResult  `json:"likert,omitempty"`
	NPS     *tally.NPSResult     `json:"nps,omitempty"`
	Words   []tally.WordCount    `json:"words,omitempty"`
	// Texts holds the open-text answers (KindText), in response order.
	Texts []string `json:"texts,omitempty"`
}

// ShowsOutcome reports whether views name r's outcome and winners: only
// questions that choose (single, yes/no, ranked) with at least one answer.
// A multiple-choice question is a frequency question (each option counted on
// its own, "which of these apply"), so equal counts there are not a tie
// ("seri") and no option "wins"; its options are still listed by count.
func (r *QuestionResult) ShowsOutcome() bool {
	return r.Summary != nil && !r.NoVotes() && r.Question.Kind != KindMultiple
}

// NoVotes reports whether nobody answered the question ("belum ada suara").
func (r *QuestionResult) NoVotes() bool { return r.Answered == 0 }

// Votes returns the per-option counts shown in bar charts and tables: the
// plurality, approval or yes/no votes, first-round IRV votes, Borda points,
// Schulze pairwise wins, or the rating / NPS distribution. Nil for Likert,
// text and word questions.
func (r *QuestionResult) Votes() []int {
	switch {
	case r.Count != nil:
		return r.Count.Votes
	case r.YesNo != nil:
		return r.YesNo.Votes
	case r.IRV != nil:
		first := make([]int, r.IRV.Options)
		for _, t := range r.IRV.Rounds[0].Tallies {
			first[t.Option] = t.Votes
		}
		return first
	case r.Borda != nil:
		return r.Borda.Points
	case r.Schulze != nil:
		wins := make([]int, r.Schulze.Options)
		for i, row := range r.Schulze.Pairwise {
			for j, d := range row {
				if d > r.Schulze.Pairwise[j][i] {
					wins[i]++
				}
			}
		}
		return wins
	case r.Rating != nil:
		return r.Rating.Distribution
	case r.NPS != nil:
		return r.NPS.Distribution
	}
	return nil
}

// Results computes every question's result from the responses, in question
// order. Answers to unknown codes are ignored; answers are expected to have
// passed CleanAnswers (a stored answer that no longer fits makes an error).
// The result is the same whatever the order of the responses.
func Results(qs []Question, responses []Answers) ([]QuestionResult, error) {
	out := make([]QuestionResult, len(qs))
	for i := range qs {
		r, err := questionResult(&qs[i], responses)
		if err != nil {
			return nil, fmt.Errorf("question %s: %w", qs[i].Code, err)
		}
		out[i] = r
	}
	return out, nil
}

func questionResult(q *Question, responses []Answers) (QuestionResult, error) {
	r := QuestionResult{Question: *q}
	var given []Answer
	for _, a := range responses {
		if ans, ok := a[q.Code]; ok {
			given = append(given, ans)
		}
	}
	r.Answered = len(given)
	n := q.Choices()
	var err error
	switch q.Kind {
	case KindSingle:
		r.Labels = q.Spec.Options
		votes := make([]int, len(given))
		for i, a := range given {
			votes[i] = a.Choices[0]
		}
		var c tally.Count
		c, err = tally.Plurality(n, votes)
		r.Count, r.Summary = &c, &c.Summary
	case KindMultiple:
		r.Labels = q.Spec.Options
		var c tally.Count
		c, err = tally.Approval(n, choices(given), tally.Selection{Min: 0, Max: q.Spec.Max})
		r.Count, r.Summary = &c, &c.Summary
	case KindYesNo:
		r.Labels = []string{"yes", "no"}
		yes, no := 0, 0
		for _, a := range given {
			if a.Choices[0] == tally.OptionYes {
				yes++
			} else {
				no++
			}
		}
		var y tally.YesNoResult
		y, err = tally.YesNo(yes, no, 0)
		r.YesNo, r.Summary = &y, &y.Summary
	case KindRanked:
		r.Labels = q.Spec.Options
		err = ranked(&r, n, choices(given))
	case KindRating:
		var x tally.RatingResult
		x, err = tally.Rating(tally.Scale{Min: RatingMin, Max: RatingMax}, values(given))
		r.Rating = &x
	case KindNPS:
		var x tally.NPSResult
		x, err = tally.NPS(values(given))
		r.NPS = &x
	case KindLikert:
		r.Labels = q.Spec.Items
		rows := make([][]int, len(given))
		for i, a := range given {
			rows[i] = a.Items
		}
		var x tally.LikertResult
		x, err = tally.Likert(len(q.Spec.Items), tally.Scale{Min: LikertMin, Max: LikertMax}, rows)
		r.Likert = &x
	case KindWords:
		texts := make([]string, len(given))
		for i, a := range given {
			texts[i] = a.Text
		}
		r.Words = tally.WordCloud(texts, tally.WordOptions{Top: 60})
	case KindText:
		for _, a := range given {
			r.Texts = append(r.Texts, a.Text)
		}
	}
	return r, err
}

func ranked(r *QuestionResult, n int, ballots [][]int) error {
	switch r.Question.Spec.Method {
	case MethodBorda:
		x, err := tally.Borda(n, ballots)
		r.Borda, r.Summary = &x, &x.Summary
		return err
	case MethodSchulze:
		x, err := tally.Schulze(n, ballots)
		r.Schulze, r.Summary = &x, &x.Summary
		return err
	}
	x, err := tally.IRV(n, ballots)
	r.IRV, r.Summary = &x, &x.Summary
	return err
}

func choices(given []Answer) [][]int {
	out := make([][]int, len(given))
	for i, a := range given {
		out[i] = a.Choices
	}
	return out
}

func values(given []Answer) []int {
	out := make([]int, len(given))
	for i, a := range given {
		if a.Value != nil {
			out[i] = *a.Value
		}
	}
	return out
}

// ResultsBy splits the responses by their answer to the single-choice or
// yes/no question code (respondents who did not answer it are left out) and
// computes Results for each group, in option order: a breakdown by region or
// by a demographic question. It returns an errs.Invalid error when code is
// not such a question.
func ResultsBy(qs []Question, responses []Answers, code string) ([][]QuestionResult, error) {
	var by *Question
	for i := range qs {
		if qs[i].Code == code && (qs[i].Kind == KindSingle || qs[i].Kind == KindYesNo) {
			by = &qs[i]
		}
	}
	if by == nil {
		return nil, invalid("bad_breakdown", nil)
	}
	groups := make([][]Answers, by.Choices())
	for _, a := range responses {
		if ans, ok := a[code]; ok && len(ans.Choices) == 1 && ans.Choices[0] < len(groups) {
			groups[ans.Choices[0]] = append(groups[ans.Choices[0]], a)
		}
	}
	out := make([][]QuestionResult, len(groups))
	for g, rs := range groups {
		res, err := Results(qs, rs)
		if err != nil {
			return nil, err
		}
		out[g] = res
	}
	return out, nil
}
