package web_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

var logoRE = regexp.MustCompile(`<img src="(/static/merek/logo\.[0-9a-f]{16}\.png)"`)
var themeRE = regexp.MustCompile(`href="(/static/merek/tema\.[0-9a-f]{16}\.css)"`)

// TestBrandingAdmin: an admin sets the pemda's name, colour, logo and
// footer in the browser form; every page then shows them, the logo and
// the theme are served under content-hashed paths with a long cache, the
// manifest carries the name and colour. A colour without AA contrast on
// white, a logo that is not an image and a participant's attempt are
// refused, and nothing of them is stored.
func TestBrandingAdmin(t *testing.T) {
	f := newFixture(t)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	citizen := fpSignIn(t, f, "warga", forum.RoleParticipant)
	fields := func(csrf, color string) []string {
		return []string{"csrf", csrf, "name", "Pemerintah Kota Contoh", "color", color,
			"address", "Jl. Merdeka No. 1\r\nKota Contoh 60111", "contact", "(031) 555 0100", "privacy", "/privasi"}
	}
	logo := testPNG(t, 64, 64)

	code, loc, body := upload(t, admin.c, f, "/admin/merek", fields(admin.csrf, "#0b5394"), "logo.png", logo)
	if code != 303 || loc != "/admin/merek?saved=1" {
		t.Fatalf("save: %d %q\n%s", code, loc, body)
	}
	_, home := get(t, citizen.c, f.url+"/")
	for _, want := range []string{"<title>Konsultasi publik · Pemerintah Kota Contoh</title>", `<span>Pemerintah Kota Contoh</span>`,
		"Jl. Merdeka No. 1<br>Kota Contoh 60111", "Kontak: (031) 555 0100", `<a href="/privasi">Kebijakan privasi</a>`,
		`<link rel="manifest" href="/manifest.webmanifest">`, `<meta name="theme-color" content="#0b5394">`} {
		if !strings.Contains(home, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	m := logoRE.FindStringSubmatch(home)
	th := themeRE.FindStringSubmatch(home)
	if m == nil || th == nil {
		t.Fatalf("no hashed logo or theme on the home page:\n%s", home)
	}
	if !strings.Contains(home, `<link rel="icon" href="`+m[1]+`" type="image/png">`) {
		t.Error("the favicon is not the logo")
	}
	res, b := fetch(t, citizen.c, f.url+m[1])
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || string(b) != string(logo) ||
		!strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("logo: %d %v (%d bytes)", res.StatusCode, res.Header, len(b))
	}
	res, b = fetch(t, citizen.c, f.url+th[1])
	if res.StatusCode != 200 || !strings.Contains(string(b), "--primary:#0b5394") {
		t.Fatalf("theme: %d %s", res.StatusCode, b)
	}
	if res, _ := fetch(t, citizen.c, f.url+"/static/merek/logo.0000000000000000.png"); res.StatusCode != 404 {
		t.Errorf("an old logo name: %d, want 404", res.StatusCode)
	}
	var man struct {
		Name  string `json:"name"`
		Theme string `json:"theme_color"`
		Icons []struct{ Src, Sizes string }
	}
	res, b = fetch(t, citizen.c, f.url+"/manifest.webmanifest")
	if err := json.Unmarshal(b, &man); err != nil || res.Header.Get("Content-Type") != "application/manifest+json" {
		t.Fatalf("manifest: %v %s", err, b)
	}
	if man.Name != "Pemerintah Kota Contoh" || man.Theme != "#0b5394" || len(man.Icons) != 1 || man.Icons[0].Src != m[1] || man.Icons[0].Sizes != "64x64" {
		t.Errorf("manifest: %+v", man)
	}

	refused := []struct {
		name, who, color, file string
		data                   []byte
		code                   int
		msg                    string
	}{
		{"yellow has 1.51:1 on white", "admin", "#ffcc00", "logo.png", logo, 400, "Kontras warna ini dengan latar putih hanya 1,51:1"},
		{"not a colour", "admin", "biru", "logo.png", logo, 400, "kode heksadesimal"},
		{"a PDF as logo", "admin", "#003366", "logo.pdf", []byte(testPDF), 400, "Logo harus gambar PNG atau JPEG"},
		{"a GIF as logo", "admin", "#003366", "logo.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), 400, "Logo harus gambar PNG atau JPEG"},
		{"a participant", "citizen", "#003366", "logo.png", logo, 403, ""},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			m := admin
			if c.who == "citizen" {
				m = citizen
			}
			code, _, body := upload(t, m.c, f, "/admin/merek", fields(m.csrf, c.color), c.file, c.data)
			if code != c.code || !strings.Contains(body, c.msg) {
				t.Fatalf("%d, want %d with %q:\n%s", code, c.code, c.msg, body)
			}
			b, err := forum.LoadBranding(context.Background(), f.db)
			if err != nil || b.Color != "#0b5394" {
				t.Fatalf("stored colour after a refused save: %q %v", b.Color, err)
			}
		})
	}

	// Removing the logo falls back to the default icon.
	if code, _, body := upload(t, admin.c, f, "/admin/merek", append(fields(admin.csrf, "#0b5394"), "remove_logo", "1"), "", nil); code != 303 {
		t.Fatalf("remove logo: %d\n%s", code, body)
	}
	if _, home := get(t, citizen.c, f.url+"/"); logoRE.MatchString(home) || !strings.Contains(home, `<link rel="icon" href="/static/favicon.`) {
		t.Errorf("the logo is still shown after its removal:\n%s", home)
	}
}
