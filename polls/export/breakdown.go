package export

import (
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/tally"
)

// GroupLabel returns the column name of breakdown group g in lang: its
// Name, or "Lainnya" / "Other" and "Tidak diketahui" / "Unknown" for the
// pooled groups.
func GroupLabel(g polls.Group, lang string) string {
	switch g.Kind {
	case polls.GroupOther:
		return pick(lang, "Lainnya", "Other")
	case polls.GroupUnknown:
		return pick(lang, "Tidak diketahui", "Unknown")
	}
	return g.Name
}

// Hidden is the count cell of a breakdown cell that polls.HiddenCells
// hides (the README explains the mark).
const Hidden = "*"

// BreakdownRows returns a breakdown table: for each group, and each
// question of overall that has per-option counts (polls.QuestionResult.Votes),
// one row per option in overall's order (the order every view shows), with
// the group's count and its percent of the group. by names what the groups
// are (e.g. "kecamatan" or a question text). Header: group kind, group,
// respondents, question code, question, answer, count, percent. A cell
// that polls.HiddenCells hides at threshold k has Hidden as its count and
// an empty percent.
func BreakdownRows(by string, overall []polls.QuestionResult, groups []polls.Group, k int, lang string) Table {
	hidden := polls.HiddenCells(overall, groups, k)
	t := Table{Name: pick(lang, "Rincian", "Breakdown"), Rows: []Row{{
		pick(lang, "menurut", "by"), pick(lang, "kelompok", "group"), pick(lang, "responden", "respondents"),
		pick(lang, "kode", "code"), pick(lang, "pertanyaan", "question"), pick(lang, "jawaban", "answer"),
		pick(lang, "jumlah", "count"), pick(lang, "persen", "percent"),
	}}}
	for gi, g := range groups {
		for i := range overall {
			r := &overall[i]
			votes := r.Votes()
			if votes == nil || i >= len(g.Results) {
				continue
			}
			gv := g.Results[i].Votes()
			pct := tally.Percents(gv, 1)
			if c := g.Results[i].Count; c != nil && r.Question.Kind == polls.KindMultiple {
				pct = c.Percents(1)
			}
			order := make([]int, len(votes))
			for o := range order {
				order[o] = o
			}
			if r.Summary != nil {
				order = r.Summary.Order
			}
			for _, o := range order {
				var count, percent any = gv[o], Percent(pct[o])
				if hidden[i][gi][o] {
					count, percent = Hidden, ""
				}
				t.Rows = append(t.Rows, Row{by, GroupLabel(g, lang), g.Respondents, r.Question.Code, r.Question.Text,
					OptionLabel(r, o, lang), count, percent})
			}
		}
	}
	return t
}
