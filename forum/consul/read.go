// Package consul imports citizen proposals and their comment threads from
// the CSV files of a CONSUL Democracy platform (such as Decide Madrid's
// sample in shared/data/proposals/decide-madrid) into one consultation.
//
// Read parses and checks the three files (proposals.csv, comments.csv,
// comment_hierarchy.csv) and names the file and row of the first problem;
// Import writes everything in one transaction, so a bad file imports
// nothing, and importing the same folder again changes nothing (rows are
// keyed by their source ids). Support totals come without supporters and
// are kept as an imported tally; replies whose parent is not in the data
// are kept at the top level of their proposal's thread. Functions are safe
// for concurrent use; two imports of one folder at once serialize on the
// database's unique indexes.
package consul

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

// Proposal is one row of proposals.csv.
type Proposal struct {
	ID, Code, Title, Summary, Text, Status, UserID string
	Date                                           time.Time
	Supports                                       int
}

// Comment is one row of comments.csv. ParentID is "" for a top-level
// comment (the file's -1).
type Comment struct {
	ID, ParentID, ProposalID, UserID, Text string
	At                                     time.Time
	Up, Down                               int
}

// Data is a parsed folder. Orphans counts replies whose parent is missing.
type Data struct {
	Proposals []Proposal
	Comments  []Comment
	Orphans   int
}

// RowError names the file and 1-based line of a malformed row.
type RowError struct {
	File string
	Line int
	Err  error
}

func (e *RowError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }
func (e *RowError) Unwrap() error { return e.Err }

// table reads a CSV file into rows keyed by header name; missing columns
// are an error naming the file.
func table(dir, name string, want []string) ([]map[string]string, error) {
	path := filepath.Join(dir, name)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, &RowError{File: path, Line: 1, Err: fmt.Errorf("no header: %w", err)}
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, w := range want {
		if _, ok := col[w]; !ok {
			return nil, &RowError{File: path, Line: 1, Err: fmt.Errorf("missing column %q", w)}
		}
	}
	var rows []map[string]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return nil, &RowError{File: path, Line: line, Err: err}
		}
		line, _ := r.FieldPos(0) // only valid for a record read without error
		m := make(map[string]string, len(want)+1)
		for _, w := range want {
			if !utf8.ValidString(rec[col[w]]) {
				return nil, &RowError{File: path, Line: line, Err: fmt.Errorf("column %q is not valid UTF-8 (save the file as UTF-8)", w)}
			}
			m[w] = rec[col[w]]
		}
		m["#line"] = strconv.Itoa(line)
		rows = append(rows, m)
	}
	return rows, nil
}

// Read parses the folder dir and checks it: integer ids and counts,
// dates, unique ids, comments of known proposals, and a hierarchy file
// that agrees with the comments' parents.
func Read(dir string) (*Data, error) {
	d := &Data{}
	prows, err := table(dir, "proposals.csv", []string{"id", "code", "title", "userId", "date", "summary", "text", "status", "numSupports"})
	if err != nil {
		return nil, err
	}
	props := map[string]bool{}
	for _, r := range prows {
		bad := func(e error) error {
			line, _ := strconv.Atoi(r["#line"])
			return &RowError{File: filepath.Join(dir, "proposals.csv"), Line: line, Err: e}
		}
		p := Proposal{ID: r["id"], Code: r["code"], Title: r["title"], Summary: r["summary"], Text: r["text"], Status: r["status"], UserID: r["userId"]}
		if _, err := strconv.ParseInt(p.ID, 10, 64); err != nil || props[p.ID] {
			return nil, bad(fmt.Errorf("bad or repeated id %q", p.ID))
		}
		if p.Supports, err = strconv.Atoi(r["numSupports"]); err != nil || p.Supports < 0 {
			return nil, bad(fmt.Errorf("bad numSupports %q", r["numSupports"]))
		}
		if p.Date, err = time.Parse("2006-01-02", r["date"]); err != nil {
			return nil, bad(fmt.Errorf("bad date %q", r["date"]))
		}
		if strings.TrimSpace(p.Title) == "" {
			return nil, bad(errors.New("empty title"))
		}
		props[p.ID] = true
		d.Proposals = append(d.Proposals, p)
	}
	crows, err := table(dir, "comments.csv", []string{"id", "parentId", "proposalId", "userId", "date", "time", "text", "numPositiveVotes", "numNegativeVotes"})
	if err != nil {
		return nil, err
	}
	ids := map[string]string{}
	for _, r := range crows {
		bad := func(e error) error {
			line, _ := strconv.Atoi(r["#line"])
			return &RowError{File: filepath.Join(dir, "comments.csv"), Line: line, Err: e}
		}
		c := Comment{ID: r["id"], ParentID: r["parentId"], ProposalID: r["proposalId"], UserID: r["userId"], Text: r["text"]}
		if _, err := strconv.ParseInt(c.ID, 10, 64); err != nil || ids[c.ID] != "" {
			return nil, bad(fmt.Errorf("bad or repeated id %q", c.ID))
		}
		if !props[c.ProposalID] {
			return nil, bad(fmt.Errorf("unknown proposal %q", c.ProposalID))
		}
		if c.ParentID == "-1" {
			c.ParentID = ""
		} else if _, err := strconv.ParseInt(c.ParentID, 10, 64); err != nil {
			return nil, bad(fmt.Errorf("bad parentId %q", c.ParentID))
		}
		day, err := time.Parse("2006-01-02", r["date"])
		if err != nil {
			return nil, bad(fmt.Errorf("bad date %q", r["date"]))
		}
		clock, err := parseClock(r["time"])
		if err != nil {
			return nil, bad(err)
		}
		c.At = day.Add(clock)
		if c.Up, err = strconv.Atoi(r["numPositiveVotes"]); err != nil || c.Up < 0 {
			return nil, bad(fmt.Errorf("bad numPositiveVotes %q", r["numPositiveVotes"]))
		}
		if c.Down, err = strconv.Atoi(r["numNegativeVotes"]); err != nil || c.Down < 0 {
			return nil, bad(fmt.Errorf("bad numNegativeVotes %q", r["numNegativeVotes"]))
		}
		ids[c.ID] = c.ProposalID
		d.Comments = append(d.Comments, c)
	}
	for i := range d.Comments {
		c := &d.Comments[i]
		if c.ParentID == "" {
			continue
		}
		if pp, ok := ids[c.ParentID]; !ok || pp != c.ProposalID {
			d.Orphans++
		}
	}
	return d, checkHierarchy(dir, d)
}

// checkHierarchy compares comment_hierarchy.csv (when present) with the
// comments' parents.
func checkHierarchy(dir string, d *Data) error {
	name := "comment_hierarchy.csv"
	if _, err := os.Stat(filepath.Join(dir, name)); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	rows, err := table(dir, name, []string{"proposalId", "commendId", "parentId"})
	if err != nil {
		return err
	}
	parent := map[string]string{}
	for _, c := range d.Comments {
		p := c.ParentID
		if p == "" {
			p = "-1"
		}
		parent[c.ID] = p
	}
	for _, r := range rows {
		if r["parentId"] == "0" && r["commendId"] == r["proposalId"] {
			continue // the proposal itself, the tree's root
		}
		if got, ok := parent[r["commendId"]]; !ok || got != r["parentId"] {
			line, _ := strconv.Atoi(r["#line"])
			return &RowError{File: filepath.Join(dir, name), Line: line,
				Err: fmt.Errorf("comment %s: parent %s disagrees with comments.csv", r["commendId"], r["parentId"])}
		}
	}
	return nil
}

// parseClock reads pandas' timedelta text "0 days 10:50:19".
func parseClock(s string) (time.Duration, error) {
	var days, h, m, sec int
	if _, err := fmt.Sscanf(s, "%d days %d:%d:%d", &days, &h, &m, &sec); err != nil {
		return 0, fmt.Errorf("bad time %q", s)
	}
	return time.Duration(days)*24*time.Hour + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second, nil
}
