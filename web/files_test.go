package web_test

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
)

const testPDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// upload posts a multipart form to path: the fields in order (csrf first,
// as a browser sends the form), then the file part "file" named filename.
func upload(t *testing.T, c *http.Client, f *fixture, path string, fields []string, filename string, data []byte) (int, string, string) {
	t.Helper()
	return uploadAs(t, c, f, path, fields, "file", filename, data)
}

// uploadAs is upload with the file part named field.
func uploadAs(t *testing.T, c *http.Client, f *fixture, path string, fields []string, field, filename string, data []byte) (int, string, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1]) //nolint:errcheck // in memory
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", mime.FormatMediaType("form-data", map[string]string{"name": field, "filename": filename}))
	h.Set("Content-Type", "image/png") // a lying client: never trusted
	pw, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	pw.Write(data) //nolint:errcheck // in memory
	mw.Close()
	req, _ := http.NewRequest("POST", f.url+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", f.url)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

func fetch(t *testing.T, c *http.Client, u string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

var (
	coverRE   = regexp.MustCompile(`<img class="cover" src="(/k/[^"]+/berkas/\d+/[^"]+)" alt="([^"]*)" width="(\d+)" height="(\d+)" loading="lazy"`)
	docLinkRE = regexp.MustCompile(`<li><a href="(/k/[^"]+/berkas/(\d+)/[^"]+)" dir="auto">([^<]*)</a> <span class="meta">([^<]*)</span>`)
)

// TestFileUploadServeDelete uploads a cover and a document with an
// Arabic, emoji and "../" name, reads them back as a guest with their
// headers, and deletes the document.
func TestFileUploadServeDelete(t *testing.T) {
	f := newFixture(t)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	mod := fpSignIn(t, f, "mod", forum.RoleModerator)
	base := "/admin/konsultasi/" + f.c.Slug + "/berkas"
	cover := testPNG(t, 64, 36)
	if code, _, _ := upload(t, mod.c, f, base, []string{"csrf", mod.csrf, "kind", "cover"}, "a.png", cover); code != http.StatusForbidden {
		t.Fatalf("moderator uploads: %d", code)
	}
	if code, _, _ := upload(t, admin.c, f, base, []string{"kind", "cover"}, "a.png", cover); code != http.StatusForbidden {
		t.Fatalf("upload without CSRF token: %d", code)
	}
	code, loc, page := upload(t, admin.c, f, base, []string{"csrf", admin.csrf, "kind", "cover", "alt", "Peta <taman> kota"}, "sampul.png", cover)
	if code != http.StatusSeeOther || loc != "/admin/konsultasi/"+f.c.Slug+"#berkas" {
		t.Fatalf("cover upload: %d %q\n%s", code, loc, page)
	}
	name := "../../مسودة 📄 <raperda> & co.pdf"
	if code, _, page := upload(t, admin.c, f, base, []string{"csrf", admin.csrf, "kind", "document"}, name, []byte(testPDF)); code != http.StatusSeeOther {
		t.Fatalf("document upload: %d\n%s", code, page)
	}
	guest := browser(t)
	_, page = get(t, guest, f.url+"/k/"+f.c.Slug)
	cm := coverRE.FindStringSubmatch(page)
	if cm == nil || cm[2] != "Peta &lt;taman&gt; kota" || cm[3] != "64" || cm[4] != "36" {
		t.Fatalf("cover on the consultation page: %q\n%s", cm, page)
	}
	dm := docLinkRE.FindStringSubmatch(page)
	if dm == nil || dm[3] != "مسودة 📄 _raperda_ &amp; co.pdf" || dm[4] != "PDF · 1 KB" || !strings.Contains(page, ">Dokumen</h2>") {
		t.Fatalf("document list: %q\n%s", dm, page)
	}
	res, body := fetch(t, guest, f.url+dm[1])
	h := res.Header
	if res.StatusCode != 200 || string(body) != testPDF || h.Get("Content-Type") != "application/pdf" ||
		h.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(h.Get("Content-Security-Policy"), "sandbox") ||
		!strings.HasPrefix(h.Get("Cache-Control"), "public") || h.Get("ETag") == "" {
		t.Fatalf("document: %d %v", res.StatusCode, h)
	}
	disp, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
	if err != nil || disp != "attachment" || params["filename"] != "مسودة 📄 _raperda_ & co.pdf" {
		t.Fatalf("Content-Disposition %q: %s %v %v", h.Get("Content-Disposition"), disp, params, err)
	}
	if res, _ := fetch(t, guest, f.url+dm[1], "If-None-Match", h.Get("ETag")); res.StatusCode != http.StatusNotModified {
		t.Fatalf("revalidation: %d", res.StatusCode)
	}
	res, body = fetch(t, guest, f.url+strings.ReplaceAll(cm[1], "&amp;", "&"))
	if res.StatusCode != 200 || !bytes.Equal(body, cover) || res.Header.Get("Content-Type") != "image/png" ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), "inline") {
		t.Fatalf("cover: %d %v", res.StatusCode, res.Header)
	}
	if _, page := get(t, admin.c, f.url+"/admin/konsultasi/"+f.c.Slug); !strings.Contains(page, `<section id="berkas">`) || !docLinkRE.MatchString(page) || !coverRE.MatchString(page) {
		t.Fatalf("admin page lacks the files:\n%s", page)
	}
	del := "/admin/konsultasi/" + f.c.Slug + "/berkas/" + dm[2] + "/hapus"
	if code, _, _ := fpPost(t, mod.c, f, del, url.Values{"csrf": {mod.csrf}}); code != http.StatusForbidden {
		t.Fatalf("moderator deletes: %d", code)
	}
	if code, _, _ := fpPost(t, admin.c, f, del, url.Values{"csrf": {admin.csrf}}); code != http.StatusSeeOther {
		t.Fatalf("delete: %d", code)
	}
	if res, _ := fetch(t, guest, f.url+dm[1]); res.StatusCode != http.StatusNotFound {
		t.Fatalf("deleted document: %d", res.StatusCode)
	}
	if _, page := get(t, guest, f.url+"/k/"+f.c.Slug); strings.Contains(page, ">Dokumen</h2>") || !coverRE.MatchString(page) {
		t.Fatalf("page after deleting the document:\n%s", page)
	}
}

// TestFileUploadRefusals checks the status and message of each refused
// upload, in both languages, and that nothing was stored.
func TestFileUploadRefusals(t *testing.T) {
	f := newFixture(t)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	base := "/admin/konsultasi/" + f.c.Slug + "/berkas"
	html := []byte("<!DOCTYPE html><html><script>alert(document.cookie)</script></html>")
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>`)
	bigCover := append(testPNG(t, 8, 8), make([]byte, forum.MaxCoverBytes)...)
	cases := []struct {
		name, kind, file string
		data             []byte
		lang             string
		code             int
		msg              string
	}{
		{"cover over 2 MB", "cover", "besar.png", bigCover, "id", 413, "paling besar 2 MB"},
		{"cover over 2 MB in English", "cover", "big.png", bigCover, "en", 413, "at most 2 MB"},
		{"document over 10 MB", "document", "besar.pdf", append([]byte(testPDF), make([]byte, forum.MaxDocumentBytes)...), "id", 413, "paling besar 10 MB"},
		{"html posing as pdf", "document", "raperda.pdf", html, "id", 400, "isi berkas harus sesuai"},
		{"svg document", "document", "logo.svg", svg, "id", 400, "SVG dan HTML tidak diterima"},
		{"svg posing as a png cover", "cover", "logo.png", svg, "en", 400, "SVG and HTML are not accepted"},
		{"pdf cover", "cover", "raperda.pdf", []byte(testPDF), "id", 400, "harus berupa PNG atau JPEG"},
		{"no file", "document", "kosong.pdf", nil, "id", 400, "Pilih berkas"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, page := upload(t, admin.c, f, base+"?lang="+c.lang, []string{"csrf", admin.csrf, "kind", c.kind}, c.file, c.data)
			if code != c.code || !strings.Contains(page, c.msg) {
				t.Fatalf("%d, want %d with %q\n%s", code, c.code, c.msg, page)
			}
		})
	}
	if fs, err := forum.FilesOf(t.Context(), f.db, f.c.ID); err != nil || len(fs) != 0 {
		t.Fatalf("refused uploads stored: %v %v", fs, err)
	}
}

// TestBodyLimitOnlyForUploads checks that the upload route takes a 3 MB
// document while every other form keeps the 1 MB cap.
func TestBodyLimitOnlyForUploads(t *testing.T) {
	f := newFixture(t)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	doc := append([]byte(testPDF), make([]byte, 3<<20)...)
	if code, _, page := upload(t, admin.c, f, "/admin/konsultasi/"+f.c.Slug+"/berkas", []string{"csrf", admin.csrf, "kind", "document"}, "lampiran.pdf", doc); code != http.StatusSeeOther {
		t.Fatalf("3 MB document: %d\n%s", code, page)
	}
	big := url.Values{"csrf": {admin.csrf}, "support_limit": {strings.Repeat("1", 2<<20)}}
	for _, p := range []string{"/admin/konsultasi/" + f.c.Slug + "/aturan", "/admin/konsultasi/" + f.c.Slug + "/berkas/1/hapus", "/admin/konsultasi/" + f.c.Slug} {
		if code, _, _ := fpPost(t, admin.c, f, p, big); code != http.StatusRequestEntityTooLarge {
			t.Fatalf("2 MB form to %s: %d", p, code)
		}
	}
}

// TestDraftConsultationFiles checks that a draft's files are 404 for the
// public and served privately to staff, and that a file is not reachable
// through another consultation.
func TestDraftConsultationFiles(t *testing.T) {
	f := newFixture(t)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	ani := fpSignIn(t, f, "ani", forum.RoleParticipant)
	fv := mustViewer(t, f, admin.user)
	doc, err := f.store.AddFile(t.Context(), fv, f.c, forum.FileInput{Kind: forum.FileDocument, Name: "draf.pdf", Data: []byte(testPDF)})
	if err != nil {
		t.Fatal(err)
	}
	draft, err := f.store.CreateConsultation(t.Context(), fv, forum.ConsultationInput{Title: "Raperda rahasia", Status: forum.StatusDraft})
	if err != nil {
		t.Fatal(err)
	}
	secret, err := f.store.AddFile(t.Context(), fv, draft, forum.FileInput{Kind: forum.FileDocument, Name: "rahasia.pdf", Data: []byte(testPDF)})
	if err != nil {
		t.Fatal(err)
	}
	path := "/k/" + draft.Slug + "/berkas/" + itoa(secret.ID) + "/rahasia.pdf"
	for name, c := range map[string]*http.Client{"guest": browser(t), "participant": ani.c} {
		if res, body := fetch(t, c, f.url+path); res.StatusCode != http.StatusNotFound || bytes.Contains(body, []byte("%PDF")) {
			t.Fatalf("draft file for %s: %d", name, res.StatusCode)
		}
	}
	res, body := fetch(t, admin.c, f.url+path)
	if res.StatusCode != 200 || string(body) != testPDF || res.Header.Get("Cache-Control") != "private, no-cache" {
		t.Fatalf("draft file for its admin: %d %v", res.StatusCode, res.Header)
	}
	for _, p := range []string{
		"/k/" + draft.Slug + "/berkas/" + itoa(doc.ID) + "/draf.pdf",     // a public file through the draft
		"/k/" + f.c.Slug + "/berkas/" + itoa(secret.ID) + "/rahasia.pdf", // the draft's file through a public one
		"/k/" + f.c.Slug + "/berkas/x/draf.pdf",
	} {
		if res, _ := fetch(t, admin.c, f.url+p); res.StatusCode != http.StatusNotFound {
			t.Fatalf("%s: %d", p, res.StatusCode)
		}
	}
}
