package export_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/export"
	"github.com/xuri/excelize/v2"
)

func TestSafe(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"formula", "=HYPERLINK(\"", "'=HYPERLINK(\""},
		{"at", "@SUM(1+1)", "'@SUM(1+1)"},
		{"minus", "-2+3", "'-2+3"},
		{"tab", "\t=1+1", "'\t=1+1"},
		{"carriage return", "\r=1", "'\r=1"},
		{"phone number", "+62 812 0000", "'+62 812 0000"},
		{"plain", "Taman kota", "Taman kota"},
		{"empty", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := export.Safe(tc.in); got != tc.want {
				t.Fatalf("Safe(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestFormulaInjectionC06 exports hostile texts, headers included, and reads
// both files back.
func TestFormulaInjectionC06(t *testing.T) {
	qs := []polls.Question{
		{Code: "q", Kind: polls.KindSingle, Text: "=1+1", Spec: polls.Spec{Options: []string{"@SUM(1+1)", "-2+3"}}},
		{Code: "t", Kind: polls.KindText, Text: "Saran"},
	}
	rs := []polls.Answers{{"q": {Choices: []int{0}}, "t": {Text: "=HYPERLINK(\"http://x\")"}}, {"q": {Choices: []int{1}}, "t": {Text: "\t=1+1"}}}
	res, err := polls.Results(qs, rs)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := export.WriteCSV(&buf, export.ResponseRows(qs, rs, "id")); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		for _, c := range rec {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("CSV cell %q is not neutralised", c)
			}
		}
	}
	if recs[0][1] != "'=1+1" || recs[1][2] != "'=HYPERLINK(\"http://x\")" {
		t.Fatalf("CSV rows: %q", recs)
	}
	buf.Reset()
	if err := export.WriteXLSX(&buf, export.ResultRows(res, "en"), export.ResponseRows(qs, rs, "en")); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
					t.Errorf("%s!%s holds formula %q", sheet, ref, formula)
				}
				if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
					t.Errorf("%s!%s = %q is not neutralised", sheet, ref, v)
				}
			}
		}
	}
	if v, _ := f.GetCellValue("Results", "D2"); v != "'@SUM(1+1)" {
		t.Fatalf("first result option = %q", v)
	}
}

// TestFrequencyQuestionHasNoTie counts a multiple-choice (frequency)
// question whose top options have equal counts, beside a single-choice
// question that really is tied: only the latter is labelled "seri", and the
// equal counts show equal percentages.
func TestFrequencyQuestionHasNoTie(t *testing.T) {
	qs := []polls.Question{
		{Code: "fasilitas", Kind: polls.KindMultiple, Text: "Fasilitas", Spec: polls.Spec{Options: []string{"a", "b", "c"}}},
		{Code: "pilih", Kind: polls.KindSingle, Text: "Pilih", Spec: polls.Spec{Options: []string{"x", "y", "z"}}},
	}
	rs := []polls.Answers{
		{"fasilitas": {Choices: []int{0, 1}}, "pilih": {Choices: []int{0}}},
		{"fasilitas": {Choices: []int{0, 1, 2}}, "pilih": {Choices: []int{1}}},
		{"fasilitas": {Choices: []int{2}}, "pilih": {Choices: []int{2}}},
	}
	res, err := polls.Results(qs, rs)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].ShowsOutcome() || export.OutcomeLabel(&res[0], "id") != "" || export.Winners(&res[0], "id") != "" {
		t.Errorf("frequency question labelled %q, winners %q", export.OutcomeLabel(&res[0], "id"), export.Winners(&res[0], "id"))
	}
	if got := export.OutcomeLabel(&res[1], "id"); got != "seri" {
		t.Errorf("tied single-choice question labelled %q, want seri", got)
	}
	for _, row := range export.ResultRows(res, "id").Rows[1:] {
		if row[0] == "fasilitas" && row[7] != "" {
			t.Errorf("result row %v carries an outcome", row)
		}
		if row[0] == "pilih" && row[5] != export.Percent(33.3) {
			t.Errorf("result row %v: equal counts should show 33.3", row)
		}
	}
}
