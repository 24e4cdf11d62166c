package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/rancangan"
	"github.com/rembug/rembug/web"
	"github.com/xuri/excelize/v2"
)

// draftFixtureText reads a draft of the rancangan package's test data.
func draftFixtureText(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../forum/rancangan/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var draftLocation = regexp.MustCompile(`/rancangan/(\d+)$`)

// uploadDraft posts text as a new draft of f's consultation as admin (a
// drafter) and returns the draft's page URL.
func uploadDraft(t *testing.T, f *fixture, admin *fpMember, text string) string {
	t.Helper()
	k := f.url + "/k/" + f.c.Slug + "/rancangan"
	res, _ := do(t, admin.c, "POST", k, url.Values{"csrf": {admin.csrf}, "text": {text}})
	m := draftLocation.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	return k + "/" + m[1]
}

// TestDraftRegulationFlow walks the draft pages end to end over HTTP: a
// drafter uploads the Perda draft, citizens give input on Pasal 3 ayat (2)
// (one disagrees, one proposes wording another supports, twice), bad input
// gets a 4xx in Bahasa Indonesia, the drafter answers both at once, the
// citizen is notified and sees the answer, and the matrix, its XLSX, the
// report and the version diff show it all; guests read everything but
// write nothing.
func TestDraftRegulationFlow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := fpSignIn(t, f, "Penyusun", forum.RoleAdmin)
	a := fpSignIn(t, f, "Warga Satu", forum.RoleParticipant)
	b := fpSignIn(t, f, "Warga Dua", forum.RoleParticipant)
	guest := browser(t)
	k := f.url + "/k/" + f.c.Slug + "/rancangan"

	if _, page := get(t, a.c, k); strings.Contains(page, `enctype="multipart/form-data"`) {
		t.Error("a citizen sees the upload form")
	}
	if res, _ := do(t, a.c, "POST", k, url.Values{"csrf": {a.csrf}, "text": {draftFixtureText(t, "raperda_sampah_v1.md")}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("citizen uploads: %d, want 403", res.StatusCode)
	}
	if res, body := do(t, admin.c, "POST", k, url.Values{"csrf": {admin.csrf}, "text": {"BAB I\nteks tanpa pasal"}}); res.StatusCode != http.StatusBadRequest ||
		!strings.Contains(body, "Naskah tidak memuat satu Pasal pun.") {
		t.Fatalf("text without Pasal: %d", res.StatusCode)
	}
	res, _ := do(t, admin.c, "POST", k, url.Values{"csrf": {admin.csrf}, "text": {draftFixtureText(t, "raperda_sampah_v1.md")}})
	m := draftLocation.FindStringSubmatch(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || m == nil {
		t.Fatalf("upload: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	d := k + "/" + m[1]
	if code, page := get(t, guest, d); code != 200 || !strings.Contains(page, `id="pasal-3-ayat-2"`) ||
		!strings.Contains(page, "(2) Setiap rumah tangga wajib memilah sampah") || !strings.Contains(page, "Raperda tentang Pengelolaan Sampah") {
		t.Fatalf("draft page: %d", code)
	}
	if _, page := get(t, browser(t), f.url+"/k/"+f.c.Slug); !strings.Contains(page, "/rancangan/"+m[1]) {
		t.Error("the consultation page does not link the draft")
	}

	unit := d + "/u/pasal-3-ayat-2"
	if _, page := get(t, guest, unit); strings.Contains(page, `name="stance"`) || !strings.Contains(page, "Masuk untuk memberi masukan") {
		t.Error("a guest is offered the input form instead of sign-in")
	}
	if _, page := get(t, a.c, unit); !strings.Contains(page, `name="stance"`) {
		t.Fatal("a citizen has no input form")
	}
	post := func(m *fpMember, path string, v url.Values) (*http.Response, string) {
		v.Set("csrf", m.csrf)
		return do(t, m.c, "POST", path, v)
	}
	if res, body := post(a, d+"/masukan", url.Values{"anchor": {"pasal-3-ayat-2"}, "stance": {"tidak_setuju"}}); res.StatusCode != http.StatusBadRequest ||
		!strings.Contains(body, "tulis alasan jika tidak setuju") {
		t.Fatalf("disagree without reason: %d", res.StatusCode)
	}
	if res, _ := post(a, d+"/masukan", url.Values{"anchor": {"pasal-99"}, "stance": {"setuju"}}); res.StatusCode != http.StatusBadRequest {
		t.Fatalf("unknown unit: %d", res.StatusCode)
	}
	res, _ = post(a, d+"/masukan", url.Values{"anchor": {"pasal-3-ayat-2"}, "stance": {"tidak_setuju"}, "body": {"Dua jenis belum cukup, perlu residu."}})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "/u/pasal-3-ayat-2#m") {
		t.Fatalf("input: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	wording := "Setiap rumah tangga wajib memilah sampah menjadi sampah organik, anorganik, dan residu."
	if res, _ := post(b, d+"/masukan", url.Values{"anchor": {"pasal-3-ayat-2"}, "stance": {"usul_ubah"}, "amendment": {wording}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("amendment: %d", res.StatusCode)
	}
	var ins []rancangan.Input
	if err := f.db.NewSelect().Model(&ins).Order("id").Scan(ctx); err != nil || len(ins) != 2 {
		t.Fatalf("inputs %d %v", len(ins), err)
	}
	for range 2 {
		if res, _ := post(a, d+"/masukan/"+itoa(ins[1].ID)+"/dukung", url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("support: %d", res.StatusCode)
		}
	}
	if res, _ := do(t, guest, "POST", d+"/masukan/"+itoa(ins[1].ID)+"/dukung", url.Values{"csrf": {fpGuestCSRF(t, f, guest)}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("guest support: %d, want 403", res.StatusCode)
	}
	if _, page := get(t, a.c, unit); !strings.Contains(page, "1 dukungan") || !strings.Contains(page, "Anda mendukung usulan ini.") {
		t.Error("support not shown once")
	}

	// The drafter answers both at once; citizens may not.
	answer := url.Values{"id": {itoa(ins[0].ID), itoa(ins[1].ID)}, "decision": {"diterima_sebagian"},
		"reason": {"Sampah residu ditambahkan sebagai jenis ketiga."}, "version": {"1"}}
	if res, _ := post(a, d+"/tanggapi", answer); res.StatusCode != http.StatusForbidden {
		t.Fatalf("citizen answers: %d", res.StatusCode)
	}
	if code, _ := get(t, a.c, d+"/tanggapi"); code != http.StatusForbidden {
		t.Errorf("citizen opens triage: %d", code)
	}
	if _, page := get(t, admin.c, d+"/tanggapi"); !strings.Contains(page, `name="id" value="`+itoa(ins[0].ID)+`"`) {
		t.Fatal("triage does not list the input")
	}
	if res, _ := post(admin, d+"/tanggapi", answer); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer: %d", res.StatusCode)
	}
	if _, page := get(t, a.c, f.url+"/notifikasi"); !strings.Contains(page, "Tanggapan atas masukan Anda pada Pasal 3 ayat (2)") {
		t.Error("the citizen is not notified")
	}
	if _, page := get(t, a.c, unit); !strings.Contains(page, "Diterima sebagian") || !strings.Contains(page, "Sampah residu ditambahkan") {
		t.Error("the citizen does not see the answer")
	}

	// The matrix, its XLSX, the report.
	if code, page := get(t, guest, d+"/matriks"); code != 200 || !strings.Contains(page, "Pasal 3 ayat (2)") || !strings.Contains(page, "Sampah residu ditambahkan") ||
		!strings.Contains(page, "Warga Satu") || !strings.Contains(page, wording) {
		t.Error("matrix page lacks the inputs")
	}
	req, _ := http.NewRequest("GET", d+"/matriks.xlsx", nil)
	xres, err := guest.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer xres.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(xres.Body) //nolint:errcheck
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("xlsx: %v (%d %s)", err, xres.StatusCode, xres.Header.Get("Content-Type"))
	}
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil || len(rows) != 3 || rows[0][1] != "Pasal/ayat" || rows[1][1] != "Pasal 3 ayat (2)" || rows[1][8] != "Diterima sebagian" || rows[2][4] != wording {
		t.Fatalf("xlsx rows %q %v", rows, err)
	}
	checkDraftDocx(t, guest, d+"/naskah.docx", "Sampah residu ditambahkan sebagai jenis ketiga.")
	if _, page := get(t, guest, d+"/laporan"); !strings.Contains(page, "Usulan rumusan paling didukung") || !strings.Contains(page, wording) {
		t.Error("report lacks the top amendment")
	}

	// A second version, and its diff.
	if res, _ := post(admin, d+"/versi", url.Values{"text": {draftFixtureText(t, "raperda_sampah_v2.md")}, "note": {"Residu"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new version: %d", res.StatusCode)
	}
	if _, page := get(t, guest, d+"/versi"); !strings.Contains(page, "<ins>organik, sampah anorganik,</ins>") || !strings.Contains(page, "<del>2 (dua)</del>") {
		t.Error("version diff not shown")
	}
	if _, page := get(t, guest, d); !strings.Contains(page, `id="pasal-10-ayat-3"`) {
		t.Error("the draft page does not show v2")
	}

	// A moderator hides an input: its author reads the one state label
	// (hidden by moderation, not "pending review": no reports hid it), in
	// id and en, never "deleted".
	if res, _ := post(admin, d+"/masukan/"+itoa(ins[0].ID)+"/sembunyikan", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("hide: %d", res.StatusCode)
	}
	for lang, want := range map[string]string{"id": "<em>Disembunyikan oleh moderasi</em>", "en": "<em>Hidden by moderation</em>"} {
		if _, page := get(t, a.c, unit+"?lang="+lang); !strings.Contains(page, want) || strings.Contains(page, "dihapus") || strings.Contains(page, "deleted") {
			t.Errorf("%s: the author's hidden input does not read %q", lang, want)
		}
	}
}

// TestDraftInputOwnAndReports: over HTTP a citizen edits and deletes
// their own input and nobody else's; others report an input through the
// one report form, and at the threshold its author reads "hidden pending
// review" (the shared state label) while the public no longer sees it.
func TestDraftInputOwnAndReports(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := fpSignIn(t, f, "Penyusun", forum.RoleAdmin)
	a := fpSignIn(t, f, "Warga Satu", forum.RoleParticipant)
	var others []*fpMember
	for i := range forum.DefaultFlagThreshold {
		others = append(others, fpSignIn(t, f, "Pelapor "+itoa(int64(i)), forum.RoleParticipant))
	}
	d := uploadDraft(t, f, admin, draftFixtureText(t, "raperda_sampah_v1.md"))
	unit := d + "/u/pasal-3-ayat-2"
	post := func(m *fpMember, path string, v url.Values) (*http.Response, string) {
		v.Set("csrf", m.csrf)
		return do(t, m.c, "POST", path, v)
	}
	if res, _ := post(a, d+"/masukan", url.Values{"anchor": {"pasal-3-ayat-2"}, "stance": {"setuju"}, "body": {"Setuju."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("input: %d", res.StatusCode)
	}
	var in rancangan.Input
	if err := f.db.NewSelect().Model(&in).Order("id").Limit(1).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	mine := d + "/masukan/" + itoa(in.ID)
	if _, page := get(t, a.c, unit); !strings.Contains(page, `action="/k/`+f.c.Slug+`/rancangan/`+path.Base(d)+`/masukan/`+itoa(in.ID)+`/ubah"`) {
		t.Fatal("the author has no edit form")
	}
	if _, page := get(t, others[0].c, unit); strings.Contains(page, "/ubah\"") || !strings.Contains(page, `name="kind" value="draft_input"`) {
		t.Fatal("another citizen gets an edit form or no report form")
	}
	edited := "Setelah dibaca lagi: perlu residu."
	if res, body := post(others[0], mine+"/ubah", url.Values{"stance": {"tidak_setuju"}, "body": {"bukan milik saya"}}); res.StatusCode != http.StatusForbidden ||
		!strings.Contains(body, "masukan Anda sendiri") {
		t.Fatalf("editing another's input: %d", res.StatusCode)
	}
	if res, _ := post(a, mine+"/ubah", url.Values{"stance": {"tidak_setuju"}, "body": {edited}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", res.StatusCode)
	}
	if _, page := get(t, browser(t), unit); !strings.Contains(page, edited) {
		t.Fatal("the edit is not shown")
	}
	if res, _ := post(others[0], mine+"/hapus", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("deleting another's input: %d", res.StatusCode)
	}

	for _, o := range others {
		if res, _ := post(o, f.url+"/flag", url.Values{"kind": {"draft_input"}, "id": {itoa(in.ID)}, "reason": {"spam"}, "back": {"/"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("report: %d", res.StatusCode)
		}
	}
	if _, page := get(t, browser(t), unit); strings.Contains(page, edited) {
		t.Error("an input hidden after reports is public")
	}
	for lang, want := range map[string]string{"id": "Disembunyikan menunggu peninjauan moderator", "en": "Hidden pending a moderator"} {
		if _, page := get(t, a.c, unit+"?lang="+lang); !strings.Contains(page, "<em>"+want) {
			t.Errorf("%s: the author's reported input does not read %q", lang, want)
		}
	}
	if _, page := get(t, admin.c, f.url+"/k/"+f.c.Slug+"/moderation"); !strings.Contains(page, "/u/pasal-3-ayat-2#m"+itoa(in.ID)) {
		t.Error("the moderation queue does not link the reported input")
	}

	if res, _ := post(a, mine+"/hapus", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if n, _ := f.db.NewSelect().Model((*rancangan.Input)(nil)).Count(ctx); n != 0 {
		t.Errorf("%d inputs after delete", n)
	}
}

// TestDraftAnswerMail: the drafters' answer reaches the input's author by
// email (the notification mail path, fake SMTP server) with the unit, the
// decision and the link to the input; nobody else is mailed.
func TestDraftAnswerMail(t *testing.T) {
	base := newFixture(t).withoutServer() // its outbox would take the mails
	smtp := startFakeSMTP(t)
	srv, err := web.New(context.Background(), web.Config{DB: base.db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test",
		Now: func() time.Time { return now }, Mail: web.MailConfig{URL: "smtp://rembug:rahasia@" + smtp.addr, From: "rembug@contoh.test", BaseURL: "https://rembug.contoh.test"}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	f := &fixture{db: base.db, c: base.c, url: ts.URL}
	admin := fpSignIn(t, f, "penyusun", forum.RoleAdmin)
	a := fpSignIn(t, f, "ani", forum.RoleParticipant)
	d := uploadDraft(t, f, admin, draftFixtureText(t, "raperda_sampah_v1.md"))
	if res, _ := do(t, a.c, "POST", d+"/masukan", url.Values{"csrf": {a.csrf}, "anchor": {"pasal-3-ayat-2"}, "stance": {"tidak_setuju"}, "body": {"Perlu residu."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("input: %d", res.StatusCode)
	}
	var in rancangan.Input
	if err := f.db.NewSelect().Model(&in).Limit(1).Scan(t.Context()); err != nil {
		t.Fatal(err)
	}
	if res, _ := do(t, admin.c, "POST", d+"/tanggapi", url.Values{"csrf": {admin.csrf}, "id": {itoa(in.ID)}, "decision": {"diterima"}, "reason": {"Residu ditambahkan."}, "version": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer: %d", res.StatusCode)
	}
	got := <-smtpWait(t, smtp)
	if got[0] != "ani@contoh.test" || !strings.Contains(got[1], "Tanggapan atas masukan Anda pada Pasal 3 ayat (2)") ||
		!strings.Contains(got[1], "https://rembug.contoh.test/k/"+f.c.Slug+"/rancangan/"+path.Base(d)+"/u/pasal-3-ayat-2#m"+itoa(in.ID)) {
		t.Fatalf("answer mail:\n%v", got)
	}
	select {
	case extra := <-smtp.mail:
		t.Fatalf("a second mail: %v", extra)
	case <-time.After(200 * time.Millisecond):
	}
}

// TestDraftRenumberedLinks: after a version inserts a Pasal, a link to a
// unit made for v1 (?v=1) and a link to an anchor no longer current lead
// to the same article under its new number.
func TestDraftRenumberedLinks(t *testing.T) {
	f := newFixture(t)
	admin := fpSignIn(t, f, "Penyusun", forum.RoleAdmin)
	v1 := draftFixtureText(t, "raperda_sampah_v1.md")
	d := uploadDraft(t, f, admin, v1)
	v2 := strings.Replace(v1, "### Pasal 17\n", "### Pasal 18\n", 1)
	v2 = strings.Replace(v2, "### Pasal 16\n", "### Pasal 17\n", 1)
	if res, _ := do(t, admin.c, "POST", d+"/versi", url.Values{"csrf": {admin.csrf}, "text": {v2}, "note": {"nomor"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new version: %d", res.StatusCode)
	}
	noRedirect := &http.Client{Jar: admin.c.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for path, want := range map[string]string{
		"/u/pasal-17?v=1": "/u/pasal-18",
		"/u/pasal-16?v=1": "/u/pasal-17",
		"/u/pasal-16":     "/u/pasal-17",
		"/u/pasal-2?v=1":  "/u/pasal-2",
	} {
		res, err := noRedirect.Get(d + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusFound || !strings.HasSuffix(res.Header.Get("Location"), want) {
			t.Errorf("%s: %d %q, want a redirect to %s", path, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
	if code, _ := get(t, admin.c, d+"/u/pasal-18"); code != http.StatusOK {
		t.Errorf("new anchor: %d", code)
	}
}

// checkDraftDocx downloads the draft's .docx, unzips it, parses
// word/document.xml, and checks that the article headings are paragraphs
// in the heading style and that the answer's reason is there.
func checkDraftDocx(t *testing.T, c *http.Client, link, reason string) {
	t.Helper()
	res, err := c.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "wordprocessingml") {
		t.Fatalf("docx: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := z.Open("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var doc struct {
		Paras []struct {
			Style struct {
				Val string `xml:"val,attr"`
			} `xml:"pPr>pStyle"`
			Texts []string `xml:"r>t"`
		} `xml:"body>p"`
	}
	if err := xml.NewDecoder(f).Decode(&doc); err != nil {
		t.Fatalf("document.xml: %v", err)
	}
	headings, answered := map[string]bool{}, false
	for _, p := range doc.Paras {
		text := strings.Join(p.Texts, "\n")
		if p.Style.Val == "Heading2" {
			headings[text] = true
		}
		answered = answered || strings.Contains(text, reason) && strings.Contains(text, "Diterima sebagian")
	}
	for _, h := range []string{"Pasal 1", "Pasal 3 ayat (2)", "Pasal 17"} {
		if !headings[h] {
			t.Errorf("docx lacks the heading %q (%d headings)", h, len(headings))
		}
	}
	if !answered {
		t.Error("docx lacks the answer")
	}
}
