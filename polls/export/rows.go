package export

import (
	"strconv"
	"strings"

	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/tally"
)

func pick(lang, id, en string) string {
	if lang == "id" {
		return id
	}
	return en
}

// OptionLabel returns the label of option i of r's question in lang: the
// option text, "Ya"/"Yes" and "Tidak"/"No" for yes/no, the score for rating
// and NPS.
func OptionLabel(r *polls.QuestionResult, i int, lang string) string {
	switch r.Question.Kind {
	case polls.KindYesNo:
		if i == tally.OptionYes {
			return pick(lang, "Ya", "Yes")
		}
		return pick(lang, "Tidak", "No")
	case polls.KindRating:
		return strconv.Itoa(polls.RatingMin + i)
	case polls.KindNPS:
		return strconv.Itoa(polls.NPSMin + i)
	}
	if i >= 0 && i < len(r.Labels) {
		return r.Labels[i]
	}
	return strconv.Itoa(i)
}

// OutcomeLabel returns the outcome of r in lang: the tally label for
// questions with a winner, "belum ada suara" / "no votes yet" when nobody
// answered, "" otherwise.
func OutcomeLabel(r *polls.QuestionResult, lang string) string {
	if r.NoVotes() {
		return tally.OutcomeNoVotes.Label(lang)
	}
	if r.ShowsOutcome() {
		return r.Summary.Outcome.Label(lang)
	}
	return ""
}

// Winners returns the labels of r's winners joined by " / ", or "".
func Winners(r *polls.QuestionResult, lang string) string {
	if !r.ShowsOutcome() {
		return ""
	}
	ws := make([]string, len(r.Summary.Winners))
	for i, w := range r.Summary.Winners {
		ws[i] = OptionLabel(r, w, lang)
	}
	return strings.Join(ws, " / ")
}

// ResultRows returns the results table: one row per option (in the
// result's Order), scale value, Likert item or word, with the question's
// outcome and winners on every row. Header: question code, question, kind,
// answer, count, percent, place, outcome, winner.
func ResultRows(rs []polls.QuestionResult, lang string) Table {
	t := Table{Name: pick(lang, "Hasil", "Results"), Rows: []Row{{
		pick(lang, "kode", "code"), pick(lang, "pertanyaan", "question"), pick(lang, "jenis", "kind"),
		pick(lang, "jawaban", "answer"), pick(lang, "jumlah", "count"), pick(lang, "persen", "percent"),
		pick(lang, "peringkat", "place"), pick(lang, "hasil", "outcome"), pick(lang, "pemenang", "winner"),
	}}}
	for i := range rs {
		r := &rs[i]
		q := r.Question
		add := func(answer string, count int, percent any, place int) {
			var pl any = ""
			if place > 0 {
				pl = place
			}
			t.Rows = append(t.Rows, Row{q.Code, q.Text, string(q.Kind), answer, count, percent, pl, OutcomeLabel(r, lang), Winners(r, lang)})
		}
		votes := r.Votes()
		switch {
		case r.Summary != nil:
			pct := tally.Percents(votes, 1)
			if r.Count != nil && q.Kind == polls.KindMultiple {
				pct = r.Count.Percents(1)
			}
			for _, o := range r.Summary.Order {
				add(OptionLabel(r, o, lang), votes[o], Percent(pct[o]), r.Summary.Places[o])
			}
		case votes != nil:
			pct := tally.Percents(votes, 1)
			for o, v := range votes {
				add(OptionLabel(r, o, lang), v, Percent(pct[o]), 0)
			}
		case r.Likert != nil:
			for it, ir := range r.Likert.Items {
				add(r.Labels[it]+pick(lang, " (rata-rata)", " (mean)"), ir.Responses, round1(ir.Mean), 0)
			}
		case q.Kind == polls.KindWords:
			for _, w := range r.Words {
				add(w.Word, w.Count, Percent(tally.Percent(w.Count, r.Answered, 1)), 0)
			}
		}
		if r.NoVotes() || q.Kind == polls.KindText {
			add("", r.Answered, Percent(0), 0)
		}
	}
	return t
}

func round1(f float64) float64 { return float64(int(f*10+0.5)) / 10 }

// ResponseRows returns one row per response, one column per question (one
// per item for Likert questions), headed by the question texts. Choices are
// written as option labels ("A; B", rankings as "A > B").
func ResponseRows(qs []polls.Question, responses []polls.Answers, lang string) Table {
	header := Row{"#"}
	for _, q := range qs {
		if q.Kind == polls.KindLikert {
			for _, it := range q.Spec.Items {
				header = append(header, q.Text+" — "+it)
			}
			continue
		}
		header = append(header, q.Text)
	}
	t := Table{Name: pick(lang, "Jawaban", "Responses"), Rows: []Row{header}}
	for n, a := range responses {
		row := Row{n + 1}
		for _, q := range qs {
			ans, ok := a[q.Code]
			r := &polls.QuestionResult{Question: q, Labels: q.Spec.Options}
			switch q.Kind {
			case polls.KindLikert:
				for i := range q.Spec.Items {
					if ok && i < len(ans.Items) && ans.Items[i] != 0 {
						row = append(row, ans.Items[i])
					} else {
						row = append(row, "")
					}
				}
				continue
			case polls.KindRating, polls.KindNPS:
				if ok && ans.Value != nil {
					row = append(row, *ans.Value)
					continue
				}
			}
			sep := "; "
			if q.Kind == polls.KindRanked {
				sep = " > "
			}
			parts := make([]string, len(ans.Choices))
			for i, c := range ans.Choices {
				parts[i] = OptionLabel(r, c, lang)
			}
			row = append(row, strings.Join(parts, sep)+ans.Text)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
