package export_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/export"
)

// TestBreakdownRows: one row per group, question and option, in the whole
// survey's order, with counts of the group; hostile region names are
// neutralised like every cell.
func TestBreakdownRows(t *testing.T) {
	qs := []polls.Question{
		{Code: "s", Kind: polls.KindSingle, Text: "Pilih", Spec: polls.Spec{Options: []string{"A", "B"}}},
		{Code: "t", Kind: polls.KindText, Text: "Saran"},
	}
	ans := func(c int) polls.Answers { return polls.Answers{"s": {Choices: []int{c}}, "t": {Text: "x"}} }
	all := []polls.Answers{ans(1), ans(1), ans(1), ans(0), ans(0), ans(1), ans(0), ans(1)}
	regions := []string{"=HYPERLINK(1)", "=HYPERLINK(1)", "=HYPERLINK(1)", "Andir", "Andir", "Andir", "", ""}
	overall, err := polls.Results(qs, all)
	if err != nil {
		t.Fatal(err)
	}
	groups, err := polls.ResultsByRegion(&polls.Survey{}, qs, all, regions)
	if err != nil {
		t.Fatal(err)
	}
	tab := export.BreakdownRows("kecamatan", overall, groups, 1, "en")
	var got []string
	for _, r := range tab.Rows[1:] {
		got = append(got, fmt.Sprint(r[1], "|", r[2], "|", r[5], "|", r[6]))
	}
	// B wins overall (5 to 3), so B comes first in every group.
	want := []string{"=HYPERLINK(1)|3|B|3", "=HYPERLINK(1)|3|A|0", "Andir|3|B|1", "Andir|3|A|2", "Unknown|2|B|1", "Unknown|2|A|1"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("rows %q\nwant %q", got, want)
	}
	var buf bytes.Buffer
	if err := export.WriteCSV(&buf, tab); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[1][1] != "'=HYPERLINK(1)" || recs[1][0] != "kecamatan" {
		t.Fatalf("CSV row %q", recs[1])
	}
}
