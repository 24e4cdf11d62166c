package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestComplaintLaporImportPage: the desk uploads a LAPOR! id file, sees its
// bad rows by number (400, nothing changed), then a good file's preview
// (nothing changed yet), then imports it in one go; officers get 403.
func TestComplaintLaporImportPage(t *testing.T) {
	w := newComplaintWorld(t)
	page, _ := w.file(t, "owner", url.Values{"text": {"Jalan Kenjeran rusak berat dekat jembatan"}})
	number := strings.TrimPrefix(page, "/pengaduan/")
	for _, role := range []string{"officer routed", "owner"} {
		if code, _ := get(t, w.roles[role], w.url+"/admin/pengaduan/lapor"); code != http.StatusForbidden {
			t.Errorf("%s opens the import page: %d", role, code)
		}
	}
	_, form := get(t, w.roles["admin"], w.url+"/admin/pengaduan/lapor")
	tok := csrfRE.FindStringSubmatch(form)
	if tok == nil {
		t.Fatalf("import page:\n%s", form)
	}
	laporID := func() string {
		var id string
		if err := w.db.NewSelect().Table("complaints").Column("lapor_id").Where("number = ?", number).Scan(t.Context(), &id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	bad := "number,lapor_id\n" + number + ",LAP-2026-1\nADU-1999-000009,LAP-2\n" + number + ",LAP-3\n"
	code, _, body := upload(t, w.roles["admin"], w.fixture, "/admin/pengaduan/lapor", []string{"csrf", tok[1]}, "lapor.csv", []byte(bad))
	if code != http.StatusBadRequest || !strings.Contains(body, "Tidak ada pengaduan bernomor ADU-1999-000009") ||
		!strings.Contains(body, "sudah ada di baris 2") || !strings.Contains(body, `<td class="num">3</td>`) {
		t.Fatalf("bad file: %d\n%s", code, body)
	}
	if id := laporID(); id != "" {
		t.Fatalf("a bad file changed the LAPOR! id to %q", id)
	}
	code, _, body = upload(t, w.roles["admin"], w.fixture, "/admin/pengaduan/lapor", []string{"csrf", tok[1]}, "lapor.csv",
		[]byte("number,lapor_id\n"+number+",LAP-2026-1\n"))
	if code != http.StatusOK || !strings.Contains(body, "1 pengaduan akan berubah") || !strings.Contains(body, "<strong>LAP-2026-1</strong>") {
		t.Fatalf("preview: %d\n%s", code, body)
	}
	if id := laporID(); id != "" {
		t.Fatalf("the preview changed the LAPOR! id to %q", id)
	}
	if res, _ := post(t, w.roles["officer routed"], w.url, "/pengaduan/baru", "/admin/pengaduan/lapor",
		url.Values{"do": {"import"}, "name": {"lapor.csv"}, "csv": {"number,lapor_id\n" + number + ",X\n"}}, ""); res.StatusCode != http.StatusForbidden {
		t.Errorf("an officer imports: %d", res.StatusCode)
	}
	res, _ := post(t, w.roles["admin"], w.url, "/admin/pengaduan/lapor", "/admin/pengaduan/lapor",
		url.Values{"do": {"import"}, "name": {"lapor.csv"}, "csv": {"number,lapor_id\n" + number + ",LAP-2026-1\n"}}, "")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin/pengaduan/lapor?selesai=1" {
		t.Fatalf("import: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if id := laporID(); id != "LAP-2026-1" {
		t.Fatalf("after import: %q", id)
	}
	if _, body := get(t, w.roles["admin"], w.url+"/admin/pengaduan/lapor?selesai=1"); !strings.Contains(body, "1 pengaduan diubah") {
		t.Error("no result after the import")
	}
}
