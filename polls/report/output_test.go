package report_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/report"
)

func TestSafeCell(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"equals", "=1+1", "'=1+1"},
		{"plus", "+1", "'+1"},
		{"minus formula", "-2+3", "'-2+3"},
		{"at", "@SUM(1+1)", "'@SUM(1+1)"},
		{"tab", "\t=1+1", "'\t=1+1"},
		{"carriage return", "\r=1", "'\r=1"},
		{"negative number", "-1", "-1"},
		{"decimal", "-0.25", "-0.25"},
		{"plain text", "Perbanyak pohon", "Perbanyak pohon"},
		{"empty", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := report.SafeCell(tc.in); got != tc.want {
				t.Fatalf("SafeCell(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestGroupLetter(t *testing.T) {
	for id, want := range map[int]string{0: "A", 1: "B", 25: "Z", 26: "AA", 27: "AB", -1: "?"} {
		if got := report.GroupLetter(id); got != want {
			t.Errorf("GroupLetter(%d) = %q, want %q", id, got, want)
		}
	}
}

func TestWriters(t *testing.T) {
	w := newWorld(t)
	w.stmts[1].Text = "=cmd|' /C calc'!A0 [link](http://x) <b>"
	if _, err := w.db.NewUpdate().Model(&w.stmts[1]).Column("text").WherePK().Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	w.vote(t, camps(24))
	r := build(t, w)
	var b strings.Builder
	if err := report.WriteCSV(&b, r); err != nil {
		t.Fatal(err)
	}
	body, ok := strings.CutPrefix(b.String(), "\ufeff")
	if !ok {
		t.Fatal("report CSV has no byte order mark")
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if err := report.WriteCSVSections(&b, r, "id"); err != nil || !strings.HasPrefix(b.String(), "\ufeff") || strings.Count(b.String(), "\ufeff") != 1 {
		t.Fatalf("CSV sections: one byte order mark at the start, got %d (%v)", strings.Count(b.String(), "\ufeff"), err)
	}
	paths, err := report.WriteCSVDir(t.TempDir(), r, "id")
	if err != nil || len(paths) == 0 {
		t.Fatalf("CSV dir: %v %v", paths, err)
	}
	for _, p := range paths {
		if data, err := os.ReadFile(p); err != nil || !bytes.HasPrefix(data, []byte("\ufeff")) {
			t.Errorf("%s: no byte order mark (%v)", p, err)
		}
	}
	if len(recs) != len(texts) || len(recs[0]) != 9+3*2 || recs[0][2] != "origin" || recs[1][2] != polls.OriginImported {
		t.Fatalf("csv shape %d×%d", len(recs), len(recs[0]))
	}
	if recs[2][3] != "'=cmd|' /C calc'!A0 [link](http://x) <b>" {
		t.Fatalf("csv text cell %q not neutralised", recs[2][3])
	}
	b.Reset()
	if err := report.WriteMarkdown(&b, r, "en"); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	if strings.Contains(md, "](http") || strings.Contains(md, "<b>") || !strings.Contains(md, "Opinion groups") || !strings.Contains(md, "Group A") {
		t.Fatalf("markdown:\n%s", md)
	}
}
