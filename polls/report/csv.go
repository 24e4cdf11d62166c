package report

import (
	"fmt"
	"io"
	"strconv"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls/opinion"
)

// SafeCell is forum.SafeCell, the one rule for formula-safe cells
// (CASES C06).
func SafeCell(s string) string { return forum.SafeCell(s) }

// WriteCSV writes the report's statement table: one row per visible
// statement with its votes overall and per group (columns group-N-agree,
// group-N-disagree, group-N-pass for each group N), its group-informed
// consensus and its divisiveness, written by forum.CSVWriter (byte order
// mark, formula-safe cells).
func WriteCSV(w io.Writer, r *Report) error {
	cw := forum.NewCSVWriter(w)
	if err := writeStatements(cw, r); err != nil {
		return err
	}
	return cw.Flush()
}

// rowWriter takes one record at a time.
type rowWriter interface{ Write(rec ...string) error }

// writeStatements writes WriteCSV's rows to cw.
func writeStatements(cw rowWriter, r *Report) error {
	head := []string{"statement-id", "source-id", "origin", "text", "agree", "disagree", "pass", "consensus", "divisiveness"}
	for g := range r.Opinion.Groups {
		head = append(head, fmt.Sprintf("group-%d-agree", g), fmt.Sprintf("group-%d-disagree", g), fmt.Sprintf("group-%d-pass", g))
	}
	if err := cw.Write(head...); err != nil {
		return err
	}
	for _, s := range r.Statements {
		rec := []string{strconv.FormatInt(s.ID, 10), s.SourceID, s.Origin, s.Text, strconv.Itoa(s.All.Agree), strconv.Itoa(s.All.Disagree),
			strconv.Itoa(s.All.Pass), ftoa(s.Consensus), ftoa(s.Divisiveness)}
		for g := range r.Opinion.Groups {
			var t opinion.Tally
			if g < len(s.Groups) {
				t = s.Groups[g]
			}
			rec = append(rec, strconv.Itoa(t.Agree), strconv.Itoa(t.Disagree), strconv.Itoa(t.Pass))
		}
		if err := cw.Write(rec...); err != nil {
			return err
		}
	}
	return nil
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 4, 64) }
