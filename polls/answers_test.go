package polls_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/polls"
)

func intp(v int) *int { return &v }

// survey is every question type, with a condition: "why" is shown only when
// "park" is answered "no".
func survey() []polls.Question {
	qs := []polls.Question{
		{Code: "park", Kind: polls.KindYesNo, Text: "Setuju taman baru?", Required: true},
		{Code: "why", Kind: polls.KindText, Text: "Mengapa tidak?", Required: true, Spec: polls.Spec{ShowIf: &polls.Condition{Question: "park", Value: 1}}},
		{Code: "pick", Kind: polls.KindSingle, Text: "Lokasi", Spec: polls.Spec{Options: []string{"Utara", "Selatan"}}},
		{Code: "multi", Kind: polls.KindMultiple, Text: "Fasilitas", Spec: polls.Spec{Options: []string{"a", "b", "c", "d"}, Min: 1, Max: 2}},
		{Code: "rank", Kind: polls.KindRanked, Text: "Urutan", Spec: polls.Spec{Options: []string{"a", "b", "c"}}},
		{Code: "stars", Kind: polls.KindRating, Text: "Nilai"},
		{Code: "lik", Kind: polls.KindLikert, Text: "Pendapat", Spec: polls.Spec{Items: []string{"bersih", "aman"}}},
		{Code: "nps", Kind: polls.KindNPS, Text: "Rekomendasi"},
		{Code: "word", Kind: polls.KindWords, Text: "Satu kata"},
	}
	if err := polls.CheckQuestions(qs); err != nil {
		panic(err)
	}
	return qs
}

func TestCleanAnswers(t *testing.T) {
	cases := []struct {
		name string
		in   polls.Answers
		key  string // "" when accepted
		keep []string
	}{
		{"minimal yes", polls.Answers{"park": {Choices: []int{0}}}, "", []string{"park"}},
		{"required missing", polls.Answers{}, "poll.error.required", nil},
		{"hidden answer dropped", polls.Answers{"park": {Choices: []int{0}}, "why": {Text: "x"}}, "", []string{"park"}},
		{"shown required missing", polls.Answers{"park": {Choices: []int{1}}}, "poll.error.required", nil},
		{"shown required given", polls.Answers{"park": {Choices: []int{1}}, "why": {Text: " mahal "}}, "", []string{"park", "why"}},
		{"unknown code ignored", polls.Answers{"park": {Choices: []int{0}}, "zzz": {Text: "x"}}, "", []string{"park"}},
		{"option out of range", polls.Answers{"park": {Choices: []int{0}}, "pick": {Choices: []int{2}}}, "poll.error.bad_choice", nil},
		{"two choices in single", polls.Answers{"park": {Choices: []int{0}}, "pick": {Choices: []int{0, 1}}}, "poll.error.one_choice", nil},
		{"too many selections", polls.Answers{"park": {Choices: []int{0}}, "multi": {Choices: []int{0, 1, 2}}}, "poll.error.selection_count", nil},
		{"duplicate in ranking", polls.Answers{"park": {Choices: []int{0}}, "rank": {Choices: []int{1, 1}}}, "poll.error.duplicate_choice", nil},
		{"rating off scale", polls.Answers{"park": {Choices: []int{0}}, "stars": {Value: intp(6)}}, "poll.error.bad_value", nil},
		{"nps zero is an answer", polls.Answers{"park": {Choices: []int{0}}, "nps": {Value: intp(0)}}, "", []string{"nps", "park"}},
		{"likert off scale", polls.Answers{"park": {Choices: []int{0}}, "lik": {Items: []int{3, 9}}}, "poll.error.bad_value", nil},
		{"likert blank dropped", polls.Answers{"park": {Choices: []int{0}}, "lik": {Items: []int{0, 0}}}, "", []string{"park"}},
		{"word too long", polls.Answers{"park": {Choices: []int{0}}, "word": {Text: strings.Repeat("k", 61)}}, "poll.error.too_long", nil},
		{"invalid utf-8", polls.Answers{"park": {Choices: []int{0}}, "word": {Text: "air\xff"}}, "poll.error.invalid_utf8", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := polls.CleanAnswers(survey(), tc.in)
			if tc.key != "" {
				var fe *errs.Error
				if !errors.As(err, &fe) || fe.Key != tc.key {
					t.Fatalf("got %v, want %s", err, tc.key)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, q := range survey() {
				if _, ok := got[q.Code]; ok {
					keys = append(keys, q.Code)
				}
			}
			if fmt.Sprint(sorted(keys)) != fmt.Sprint(sorted(tc.keep)) {
				t.Fatalf("kept %v, want %v", keys, tc.keep)
			}
		})
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestResultsEveryKind(t *testing.T) {
	qs := survey()
	rs := []polls.Answers{
		{"park": {Choices: []int{0}}, "pick": {Choices: []int{1}}, "multi": {Choices: []int{0, 1}}, "rank": {Choices: []int{2, 0}},
			"stars": {Value: intp(5)}, "lik": {Items: []int{5, 4}}, "nps": {Value: intp(10)}, "word": {Text: "Hijau!"}},
		{"park": {Choices: []int{1}}, "why": {Text: "mahal"}, "pick": {Choices: []int{1}}, "multi": {Choices: []int{1}},
			"stars": {Value: intp(3)}, "lik": {Items: []int{1}}, "nps": {Value: intp(3)}, "word": {Text: "hijau"}},
	}
	res, err := polls.Results(qs, rs)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range res {
		got[r.Question.Code] = fmt.Sprint(r.Answered, r.Votes())
	}
	want := map[string]string{"park": "2 [1 1]", "why": "1 []", "pick": "2 [0 2]", "multi": "2 [1 2 0 0]",
		"rank": "1 [0 0 1]", "stars": "2 [0 0 1 0 1]", "lik": "2 []", "nps": "2 [0 0 0 1 0 0 0 0 0 0 1]", "word": "2 []"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: got %s, want %s", k, got[k], w)
		}
	}
	if res[0].Summary.Outcome != "tie" || res[2].Summary.Winners[0] != 1 || res[8].Words[0].Word != "hijau" || res[8].Words[0].Count != 2 {
		t.Fatalf("summaries: %+v %+v %+v", res[0].Summary, res[2].Summary, res[8].Words)
	}
	if res[5].Rating.Mean != 4 || res[7].NPS.Score != 0 || res[6].Likert.Items[0].Mean != 3 {
		t.Fatalf("rating %v nps %v likert %v", res[5].Rating.Mean, res[7].NPS.Score, res[6].Likert.Items[0].Mean)
	}
	groups, err := polls.ResultsBy(qs, rs, "park")
	if err != nil || len(groups) != 2 || groups[0][5].Rating.Mean != 5 || groups[1][5].Rating.Mean != 3 {
		t.Fatalf("breakdown by park: %v", err)
	}
}
