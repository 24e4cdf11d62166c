package web_test

import (
	"bytes"
	"image/jpeg"
	"net/http"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

// TestCardCover: a consultation with a cover shows it on its home card as
// a small JPEG (at most 480×320, aspect kept) made once and stored, with
// its size in the tag and lazy loading; a draft's card image is not served
// to a guest.
func TestCardCover(t *testing.T) {
	f := newFixture(t)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	cover := testPNG(t, 1600, 1000)
	if code, _, page := upload(t, admin.c, f, "/admin/konsultasi/"+f.c.Slug+"/berkas", []string{"csrf", admin.csrf, "kind", "cover"}, "sampul.png", cover); code != http.StatusSeeOther {
		t.Fatalf("cover upload: %d\n%s", code, page)
	}
	guest := browser(t)
	_, home := get(t, guest, f.url+"/")
	tag := `<img class="card-cover" src="/k/` + f.c.Slug + `/sampul" alt="" width="480" height="300" loading="lazy" decoding="async">`
	if !strings.Contains(home, tag) {
		t.Fatalf("home card lacks %s", tag)
	}
	res, body := fetch(t, guest, f.url+"/k/"+f.c.Slug+"/sampul")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "inline") {
		t.Fatalf("card image: %d %v", res.StatusCode, res.Header)
	}
	img, err := jpeg.Decode(bytes.NewReader(body))
	if err != nil || img.Bounds().Dx() != 480 || img.Bounds().Dy() != 300 {
		t.Fatalf("card image: %v %v, want a 480×300 JPEG", img.Bounds(), err)
	}
	var stored int
	f.db.NewRaw(`SELECT COUNT(*) FROM consultation_files WHERE kind = 'cover' AND thumb IS NOT NULL`).Scan(t.Context(), &stored)
	if stored != 1 {
		t.Errorf("%d card images stored, want 1", stored)
	}
	if again, body2 := fetch(t, guest, f.url+"/k/"+f.c.Slug+"/sampul"); again.StatusCode != 200 || !bytes.Equal(body, body2) {
		t.Error("the stored card image is not the one served")
	}
	if res2, _ := fetch(t, guest, f.url+"/k/"+f.c.Slug+"/sampul", "If-None-Match", res.Header.Get("ETag")); res2.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %d", res2.StatusCode)
	}

	if _, err := f.db.NewRaw(`UPDATE consultations SET status = ? WHERE id = ?`, forum.StatusDraft, f.c.ID).Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	if res, _ := fetch(t, guest, f.url+"/k/"+f.c.Slug+"/sampul"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a draft's card image to a guest: %d, want 404", res.StatusCode)
	}
	if res, _ := fetch(t, admin.c, f.url+"/k/"+f.c.Slug+"/sampul"); res.StatusCode != 200 || res.Header.Get("Cache-Control") != "private, no-cache" {
		t.Errorf("a draft's card image to its admin: %d %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
}
