package complaint

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// TestLaporBridge: the export lists every complaint with its LAPOR! id
// column (masked text for analysts, refused to citizens); the import links
// ids all or nothing with file:row errors, and an import of the exported
// ids changes nothing.
func TestLaporBridge(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	a := f.submit(t, Intake{Body: "Jalan berlubang, hubungi 081234567890 segera"})
	b := f.submit(t, Intake{})
	if err := f.s.ExportLapor(ctx, f.citizen, &bytes.Buffer{}); err == nil {
		t.Error("a citizen exported complaints")
	}

	bad := "number,lapor_id\n" + a.Complaint.Number + ",LAPOR-1\nADU-1999-000001,LAPOR-2\n" + b.Complaint.Number + "," + strings.Repeat("x", 61) + "\n"
	_, err := f.s.ImportLapor(ctx, f.admin, "lapor.csv", strings.NewReader(bad))
	var rows RowErrors
	if !errors.As(err, &rows) || len(rows) != 2 || rows[0].Row != 3 || rows[1].Row != 4 || !strings.HasPrefix(rows[0].Error(), "lapor.csv:3: ") || rows[0].Key != "complaint.row.unknown" {
		t.Fatalf("bad file: %v", err)
	}
	if c := must(f.s.ByNumber(ctx, a.Complaint.Number)); c.LaporID != "" {
		t.Fatalf("a bad file changed %s: %q", c.Number, c.LaporID)
	}
	if _, err := f.s.ImportLapor(ctx, f.officerA, "lapor.csv", strings.NewReader("number,lapor_id\n")); err == nil {
		t.Error("an officer imported LAPOR! ids")
	}
	good := "\ufeffnumber,lapor_id\n" + a.Complaint.Number + ",LAPOR-1\n" + b.Complaint.Number + ",LAPOR-2\n"
	if n := must(f.s.ImportLapor(ctx, f.admin, "lapor.csv", strings.NewReader(good))); n != 2 {
		t.Fatalf("changed %d, want 2", n)
	}

	var out bytes.Buffer
	if err := f.s.ExportLapor(ctx, f.analyst, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(strings.TrimPrefix(out.String(), "\ufeff"), "\r\n"), "\r\n")
	if len(lines) != 3 || lines[0] != strings.Join(LaporExportColumns, ",") || !strings.HasPrefix(lines[1], a.Complaint.Number+",LAPOR-1,received,") {
		t.Fatalf("export:\n%s", out.String())
	}
	if strings.Contains(out.String(), "081234567890") {
		t.Error("the analyst's export shows the phone number in the text")
	}
	if n := must(f.s.ImportLapor(ctx, f.admin, "lapor.csv", strings.NewReader(good))); n != 0 {
		t.Errorf("re-import changed %d, want 0", n)
	}
}
