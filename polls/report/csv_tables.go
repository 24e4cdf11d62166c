package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls/export"
)

// Table is one CSV table of a report: Name is its section and file name
// (Name + ".csv"); Rows[0] is the header. Cells are raw: the writers make
// them formula-safe.
type Table struct {
	Name string
	Rows [][]string
}

// Tables returns every CSV table of r, option labels and outcomes in lang
// ("id" or "en"):
//   - statements: WriteCSV's statement table;
//   - participation: date, participants, new-participants, votes,
//     proposals, comments per day, and between two days that are not
//     consecutive a row for the stretch without activity (DayRows): its
//     date is an ISO 8601 interval "2024-03-03/2029-03-01", its counts 0;
//   - regions (only when a region is known): region, participants, votes,
//     proposals, comments; the pooled rows are named "(other)" and
//     "(unknown)";
//   - proposals: rank, proposal-id, title, supports, comments, status,
//     answer, answered-at;
//   - polls: poll-id, poll-title, anonymous, respondents, then the columns
//     of the poll results export (polls/export.ResultRows): question code,
//     question, kind, answer, count, percent, place, outcome, winner;
//   - key-terms: group, rank, term, score.
func Tables(r *Report, lang string) []Table {
	st := Table{Name: "statements"}
	cw := &collector{}
	writeStatements(cw, r)
	st.Rows = cw.rows
	ts := []Table{st}
	itoa := strconv.Itoa
	part := Table{Name: "participation", Rows: [][]string{{"date", "participants", "new-participants", "votes", "proposals", "comments"}}}
	for _, row := range DayRows(r.Participation) {
		if d := row.Day; d != nil {
			part.Rows = append(part.Rows, []string{d.Date, itoa(d.Participants), itoa(d.New), itoa(d.Votes), itoa(d.Proposals), itoa(d.Comments)})
		} else { // a stretch without activity: an ISO 8601 interval, all 0
			part.Rows = append(part.Rows, []string{row.From + "/" + row.To, "0", "0", "0", "0", "0"})
		}
	}
	ts = append(ts, part)
	if len(r.Regions) > 0 {
		reg := Table{Name: "regions", Rows: [][]string{{"region", "participants", "votes", "proposals", "comments"}}}
		for _, g := range r.Regions {
			reg.Rows = append(reg.Rows, []string{RegionName(g, "(other)", "(unknown)"), itoa(g.Participants), itoa(g.Votes),
				itoa(g.Proposals), itoa(g.Comments)})
		}
		ts = append(ts, reg)
	}
	prop := Table{Name: "proposals", Rows: [][]string{{"rank", "proposal-id", "title", "supports", "comments", "status", "answer", "answered-at"}}}
	for i, p := range r.Proposals.Top {
		at := ""
		if !p.AnsweredAt.IsZero() {
			at = p.AnsweredAt.Format("2006-01-02T15:04:05Z")
		}
		prop.Rows = append(prop.Rows, []string{itoa(i + 1), strconv.FormatInt(p.ID, 10), p.Title, itoa(p.Supports), itoa(p.Comments),
			p.Status, p.Answer, at})
	}
	ts = append(ts, prop)
	pl := Table{Name: "polls", Rows: [][]string{{"poll-id", "poll-title", "anonymous", "respondents", "question-code", "question",
		"kind", "answer", "count", "percent", "place", "outcome", "winner"}}}
	for _, p := range r.Polls {
		for _, row := range export.ResultRows(p.Questions, lang).Rows[1:] {
			rec := []string{strconv.FormatInt(p.ID, 10), p.Title, strconv.FormatBool(p.Anonymous), itoa(p.Respondents)}
			for _, c := range row {
				rec = append(rec, cell(c))
			}
			pl.Rows = append(pl.Rows, rec)
		}
	}
	ts = append(ts, pl)
	kt := Table{Name: "key-terms", Rows: [][]string{{"group", "rank", "term", "score"}}}
	for _, g := range r.Opinion.Groups {
		for i, t := range g.KeyTerms {
			kt.Rows = append(kt.Rows, []string{GroupLetter(g.ID), itoa(i + 1), t.Term, ftoa(t.Score)})
		}
	}
	return append(ts, kt)
}

// collector is a rowWriter that keeps the rows.
type collector struct{ rows [][]string }

func (c *collector) Write(rec ...string) error {
	c.rows = append(c.rows, rec)
	return nil
}

// WriteCSVSections writes every table of Tables(r, lang) to w as one CSV
// stream: the statements table first, exactly as WriteCSV writes it, then
// each other table after an empty line and a one-cell title row "# name".
// Records differ in width, so a reader must accept that (encoding/csv:
// FieldsPerRecord = -1). Cells are formula-safe (SafeCell).
func WriteCSVSections(w io.Writer, r *Report, lang string) error {
	cw := forum.NewCSVWriter(w)
	for i, t := range Tables(r, lang) {
		if i > 0 {
			if err := cw.Write(); err != nil { // an empty line
				return err
			}
			if err := cw.Write("# " + t.Name); err != nil {
				return err
			}
		}
		for _, rec := range t.Rows {
			if err := cw.Write(rec...); err != nil {
				return err
			}
		}
	}
	return cw.Flush()
}

// WriteCSVDir writes every table of Tables(r, lang) as its own file
// NAME.csv in dir (created when missing), each formula-safe, and returns
// the paths written.
func WriteCSVDir(dir string, r *Report, lang string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	for _, t := range Tables(r, lang) {
		path := filepath.Join(dir, t.Name+".csv")
		f, err := os.Create(path)
		if err != nil {
			return paths, err
		}
		cw := forum.NewCSVWriter(f)
		for _, rec := range t.Rows {
			if err = cw.Write(rec...); err != nil {
				break
			}
		}
		err = errors.Join(err, cw.Flush(), f.Close())
		if err != nil {
			return paths, fmt.Errorf("write %s: %w", path, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}
