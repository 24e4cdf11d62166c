package complaint

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestImportRefusesFutureReceipt: a row received after now is refused with
// its FILE:ROW and nothing of the file is imported.
func TestImportRefusesFutureReceipt(t *testing.T) {
	f := newFixture(t) // now is 2024-04-01 09:00 WIB
	csv := "id,text,received_at,answered_at,response_bucket,topic,agency,kecamatan,kelurahan\n" +
		"a1,Jalan berlubang,2024-03-01 08:00:00.000,2024-03-02 08:00:00.000,,Jalan,Dinas Pekerjaan Umum,Tandes,Tandes\n" +
		"a2,Lampu mati,2024-05-01 08:00:00.000,,,Jalan,Dinas Pekerjaan Umum,Tandes,Tandes\n"
	_, err := f.s.Import(context.Background(), f.admin, "x.csv", strings.NewReader(csv), wibZone)
	var rows RowErrors
	if !errors.As(err, &rows) || len(rows) != 1 || !strings.HasPrefix(rows[0].Error(), "x.csv:3: received_at") {
		t.Fatalf("import: %v", err)
	}
	var n int
	if err := f.s.db.NewRaw("SELECT count(*) FROM complaints").Scan(context.Background(), &n); err != nil || n != 0 {
		t.Fatalf("%d complaints stored (%v), want 0", n, err)
	}
}
