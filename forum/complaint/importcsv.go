package complaint

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"
)

// ImportColumns are the columns `rembug import complaints` reads, in any
// order: id, received_at, topic, agency, kecamatan and kelurahan are
// required; text, answered_at and response_bucket may be missing or empty.
var ImportColumns = []string{"id", "text", "received_at", "answered_at", "response_bucket", "topic", "agency", "kecamatan", "kelurahan"}

var requiredColumns = []string{"id", "received_at", "topic", "agency", "kecamatan", "kelurahan"}

// ImportReport counts what an import did.
type ImportReport struct {
	Rows, Imported, Skipped  int // Skipped: already imported (same source id)
	Agencies, Topics, Areas  int // created by this import
	Answered, WithoutAnswers int
	// Warnings are rows imported as they are but left out of the
	// response-time figures: answered before they were received
	// (AnsweredBeforeReceived). Msg names the source id.
	Warnings []RowError
}

// RowError is one bad row: file:row: message (row 1 is the header).
type RowError struct {
	File string
	Row  int
	Msg  string
	// Key and Data, when Key is set, say Msg in the translation files
	// (complaint.row.*) for pages.
	Key  string
	Data map[string]any
}

func (e RowError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Row, e.Msg) }

// RowErrors are all the bad rows of a file; nothing was imported.
type RowErrors []RowError

func (es RowErrors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i == 20 {
			fmt.Fprintf(&b, "… and %d more", len(es)-20)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// importRow is one parsed row.
type importRow struct {
	row                                  int
	id, text, bucket, topic, agency, kec string
	kel                                  string
	received                             time.Time
	answered                             *time.Time
}

// Import reads historical complaints from CSV r (named file in errors;
// local times YYYY-MM-DD HH:MM:SS[.000] in loc) and records them all in
// one transaction, or nothing: every bad row is reported as a RowError.
// Agencies, topics and areas are created as needed; response_bucket is kept
// as the source gives it. Rows whose id was imported before are skipped,
// so importing a file twice changes nothing. Imported complaints are
// routed to their agency, answered (first response) at answered_at when
// given, and closed; the rest stay routed. Admins only (errs.Forbidden,
// decided inside the transaction).
func (s *Store) Import(ctx context.Context, a Actor, file string, r io.Reader, loc *time.Location) (ImportReport, error) {
	var rep ImportReport
	rows, err := parseImport(file, r, loc, s.now())
	if err != nil {
		return rep, err
	}
	warnings := answeredEarly(file, rows)
	rep.Rows = len(rows)
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := administer(ctx, tx, a, s.now()); err != nil {
			return err
		}
		rep = ImportReport{Rows: len(rows), Warnings: warnings}
		return s.importRows(ctx, tx, a, file, rows, &rep)
	})
	if err == nil && rep.Imported > 0 {
		// Imported complaints with text train the routing model.
		err = s.trainRouter(ctx)
	}
	return rep, err
}

// answeredEarly warns of the rows of file answered before they were
// received: kept (refusing them would refuse the whole file), but left out
// of response-time figures.
func answeredEarly(file string, rows []importRow) []RowError {
	var out []RowError
	for _, r := range rows {
		if AnsweredBeforeReceived(r.received, r.answered, r.answered) {
			out = append(out, RowError{File: file, Row: r.row,
				Msg: fmt.Sprintf("id %s: answered_at %s is before received_at %s; imported, left out of response times",
					r.id, r.answered.UTC().Format(time.DateTime+" UTC"), r.received.UTC().Format(time.DateTime+" UTC"))})
		}
	}
	return out
}

// parseImport reads the rows of file, refusing (RowErrors, FILE:ROW each)
// a received_at after now among other faults.
func parseImport(file string, r io.Reader, loc *time.Location, now time.Time) ([]importRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, RowErrors{{File: file, Row: 1, Msg: "no header: " + err.Error()}}
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		col[h] = i
	}
	var errs RowErrors
	for _, c := range requiredColumns {
		if _, ok := col[c]; !ok {
			errs = append(errs, RowError{File: file, Row: 1, Msg: fmt.Sprintf("missing column %q (want %s)", c, strings.Join(ImportColumns, ","))})
		}
	}
	if errs != nil {
		return nil, errs
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var rows []importRow
	seen := map[string]int{}
	for n := 2; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, RowError{File: file, Row: n, Msg: err.Error()})
			if len(errs) > 100 {
				break
			}
			continue
		}
		if len(rec) != len(head) {
			errs = append(errs, RowError{File: file, Row: n, Msg: fmt.Sprintf("%d fields, header has %d", len(rec), len(head))})
			continue
		}
		row := importRow{row: n, id: get(rec, "id"), text: get(rec, "text"), bucket: get(rec, "response_bucket"),
			topic: get(rec, "topic"), agency: get(rec, "agency"), kec: get(rec, "kecamatan"), kel: get(rec, "kelurahan")}
		bad := func(msg string) { errs = append(errs, RowError{File: file, Row: n, Msg: msg}) }
		if row.id == "" || len(row.id) > 150 {
			bad("id is empty or longer than 150 characters")
		} else if seen[row.id] != 0 {
			bad(fmt.Sprintf("id %s repeats row %d", row.id, seen[row.id]))
		} else {
			seen[row.id] = n
		}
		if row.agency == "" {
			bad("agency is empty")
		}
		if row.kec == "" {
			bad("kecamatan is empty")
		}
		for _, f := range []string{row.id, row.text, row.bucket, row.topic, row.agency, row.kec, row.kel} {
			if !utf8.ValidString(f) || strings.ContainsRune(f, 0) {
				bad("text is not valid UTF-8")
				break
			}
		}
		if utf8.RuneCountInString(row.text) > MaxBodyRunes {
			bad(fmt.Sprintf("text is longer than %d characters", MaxBodyRunes))
		}
		t, err := parseLocal(get(rec, "received_at"), loc)
		if err != nil {
			bad("received_at: " + err.Error())
		} else if t.After(now) {
			bad(fmt.Sprintf("received_at %s is in the future", get(rec, "received_at")))
		}
		row.received = t
		if v := get(rec, "answered_at"); v != "" {
			t, err := parseLocal(v, loc)
			if err != nil {
				bad("answered_at: " + err.Error())
			}
			row.answered = &t
		}
		rows = append(rows, row)
	}
	if errs != nil {
		return nil, errs
	}
	return rows, nil
}

// parseLocal reads a local time YYYY-MM-DD HH:MM:SS with optional
// fractional seconds.
func parseLocal(v string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02 15:04:05.999999999", v, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a local time YYYY-MM-DD HH:MM:SS.000", v)
	}
	return t.UTC(), nil
}
