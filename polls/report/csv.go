package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strconv"

	"github.com/rembug/rembug/polls/opinion"
)

// plainNumber matches cells that are a number and nothing else; those are
// data, not formulas, and keep their sign (a vote of -1 stays -1).
var plainNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// SafeCell neutralises spreadsheet formula injection (CASES C06, OWASP "CSV
// Injection"): a cell starting with =, +, -, @, TAB or CR gets a leading
// apostrophe, unless it is a plain decimal number. Quoting is left to
// encoding/csv.
func SafeCell(s string) string {
	if s == "" || plainNumber.MatchString(s) {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// SafeWriter is a csv.Writer that passes every cell through SafeCell.
type SafeWriter struct{ w *csv.Writer }

// NewSafeWriter returns a SafeWriter on w.
func NewSafeWriter(w io.Writer) *SafeWriter { return &SafeWriter{w: csv.NewWriter(w)} }

// Write writes one record, every cell made safe.
func (s *SafeWriter) Write(rec ...string) error {
	safe := make([]string, len(rec))
	for i, c := range rec {
		safe[i] = SafeCell(c)
	}
	return s.w.Write(safe)
}

// Flush flushes the writer and returns any write error.
func (s *SafeWriter) Flush() error {
	s.w.Flush()
	return s.w.Error()
}

// WriteCSV writes the report's statement table: one row per visible
// statement with its votes overall and per group (columns group-N-agree,
// group-N-disagree, group-N-pass for each group N), its group-informed
// consensus and its divisiveness. Cells are formula-safe (SafeCell).
func WriteCSV(w io.Writer, r *Report) error {
	cw := NewSafeWriter(w)
	head := []string{"statement-id", "source-id", "text", "agree", "disagree", "pass", "consensus", "divisiveness"}
	for g := range r.Opinion.Groups {
		head = append(head, fmt.Sprintf("group-%d-agree", g), fmt.Sprintf("group-%d-disagree", g), fmt.Sprintf("group-%d-pass", g))
	}
	if err := cw.Write(head...); err != nil {
		return err
	}
	for _, s := range r.Statements {
		rec := []string{strconv.FormatInt(s.ID, 10), s.SourceID, s.Text, strconv.Itoa(s.All.Agree), strconv.Itoa(s.All.Disagree),
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
	return cw.Flush()
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 4, 64) }
