package export_test

import (
	"bytes"
	"testing"

	"github.com/rembug/rembug/polls/export"
	"github.com/xuri/excelize/v2"
)

// TestXLSXNumberFormats: the one XLSX writer stores counts as whole
// numbers with thousands separators, percentages as fractions with the
// percent format and other numbers with decimals, all as numeric cells.
func TestXLSXNumberFormats(t *testing.T) {
	var buf bytes.Buffer
	tab := export.Table{Name: "Hasil", Rows: []export.Row{{"jumlah", "persen", "rata-rata"}, {33343, export.Percent(42.9), 2.92, 7.0}}}
	if err := export.WriteXLSX(&buf, tab); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, tc := range []struct {
		ref, raw string
		numFmt   int
		custom   string
	}{
		{"A2", "33343", 3, ""},
		{"B2", "0.429", 0, "0.0%"},
		{"C2", "2.92", 0, "#,##0.0##"},
		{"D2", "7", 3, ""},
	} {
		raw, err := f.GetCellValue("Hasil", tc.ref, excelize.Options{RawCellValue: true})
		if err != nil || raw != tc.raw {
			t.Errorf("%s holds %q (%v), want %s", tc.ref, raw, err, tc.raw)
		}
		if typ, _ := f.GetCellType("Hasil", tc.ref); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s is of type %v, not a number", tc.ref, typ)
		}
		idx, err := f.GetCellStyle("Hasil", tc.ref)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(idx)
		if err != nil {
			t.Fatal(err)
		}
		custom := ""
		if st.CustomNumFmt != nil {
			custom = *st.CustomNumFmt
		}
		if st.NumFmt != tc.numFmt || custom != tc.custom {
			t.Errorf("%s has number format %d %q, want %d %q", tc.ref, st.NumFmt, custom, tc.numFmt, tc.custom)
		}
	}
	if v, _ := f.GetCellValue("Hasil", "A2"); v != "33,343" {
		t.Errorf("A2 shows %q, want 33,343 (in the file's default en-US rendering)", v)
	}
}
