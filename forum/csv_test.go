package forum_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
)

// TestCSVWriter checks the one CSV writer: a byte order mark once before
// the first record, CRLF line ends, formula-safe cells, and nothing at all
// when no record is written.
func TestCSVWriter(t *testing.T) {
	var buf bytes.Buffer
	cw := forum.NewCSVWriter(&buf)
	if err := cw.Flush(); err != nil || buf.Len() != 0 {
		t.Fatalf("empty export wrote %q (%v)", buf.String(), err)
	}
	for _, rec := range [][]string{{"nama", "catatan"}, {"Rembug 👨‍👩‍👧", "=1+1"}, {"-1", "+62 812"}} {
		if err := cw.Write(rec...); err != nil {
			t.Fatal(err)
		}
	}
	if err := cw.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "\ufeffnama,catatan\r\nRembug 👨‍👩‍👧,'=1+1\r\n-1,'+62 812\r\n"
	if buf.String() != want {
		t.Fatalf("CSV = %q, want %q", buf.String(), want)
	}
}

// TestExportCSVHasBOM checks forum.WriteCSV, the consultation export.
func TestExportCSVHasBOM(t *testing.T) {
	var buf bytes.Buffer
	rows := []forum.ExportRow{{Kind: forum.TargetComment, ID: 1, Body: "Jalan rusak ✓", CreatedAt: time.Unix(0, 0)}}
	if err := forum.WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	body, ok := strings.CutPrefix(buf.String(), "\ufeff")
	if !ok {
		t.Fatalf("no byte order mark: %q", buf.String())
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(recs) != 2 || recs[0][0] != "kind" || recs[1][7] != "Jalan rusak ✓" {
		t.Fatalf("records %q (%v)", recs, err)
	}
}
