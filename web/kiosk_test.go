package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

// TestKioskAssistedComplaint: an admin grants the assisted-entry officer
// role on the users page; a citizen cannot open kiosk mode. The officer
// starts it (their session ends, the kiosk cookie takes over), and the
// kiosk's pages are no-store, large-text and without autocomplete. A
// complaint without the citizen's consent gets the consent message and
// writes nothing; with it, the receipt shows once, and the complaint shows
// as assisted on the staff page, in the JSON API and in the statistics.
func TestKioskAssistedComplaint(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	officer := fpSignIn(t, f, "pendamping", forum.RoleParticipant)
	citizen := fpSignIn(t, f, "warga", forum.RoleParticipant)

	if code, _ := get(t, officer.c, f.url+"/kiosk"); code != http.StatusForbidden {
		t.Fatalf("kiosk for a citizen before the role: %d, want 403", code)
	}
	if code, _, body := fpPost(t, admin.c, f, "/admin/pengguna/"+itoa(officer.user.ID)+"/peran",
		url.Values{"csrf": {admin.csrf}, "role": {forum.RoleAssistant}}); code != http.StatusSeeOther {
		t.Fatalf("grant the officer role: %d\n%s", code, body)
	}
	if code, home := get(t, officer.c, f.url+"/admin"); code != http.StatusOK || !strings.Contains(home, `href="/kiosk"`) {
		t.Fatalf("the officer's admin home does not link kiosk mode: %d\n%s", code, home)
	}
	if code, _ := get(t, citizen.c, f.url+"/kiosk"); code != http.StatusForbidden {
		t.Fatalf("kiosk for a citizen: %d, want 403", code)
	}
	code, body := get(t, officer.c, f.url+"/kiosk")
	if code != http.StatusOK || !strings.Contains(body, `action="/kiosk/mulai"`) {
		t.Fatalf("kiosk start page: %d\n%s", code, body)
	}
	tok := sessionCookie(officer.c, f.url)
	csrf := csrfRE.FindStringSubmatch(body)[1]
	if code, loc, body := fpPost(t, officer.c, f, "/kiosk/mulai", url.Values{"csrf": {csrf}, "consultation": {f.c.Slug}}); code != http.StatusSeeOther || loc != "/kiosk" {
		t.Fatalf("start kiosk: %d %q\n%s", code, loc, body)
	}
	if _, err := forum.SessionUser(ctx, f.db, tok, now); err == nil {
		t.Fatal("the officer's session still works in kiosk mode")
	}
	if code, _ := get(t, officer.c, f.url+"/admin/pengguna"); code == http.StatusOK {
		t.Fatal("the kiosk device still reaches the admin pages")
	}

	res, err := officer.c.Get(f.url + "/kiosk/pengaduan")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	form := string(raw)
	if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("kiosk form: %d, Cache-Control %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	for _, want := range []string{`class="chromeless kiosk"`, `<form method="post" autocomplete="off"`,
		`<noscript><meta http-equiv="refresh" content="180; url=/kiosk"></noscript>`, `name="consent" value="1" required`} {
		if !strings.Contains(form, want) {
			t.Errorf("kiosk form lacks %s", want)
		}
	}
	csrf = csrfRE.FindStringSubmatch(form)[1]
	entry := url.Values{"csrf": {csrf}, "body": {"Jalan berlubang di depan SD Negeri 3, sudah dua minggu."}, "name": {"Bu Siti"}}
	code, _, page := fpPost(t, officer.c, f, "/kiosk/pengaduan", entry)
	if code != http.StatusBadRequest || !strings.Contains(page, "Centang persetujuan warga") || !strings.Contains(page, "Bu Siti") {
		t.Fatalf("without consent: %d\n%s", code, page)
	}
	var n int
	if err := f.db.NewRaw(`SELECT COUNT(*) FROM complaints`).Scan(ctx, &n); err != nil || n != 0 {
		t.Fatalf("a refused entry wrote %d complaints (%v)", n, err)
	}
	entry.Set("consent", "1")
	if code, loc, page := fpPost(t, officer.c, f, "/kiosk/pengaduan", entry); code != http.StatusSeeOther || loc != "/kiosk/selesai" {
		t.Fatalf("with consent: %d %q\n%s", code, loc, page)
	}
	_, done := get(t, officer.c, f.url+"/kiosk/selesai")
	m := regexp.MustCompile(`id="number">(ADU-[0-9-]+)<`).FindStringSubmatch(done)
	if m == nil || !strings.Contains(done, `id="secret"`) {
		t.Fatalf("receipt page:\n%s", done)
	}
	if _, again := get(t, officer.c, f.url+"/kiosk/selesai"); strings.Contains(again, m[1]) {
		t.Fatal("the receipt shows a second time")
	}

	_, staff := get(t, admin.c, f.url+"/pengaduan/"+m[1])
	if !strings.Contains(staff, `class="badge assisted"`) {
		t.Errorf("the staff page does not mark the complaint assisted:\n%s", staff)
	}
	code, api := get(t, admin.c, f.url+"/api/v1/complaints/"+m[1])
	var got struct {
		Assisted bool `json:"assisted"`
	}
	if err := json.Unmarshal([]byte(api), &got); code != http.StatusOK || err != nil || !got.Assisted {
		t.Errorf("API: %d %v %s", code, err, api)
	}
	code, stats := get(t, admin.c, f.url+"/api/v1/complaints/stats?by=topic")
	if code != http.StatusOK || !strings.Contains(stats, `"assisted":1`) {
		t.Errorf("API statistics: %d %s", code, stats)
	}

	// A proposal to the desk's consultation, likewise.
	_, form = get(t, officer.c, f.url+"/kiosk/usulan")
	csrf = csrfRE.FindStringSubmatch(form)[1]
	prop := url.Values{"csrf": {csrf}, "title": {"Posyandu buka hari Sabtu"}, "body": {"Banyak ibu bekerja pada hari biasa."}}
	if code, _, page := fpPost(t, officer.c, f, "/kiosk/usulan", prop); code != http.StatusBadRequest || !strings.Contains(page, "Posyandu buka hari Sabtu") {
		t.Fatalf("proposal without consent: %d\n%s", code, page)
	}
	prop.Set("consent", "1")
	// With a photo of the citizen's sketch: the desk's form is multipart
	// and stores it as the proposal form does; a wrong type is refused
	// with the citizen's text kept in the form.
	multi := func(p url.Values) []string {
		out := []string{"csrf", p.Get("csrf")} // the first part, as the form has it (csrf.go)
		for _, k := range []string{"title", "body", "consent"} {
			out = append(out, k, p.Get(k))
		}
		return append(out, "image_alt", "Sketsa jadwal posyandu")
	}
	// A phone photo over the 5 MB limit: refused by its size, the text kept.
	big := append(testPNG(t, 10, 10), make([]byte, forum.MaxProposalImageBytes+2<<20)...)
	if code, _, page := uploadAs(t, officer.c, f, "/kiosk/usulan", multi(prop), "image", "foto.png", big); code != http.StatusRequestEntityTooLarge ||
		!strings.Contains(page, "Posyandu buka hari Sabtu") || !strings.Contains(page, "5 MB") {
		t.Fatalf("proposal with a 7 MB photo: %d, want 413 with the size message and the text kept\n%s", code, page)
	}
	if code, _, page := uploadAs(t, officer.c, f, "/kiosk/usulan", multi(prop), "image", "sketsa.png", []byte("<svg></svg>")); code != http.StatusBadRequest ||
		!strings.Contains(page, "Posyandu buka hari Sabtu") || !strings.Contains(page, "harus berupa PNG atau JPEG") {
		t.Fatalf("proposal with an SVG: %d, want 400 with the type message and the text kept\n%s", code, page)
	}
	if code, loc, page := uploadAs(t, officer.c, f, "/kiosk/usulan", multi(prop), "image", "sketsa.png", testPNG(t, 640, 480)); code != http.StatusSeeOther || loc != "/kiosk/selesai" {
		t.Fatalf("proposal with consent: %d %q\n%s", code, loc, page)
	}
	code, api = get(t, citizen.c, f.url+"/api/v1/consultations/"+f.c.Slug+"/proposals")
	if code != http.StatusOK || !strings.Contains(api, `"title":"Posyandu buka hari Sabtu"`) || !strings.Contains(api, `"assisted":true`) {
		t.Errorf("proposals API: %d %s", code, api)
	}
	_, list := get(t, citizen.c, f.url+"/k/"+f.c.Slug+"/proposals")
	if !strings.Contains(list, `class="badge assisted"`) {
		t.Errorf("the proposal list does not mark the proposal assisted:\n%s", list)
	}
	if !strings.Contains(list, `alt="Sketsa jadwal posyandu"`) {
		t.Errorf("the proposal list does not show the desk's image:\n%s", list)
	}
}
