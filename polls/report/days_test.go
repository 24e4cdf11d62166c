package report_test

import (
	"strings"
	"testing"

	"github.com/rembug/rembug/polls/report"
)

// TestOutputsNameGaps: the Markdown and CSV reports list the stretches
// without activity between active days, the same ones the HTML report
// names (report.DayRows), and none between consecutive days.
func TestOutputsNameGaps(t *testing.T) {
	days := []report.Day{{Date: "2024-02-28", Votes: 1}, {Date: "2024-02-29", Votes: 2}, {Date: "2024-03-02", Votes: 3}, {Date: "2029-03-02", Votes: 4}}
	var got []string
	for _, r := range report.DayRows(days) {
		if r.Day != nil {
			got = append(got, r.Date)
		} else {
			got = append(got, r.From+"/"+r.To)
		}
	}
	if want := "2024-02-28|2024-02-29|2024-03-01/2024-03-01|2024-03-02|2024-03-03/2029-03-01|2029-03-02"; strings.Join(got, "|") != want {
		t.Errorf("rows %q, want %q", strings.Join(got, "|"), want)
	}
	r := &report.Report{Participation: days}
	var part report.Table
	for _, tb := range report.Tables(r, "id") {
		if tb.Name == "participation" {
			part = tb
		}
	}
	var dates []string
	for _, row := range part.Rows[1:] {
		dates = append(dates, row[0])
		if strings.Contains(row[0], "/") && strings.Join(row[1:], ",") != "0,0,0,0,0" {
			t.Errorf("gap row %q", row)
		}
	}
	if strings.Join(dates, "|") != strings.Join(got, "|") {
		t.Errorf("CSV participation dates %q, want %q", dates, got)
	}
	for lang, want := range map[string][]string{
		"id": {"| 2024-03-01 | Tidak ada kegiatan (1 hari, semua 0) |", "| 2024-03-03 – 2029-03-01 | Tidak ada kegiatan (1825 hari, semua 0) |"},
		"en": {"| 2024-03-01 | No activity (1 day, all 0) |", "| 2024-03-03 – 2029-03-01 | No activity (1825 days, all 0) |"},
	} {
		var b strings.Builder
		if err := report.WriteMarkdown(&b, r, lang); err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s Markdown lacks %q:\n%s", lang, w, b.String())
			}
		}
		if strings.Contains(b.String(), "2024-02-28 – ") {
			t.Errorf("%s Markdown has a gap between consecutive days", lang)
		}
	}
}
