package web

import (
	"github.com/rembug/rembug/polls/report"
)

// reportPoll is one poll of the report with its questions laid out by
// resultViews, the code of the poll's own results page, so the report
// shows the same winners, orders, charts and tables.
type reportPoll struct {
	report.Poll
	Results []resultView
}

// reportPolls lays out rep's polls in lang.
func (s *Server) reportPolls(lang string, rep *report.Report) []reportPoll {
	out := make([]reportPoll, len(rep.Polls))
	for i, p := range rep.Polls {
		out[i] = reportPoll{Poll: p, Results: s.resultViews(lang, nil, p.Questions)}
	}
	return out
}

// participationCharts returns one bar chart per series of days: always
// participants and votes, proposals and comments when there are any.
func participationCharts(days []report.Day, lang string) []chartView {
	labels := make([]string, len(days))
	series := map[string][]int{}
	ids := []string{"participants", "votes", "proposals", "comments"}
	for _, id := range ids {
		series[id] = make([]int, len(days))
	}
	shown := map[string]bool{"participants": true, "votes": true}
	for i, d := range days {
		labels[i] = d.Date
		series["participants"][i], series["votes"][i] = d.Participants, d.Votes
		series["proposals"][i], series["comments"][i] = d.Proposals, d.Comments
		shown["proposals"] = shown["proposals"] || d.Proposals > 0
		shown["comments"] = shown["comments"] || d.Comments > 0
	}
	var out []chartView
	for _, id := range ids {
		if shown[id] {
			out = append(out, chartView{ID: id, B: bars(labels, series[id], lang)})
		}
	}
	return out
}
