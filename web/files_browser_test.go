package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/rembug/rembug/forum"
)

// TestBrowserConsultationFiles uploads a cover and a draft regulation PDF
// through the admin page's plain multipart forms, sees on a 360 px phone
// the cover load within the screen and the document listed on the public
// page, and deletes the document.
func TestBrowserConsultationFiles(t *testing.T) {
	f := newFixture(t)
	ctx := newBrowser(t)
	admin := fpSignIn(t, f, "admin", forum.RoleAdmin)
	dir := t.TempDir()
	coverPath, docPath := filepath.Join(dir, "sampul taman.png"), filepath.Join(dir, "raperda 📄.pdf")
	if err := os.WriteFile(coverPath, testPNG(t, 800, 450), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(docPath, []byte(testPDF), 0o600); err != nil {
		t.Fatal(err)
	}
	b := tab{t: t, ctx: ctx}
	b.do(chromedp.Navigate(f.url + "/k/" + f.c.Slug))
	eval[string](b, `document.cookie = "rembug_s=`+sessionCookie(admin.c, f.url)+`; path=/"`)
	adminPage := f.url + "/admin/konsultasi/" + f.c.Slug
	b.do(chromedp.Navigate(adminPage),
		chromedp.SendKeys(chromedp.CSS(`input[name="alt"]`), "Peta taman kota"),
		chromedp.SetUploadFiles(chromedp.CSS(`form.upload:has(input[value="cover"]) input[type="file"]`), []string{coverPath}))
	b.submit(`form.upload:has(input[value="cover"]) button`)
	b.do(chromedp.SetUploadFiles(chromedp.CSS(`form.upload:has(input[value="document"]) input[type="file"]`), []string{docPath}))
	b.submit(`form.upload:has(input[value="document"]) button`)
	if got := b.text("ul.files li"); !strings.Contains(got, "raperda 📄.pdf") || !strings.Contains(got, "PDF") {
		t.Fatalf("admin list: %q", got)
	}

	// Headless windows may not go below 500 px: emulate the phone's viewport.
	b.do(chromedp.EmulateViewport(360, 740), chromedp.Navigate(f.url+"/k/"+f.c.Slug))
	b.await("the cover to load", `(function(i){return !!i && i.complete && i.naturalWidth === 800;})(document.querySelector("img.cover"))`)
	// The cover fits the phone's width without widening the page, and stays short.
	box := eval[[]float64](b, `(function(r,a){return [r.width, r.height, a.width, document.documentElement.scrollWidth, window.innerWidth];})(document.querySelector("img.cover").getBoundingClientRect(), document.querySelector("article").getBoundingClientRect())`)
	if box[4] != 360 || box[0] <= 0 || box[0] > box[2] || box[1] > 256 || box[3] > box[4] {
		t.Fatalf("cover box %.0f×%.0f in a %.0f px column, page %.0f px in a %.0f px window", box[0], box[1], box[2], box[3], box[4])
	}
	if alt := eval[string](b, `document.querySelector("img.cover").alt`); alt != "Peta taman kota" {
		t.Fatalf("cover alt %q", alt)
	}
	if got := b.text("section.docs"); !strings.Contains(got, "Dokumen") || !strings.Contains(got, "raperda 📄.pdf") || !strings.Contains(got, "PDF · 1 KB") {
		t.Fatalf("documents: %q", got)
	}

	b.do(chromedp.Navigate(adminPage))
	b.submit(`ul.files form button`)
	if got := b.text("ul.files li"); !strings.Contains(got, "Belum ada dokumen") {
		t.Fatalf("after deleting: %q", got)
	}
}
