package polis

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// RowError says which file and row of an export is malformed. Row is the
// 1-based line number in the file where the record starts.
type RowError struct {
	File string
	Row  int
	Msg  string
}

func (e *RowError) Error() string {
	if e.Row == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s, row %d: %s", e.File, e.Row, e.Msg)
}

// Conversation is a parsed export, before it is written anywhere.
type Conversation struct {
	Key         string // Pol.is conversation id, e.g. "2rumnecbeh"
	Topic       string
	Description string
	URL         string
	Comments    []Comment
	Votes       []Vote // the latest vote per (participant, comment)
	// Participants lists every participant id seen as a voter or an author,
	// in ascending order.
	Participants []string
}

// Comment is a Pol.is comment, which rembug calls a statement.
type Comment struct {
	ID       string
	AuthorID string
	Text     string
	Hidden   bool // moderated = -1
	Created  time.Time
}

// Vote is one participant's latest vote on one comment: 1 agree,
// -1 disagree, 0 pass. Time is zero when the export has no timestamps
// (participants-votes.csv).
type Vote struct {
	Participant string
	Comment     string
	Value       int8
	Time        time.Time
}

// table is a CSV file read whole, with the line each record starts on.
type table struct {
	file   string
	header map[string]int
	names  []string
	rows   [][]string
	lines  []int
}

func readTable(dir, name string) (*table, error) {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	t := &table{file: name, header: map[string]int{}}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &RowError{File: name, Row: pe.StartLine, Msg: pe.Err.Error()}
			}
			return nil, &RowError{File: name, Msg: err.Error()}
		}
		line, _ := r.FieldPos(0) // only valid for a record read without error
		for _, field := range rec {
			if !utf8.ValidString(field) {
				return nil, &RowError{File: name, Row: line, Msg: "text is not valid UTF-8 (save the file as UTF-8)"}
			}
		}
		if t.names == nil {
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
			t.names = rec
			for i, h := range rec {
				t.header[strings.TrimSpace(h)] = i
			}
			continue
		}
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
	}
	if t.names == nil {
		return nil, &RowError{File: name, Msg: "the file is empty"}
	}
	return t, nil
}

// need returns the column indexes of names, or an error naming the missing one.
func (t *table) need(names ...string) ([]int, error) {
	idx := make([]int, len(names))
	for i, n := range names {
		j, ok := t.header[n]
		if !ok {
			return nil, &RowError{File: t.file, Row: 1, Msg: fmt.Sprintf("missing column %q", n)}
		}
		idx[i] = j
	}
	return idx, nil
}

func (t *table) field(i, col int) string {
	if col < len(t.rows[i]) {
		return t.rows[i][col]
	}
	return ""
}

func (t *table) errorf(i int, format string, args ...any) error {
	return &RowError{File: t.file, Row: t.lines[i], Msg: fmt.Sprintf(format, args...)}
}

func parseMillis(t *table, i, col int) (time.Time, error) {
	ms, err := strconv.ParseInt(strings.TrimSpace(t.field(i, col)), 10, 64)
	if err != nil || ms < 0 {
		return time.Time{}, t.errorf(i, "timestamp %q is not a number of milliseconds", t.field(i, col))
	}
	return time.UnixMilli(ms).UTC(), nil
}

func parseID(t *table, i, col int, what string) (string, error) {
	s := strings.TrimSpace(t.field(i, col))
	if _, err := strconv.ParseUint(s, 10, 64); err != nil {
		return "", t.errorf(i, "%s %q is not a non-negative whole number", what, s)
	}
	return s, nil
}

func parseVote(t *table, i, col int) (int8, error) {
	switch strings.TrimSpace(t.field(i, col)) {
	case "1":
		return 1, nil
	case "-1":
		return -1, nil
	case "0":
		return 0, nil
	}
	return 0, t.errorf(i, "vote %q must be 1, -1 or 0 (column %q)", t.field(i, col), t.names[col])
}
