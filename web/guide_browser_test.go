package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/rembug/rembug/forum"
)

// pdfPage matches a page object of a PDF (not the /Pages tree).
var pdfPage = regexp.MustCompile(`/Type\s*/Page\b`)

// TestBrowserGuidesPrintOnePage: each guide, in both languages, prints
// on one A4 page for a sosialisasi at the kelurahan, and so does an
// admin's text of the longest length allowed; the site's header and
// footer are left out of the print.
func TestBrowserGuidesPrintOnePage(t *testing.T) {
	f := newFixture(t)
	admin := fpSignIn(t, f, "Admin Cetak", forum.RoleAdmin)
	// The longest text an admin may save: paragraphs of plain words.
	var long strings.Builder
	long.WriteString("# Panduan terpanjang\n\n")
	for long.Len() < forum.MaxGuideBody-60 {
		long.WriteString("Warga dapat menyampaikan usulan, komentar dan pengaduan kapan saja. ")
		if long.Len()%600 < 70 {
			long.WriteString("\n\n")
		}
	}
	edit := "/admin/panduan/masukan/en"
	if res, body := post(t, admin.c, f.url, edit, edit, url.Values{"body": {long.String()}}, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save the longest guide: %d\n%s", res.StatusCode, body)
	}
	ctx := newBrowser(t)
	for _, slug := range forum.GuideSlugs {
		for _, lang := range []string{"id", "en"} {
			yes := true
			printA4 := func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
				res, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes, PaperWidth: 8.27, PaperHeight: 11.69})
				return res.Data, err
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(f.url+"/panduan/"+slug+"?lang="+lang)); err != nil {
				t.Fatal(err)
			}
			header, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('header.site') !== null`))
			if err != nil {
				t.Fatal(err)
			}
			pdf, err := chromedp.Run(ctx, printA4)
			if err != nil {
				t.Fatal(err)
			}
			if !header {
				t.Fatal("no site header on screen: the print check below would prove nothing")
			}
			if n := len(pdfPage.FindAll(pdf, -1)); n != 1 {
				t.Errorf("/panduan/%s?lang=%s prints on %d pages, want 1", slug, lang, n)
			}
		}
	}
}
