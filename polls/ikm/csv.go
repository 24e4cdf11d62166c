package ikm

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// numProfile is the number of profile columns.
const numProfile = 4

// profileHeaders returns, for each profile column (age, sex, education, occupation),
// the header spellings accepted for it (lower case); the first is its name.
func profileHeaders() [numProfile][]string {
	return [numProfile][]string{
		{"age", "umur", "usia"},
		{"sex", "jenis_kelamin", "jenis kelamin", "jk"},
		{"education", "pendidikan"},
		{"occupation", "pekerjaan"},
	}
}

// ReadCSV reads IKM responses from a CSV file.
//
// The header (line 1) must name the columns u1..u9 (any case, any order; "U1" works)
// and may name age (umur, usia), sex (jenis_kelamin, jk), education (pendidikan) and
// occupation (pekerjaan); other columns are ignored. A leading UTF-8 byte order mark
// is skipped, CRLF (Windows) line endings are accepted, and when the header holds
// more semicolons than commas the separator is ';' (as spreadsheets save CSV in the
// Indonesian locale). Cells are trimmed. In u-columns a blank cell means "not
// answered" and anything but 1–4 is an error: only the nine element scores are
// strictly checked. Profile cells are matched against AgeBands (or whole years),
// Sexes, Educations and Occupations, by code or common spelling; any other value
// is the office's own label ("50+", "Nelayan") and is kept as given, trimmed,
// when it is at most MaxProfileLabelRunes characters (ErrProfile otherwise).
// Lines whose cells are all blank are skipped.
//
// It returns every response, in file order, or an *ImportError and no response at
// all: a file with invalid UTF-8 anywhere, broken CSV, a missing u-column or any bad
// cell is rejected whole. Row in the error is the 1-based line number in the file.
func ReadCSV(r io.Reader) ([]Response, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	first, _ := br.Peek(4096)
	if line := firstLine(first); bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")) {
		cr.Comma = ';'
	}
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &ImportError{Kind: ErrEmpty}
	}
	if err != nil {
		return nil, malformed(err)
	}
	if err := checkUTF8(cr, header, nil); err != nil {
		return nil, err
	}
	cols, err := columns(header)
	if err != nil {
		return nil, err
	}
	var out []Response
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, malformed(err)
		}
		if err := checkUTF8(cr, rec, header); err != nil {
			return nil, err
		}
		if blank(rec) {
			continue
		}
		resp, err := cols.response(cr, rec)
		if err != nil {
			return nil, err
		}
		out = append(out, resp)
	}
	if len(out) == 0 {
		return nil, &ImportError{Kind: ErrNoRows}
	}
	return out, nil
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

func malformed(err error) error {
	ie := &ImportError{Kind: ErrMalformed, Err: err}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		ie.Row, ie.Err = pe.Line, pe.Err
	}
	return ie
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// checkUTF8 rejects a record holding invalid UTF-8; header names the columns (nil
// while reading the header itself).
func checkUTF8(cr *csv.Reader, rec, header []string) error {
	for i, c := range rec {
		if utf8.ValidString(c) {
			continue
		}
		line, _ := cr.FieldPos(i)
		col := ""
		if header != nil && i < len(header) && utf8.ValidString(header[i]) {
			col = strings.ToLower(strings.TrimSpace(header[i]))
		}
		return &ImportError{Kind: ErrInvalidUTF8, Row: line, Column: col, Value: c}
	}
	return nil
}

// layout maps known columns to their cell index; -1 means absent.
type layout struct {
	scores  [NumElements]int
	profile [numProfile]int
}

func columns(header []string) (layout, error) {
	var l layout
	for k := range l.scores {
		l.scores[k] = -1
	}
	for k := range l.profile {
		l.profile[k] = -1
	}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		slot, label := (*int)(nil), name
		for k, e := range Elements() {
			if name == strings.ToLower(e.Code) {
				slot = &l.scores[k]
			}
		}
		for k, aliases := range profileHeaders() {
			for _, a := range aliases {
				if name == a {
					slot, label = &l.profile[k], aliases[0]
				}
			}
		}
		if slot == nil {
			continue
		}
		if *slot >= 0 {
			return l, &ImportError{Kind: ErrDuplicateColumn, Row: 1, Column: label}
		}
		*slot = i
	}
	for k, e := range Elements() {
		if l.scores[k] < 0 {
			return l, &ImportError{Kind: ErrMissingColumn, Row: 1, Column: strings.ToLower(e.Code)}
		}
	}
	return l, nil
}

// response converts one record; cr gives the line numbers of its cells.
func (l layout) response(cr *csv.Reader, rec []string) (Response, error) {
	var resp Response
	for k, i := range l.scores {
		v := strings.TrimSpace(rec[i])
		if v == "" {
			continue
		}
		if len(v) != 1 || v[0] < '1' || v[0] > '4' {
			line, _ := cr.FieldPos(i)
			return Response{}, &ImportError{Kind: ErrScore, Row: line, Column: "u" + string(rune('1'+k)), Value: rec[i]}
		}
		resp.Scores[k] = int(v[0] - '0')
	}
	fields := [...]*string{&resp.Profile.AgeBand, &resp.Profile.Sex, &resp.Profile.Education, &resp.Profile.Occupation}
	for k, i := range l.profile {
		if i < 0 || strings.TrimSpace(rec[i]) == "" {
			continue
		}
		v, ok := profileValue(k, rec[i])
		if !ok {
			line, _ := cr.FieldPos(i)
			return Response{}, &ImportError{Kind: ErrProfile, Row: line, Column: profileHeaders()[k][0], Value: rec[i],
				Allowed: strconv.Itoa(MaxProfileLabelRunes)}
		}
		*fields[k] = v
	}
	return resp, nil
}
