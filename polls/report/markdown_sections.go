package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/export"
	"github.com/rembug/rembug/polls/tally"
)

// printer appends formatted Markdown.
type printer func(format string, a ...any)

// mdParticipation writes the per-day table and, when regions are known,
// the by-region table.
func mdParticipation(p printer, r *Report, l map[string]string) {
	p("## %s\n\n", l["participation"])
	if len(r.Participation) == 0 {
		p("%s\n\n", l["none"])
	} else {
		p("| %s | %s | %s | %s | %s | %s |\n|---|--:|--:|--:|--:|--:|\n", l["date"], l["th_participants"], l["new"],
			l["th_votes"], l["th_proposals"], l["th_comments"])
		for _, row := range DayRows(r.Participation) {
			if d := row.Day; d != nil {
				p("| %s | %d | %d | %d | %d | %d |\n", d.Date, d.Participants, d.New, d.Votes, d.Proposals, d.Comments)
				continue
			}
			span := row.From
			if row.To != row.From {
				span += " – " + row.To
			}
			words := strings.ReplaceAll(l["no_activity"], "{n}", strconv.Itoa(row.Gap))
			if row.Gap == 1 {
				words = l["no_activity_one"]
			}
			p("| %s | %s | | | | |\n", span, words)
		}
		p("\n")
	}
	if len(r.Regions) == 0 {
		return
	}
	p("## %s\n\n| %s | %s | %s | %s | %s |\n|---|--:|--:|--:|--:|\n", l["regions"], l["region"], l["th_participants"],
		l["th_votes"], l["th_proposals"], l["th_comments"])
	for _, g := range r.Regions {
		p("| %s | %d | %d | %d | %d |\n", mdText(RegionName(g, l["other"], l["unknown"])), g.Participants, g.Votes, g.Proposals, g.Comments)
	}
	p("\n")
}

// RegionName is g's row label: its name, or other or unknown for the
// pooled rows.
func RegionName(g Region, other, unknown string) string {
	switch {
	case g.Other:
		return other
	case g.Unknown:
		return unknown
	}
	return g.Name
}

// mdProposals writes the top proposals with their official answers.
func mdProposals(p printer, r *Report, l map[string]string) {
	p("## %s\n\n", l["top"])
	if len(r.Proposals.Top) == 0 {
		p("%s\n\n", l["none"])
		return
	}
	for i, pr := range r.Proposals.Top {
		p("%d. %s (%d %s, %d %s) — %s: %s\n", i+1, mdText(pr.Title), pr.Supports, l["supports"], pr.Comments,
			l["comments"], l["status"], l["st_"+pr.Status])
		if pr.Answer != "" {
			p("   %s: %s\n", l["answer"], mdText(pr.Answer))
		}
	}
	p("\n%d %s %s %d.\n\n", len(r.Proposals.Top), l["proposals"], l["of"], r.Proposals.Total)
}

// mdPolls writes every poll's results: the outcome and winners, and the
// rows of polls/export.ResultRows (the results page's CSV) per question.
func mdPolls(p printer, r *Report, l map[string]string, lang string) {
	p("## %s\n\n", l["polls"])
	if len(r.Polls) == 0 {
		p("%s\n\n", l["none"])
		return
	}
	for _, pl := range r.Polls {
		anon := ""
		if pl.Anonymous {
			anon = ", " + l["anonymous"]
		}
		p("### %s (%s, %d %s%s)\n\n", mdText(pl.Title), l[pl.Status], pl.Respondents, l["respondents"], anon)
		for i := range pl.Questions {
			q := &pl.Questions[i]
			p("**%s** — %d %s", mdText(q.Question.Text), q.Answered, l["answered"])
			if out := export.OutcomeLabel(q, lang); out != "" {
				p("; %s", mdText(out))
				if w := export.Winners(q, lang); w != "" {
					p(": %s", mdText(w))
				}
			}
			p("\n\n")
			if q.Question.Kind == polls.KindText || q.NoVotes() {
				continue
			}
			rows := export.ResultRows([]polls.QuestionResult{*q}, lang).Rows
			p("| %s | %s | %% | %s |\n|---|--:|--:|--:|\n", mdText(cell(rows[0][3])), mdText(cell(rows[0][4])), mdText(cell(rows[0][6])))
			for _, row := range rows[1:] {
				pct := cell(row[5])
				if f, ok := row[5].(export.Percent); ok {
					pct = tally.FormatPercent(float64(f), 1, lang)
				}
				p("| %s | %s | %s | %s |\n", mdText(cell(row[3])), cell(row[4]), pct, cell(row[6]))
			}
			p("\n")
		}
	}
}

// cell is the text of an export cell: numbers as Go formats them, text as
// is (callers escape it for their format).
func cell(v any) string {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case export.Percent:
		return strconv.FormatFloat(float64(x), 'f', -1, 64)
	case string:
		return x
	}
	return fmt.Sprint(v)
}
