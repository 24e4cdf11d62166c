package polls

// Disclose applies the one rule of what an output of survey s may show
// (results page, its live updates, the JSON API, CSV and XLSX exports, the
// consultation report, the command-line export of results) to res, in
// place, and returns it. Outputs show aggregates only: open-text answers
// (KindText, QuestionResult.Texts) are never shown verbatim, in named and
// anonymous surveys alike, because one sentence can name its writer or a
// neighbour and, in an anonymous survey, its style can single the writer
// out; only their number (Answered) stays. Word questions keep their word
// counts (KindWords exists to be shown as a cloud). Every output passes its
// results through Disclose, the groups of a breakdown too.
func Disclose(s *Survey, res []QuestionResult) []QuestionResult {
	for i := range res {
		res[i].Texts = nil
	}
	return res
}
