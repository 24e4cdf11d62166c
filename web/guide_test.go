package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

// TestGuides: the guides are public in both languages with their
// built-in text; an admin edits one in the browser (audited), a too-long
// text is refused with nothing written, an empty one returns to the
// built-in text; a citizen may not edit; the forms that ask for personal
// data say why next to the field and link the guide.
func TestGuides(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := fpSignIn(t, f, "Admin Panduan", forum.RoleAdmin)
	citizen := fpSignIn(t, f, "Warga Panduan", forum.RoleParticipant)
	guest := browser(t)

	for path, wants := range map[string][]string{
		"/panduan?lang=id":                          {"Cara ikut serta", "Bagaimana data Anda dilindungi", "Memberi masukan yang ditindaklanjuti"},
		"/panduan?lang=en":                          {"How to take part", "How your data is protected", "Giving feedback that gets acted on"},
		"/panduan/data-pribadi?lang=id":             {"Nomor 27 Tahun 2022", "Unduh data saya"},
		"/panduan/data-pribadi?lang=en":             {"Law No. 27 of 2022", "Download my data"},
		"/panduan/ikut-serta?lang=id":               {"Pengaduan", "Sesi tanya jawab langsung"},
		"/panduan/masukan?lang=en":                  {"One issue per post"},
		"/pengaduan/baru?lang=id":                   {"Mengapa kami bertanya: agar petugas dapat menghubungi", `href="/panduan/ikut-serta"`, `aria-describedby="why-phone"`},
		"/pengaduan/baru?lang=en":                   {"Why we ask: to send you the ticket number"},
		"/masuk?lang=id":                            {"Mengapa kami bertanya: untuk mengirim kode masuk", `href="/panduan/data-pribadi"`},
		"/k/" + f.c.Slug + "/proposals/new?lang=id": {`href="/panduan/masukan"`},
	} {
		code, body := get(t, guest, f.url+path)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", path, code)
		}
		for _, w := range wants {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
	}
	if code, _ := get(t, guest, f.url+"/panduan/tidak-ada"); code != http.StatusNotFound {
		t.Fatalf("unknown guide: %d", code)
	}
	if _, body := get(t, citizen.c, f.url+"/akun?lang=id"); !strings.Contains(body, "Mengapa kami bertanya: nama ini tampil") {
		t.Error("the profile form does not say why it asks for a name")
	}

	// A citizen may neither open the editor nor save.
	if code, _ := get(t, citizen.c, f.url+"/admin/panduan/masukan/id"); code != http.StatusForbidden {
		t.Fatalf("citizen opens the editor: %d", code)
	}
	if res, _ := post(t, citizen.c, f.url, "/akun", "/admin/panduan/masukan/id", url.Values{"body": {"# Diubah warga"}}, ""); res.StatusCode != http.StatusForbidden {
		t.Fatalf("citizen saves a guide: %d", res.StatusCode)
	}
	if _, body := get(t, guest, f.url+"/panduan/masukan?lang=id"); strings.Contains(body, "Diubah warga") {
		t.Fatal("a citizen changed a guide")
	}

	// The admin's text replaces the built-in one, in that language only.
	edit := "/admin/panduan/masukan/id"
	if _, body := get(t, admin.c, f.url+edit); !strings.Contains(body, "Satu hal per masukan") || !strings.Contains(body, "teks bawaan") {
		t.Fatalf("editor lacks the built-in text:\n%s", body)
	}
	res, _ := post(t, admin.c, f.url, edit, edit, url.Values{"body": {"# Masukan yang baik\r\n\r\nTulis **singkat** dan jelas.<script>alert(1)</script>"}}, "")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin saves: %d", res.StatusCode)
	}
	_, body := get(t, guest, f.url+"/panduan/masukan?lang=id")
	if !strings.Contains(body, "<strong>singkat</strong>") || strings.Contains(body, "<script>alert") || !strings.Contains(body, "<title>Masukan yang baik") {
		t.Fatalf("edited guide:\n%s", body)
	}
	if _, body := get(t, guest, f.url+"/panduan/masukan?lang=en"); !strings.Contains(body, "One issue per post") {
		t.Fatal("editing the Indonesian guide changed the English one")
	}
	var n int
	if err := f.db.NewSelect().Table("audit_log").ColumnExpr("count(*)").Where("action = 'guide_save' AND reason = 'masukan.id'").Scan(ctx, &n); err != nil || n != 1 {
		t.Fatalf("audit rows: %d %v", n, err)
	}

	// Too long: refused in the reader's language, the saved text kept.
	res, body = post(t, admin.c, f.url, edit, edit, url.Values{"body": {strings.Repeat("kata ", forum.MaxGuideBody)}}, "")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "paling banyak 3.000 karakter") {
		t.Fatalf("too long: %d\n%s", res.StatusCode, body)
	}
	if _, body := get(t, guest, f.url+"/panduan/masukan?lang=id"); !strings.Contains(body, "<strong>singkat</strong>") {
		t.Fatal("a refused save changed the guide")
	}

	// Empty: back to the built-in text.
	if res, _ := post(t, admin.c, f.url, edit, edit, url.Values{"body": {""}}, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.StatusCode)
	}
	if _, body := get(t, guest, f.url+"/panduan/masukan?lang=id"); !strings.Contains(body, "Satu hal per masukan") {
		t.Fatal("an empty save did not restore the built-in text")
	}
}
