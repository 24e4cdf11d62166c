package forum_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// pngOf encodes a w×h PNG.
func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// zipOf builds a zip archive of name, content pairs, stored in order.
func zipOf(t *testing.T, entries ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i := 0; i+1 < len(entries); i += 2 {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: entries[i], Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(entries[i+1])) //nolint:errcheck // in memory
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const pdfDoc = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

func TestCheckFile(t *testing.T) {
	docx := zipOf(t, "[Content_Types].xml", "<Types/>", "word/document.xml", "<w:document/>")
	xlsx := zipOf(t, "[Content_Types].xml", "<Types/>", "xl/workbook.xml", "<workbook/>")
	odt := zipOf(t, "mimetype", "application/vnd.oasis.opendocument.text", "content.xml", "<office:document-content/>")
	ods := zipOf(t, "mimetype", "application/vnd.oasis.opendocument.spreadsheet", "content.xml", "<x/>")
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>`)
	html := []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")
	cases := []struct {
		name, file string
		data       []byte
		label      string // "" when refused
		key        string
		w, h       int
	}{
		{"raperda pdf", "Raperda Sampah 2027.pdf", []byte(pdfDoc), "PDF", "", 0, 0},
		{"upper-case extension", "RAPERDA.PDF", []byte(pdfDoc), "PDF", "", 0, 0},
		{"docx", "naskah.docx", docx, "DOCX", "", 0, 0},
		{"xlsx", "anggaran.xlsx", xlsx, "XLSX", "", 0, 0},
		{"odt", "naskah.odt", odt, "ODT", "", 0, 0},
		{"ods", "anggaran.ods", ods, "ODS", "", 0, 0},
		{"png with size", "peta.png", pngOf(t, 40, 30), "PNG", "", 40, 30},
		{"jpeg with size", "foto.jpeg", jpegOf(t, 16, 8), "JPEG", "", 16, 8},
		{"jpg", "foto.jpg", jpegOf(t, 8, 8), "JPEG", "", 8, 8},
		{"html posing as pdf", "raperda.pdf", html, "", "error.file_type", 0, 0},
		{"svg refused", "logo.svg", svg, "", "error.file_type", 0, 0},
		{"svg posing as png", "logo.png", svg, "", "error.file_type", 0, 0},
		{"html refused", "halaman.html", html, "", "error.file_type", 0, 0},
		{"png posing as jpeg", "foto.jpg", pngOf(t, 4, 4), "", "error.file_type", 0, 0},
		{"plain zip posing as docx", "naskah.docx", zipOf(t, "a.txt", "a"), "", "error.file_type", 0, 0},
		{"ods posing as odt", "naskah.odt", ods, "", "error.file_type", 0, 0},
		{"docx posing as xlsx", "anggaran.xlsx", docx, "", "error.file_type", 0, 0},
		{"pdf posing as docx", "naskah.docx", []byte(pdfDoc), "", "error.file_type", 0, 0},
		{"no extension", "raperda", []byte(pdfDoc), "", "error.file_type", 0, 0},
		{"executable", "setup.exe", []byte("MZ\x90\x00"), "", "error.file_type", 0, 0},
		{"truncated png", "peta.png", pngOf(t, 4, 4)[:20], "", "error.file_type", 0, 0},
		{"gigantic image", "panorama.png", pngOf(t, forum.MaxImagePixels+1, 1), "", "error.file_image_size", 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ft, w, h, err := forum.CheckFile(c.file, c.data)
			if c.label == "" {
				var fe *errs.Error
				if !errors.As(err, &fe) || fe.Key != c.key || fe.Kind != errs.Invalid {
					t.Fatalf("CheckFile(%q) = %v, %v; want %s", c.file, ft, err, c.key)
				}
				return
			}
			if err != nil || ft.Label != c.label || w != c.w || h != c.h {
				t.Fatalf("CheckFile(%q) = %+v %d×%d %v; want %s %d×%d", c.file, ft, w, h, err, c.label, c.w, c.h)
			}
		})
	}
}

func TestCleanFileName(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "Raperda Sampah 2027.pdf", "Raperda Sampah 2027.pdf"},
		{"parent path", "../../etc/passwd.pdf", "passwd.pdf"},
		{"windows path", `..\..\Windows\win.PDF`, "win.pdf"},
		{"only dots", "...pdf", "berkas.pdf"},
		{"hidden name", ".pdf", "berkas.pdf"},
		{"empty", "", "berkas"},
		{"arabic kept", "مسودة اللائحة.pdf", "مسودة اللائحة.pdf"},
		{"emoji kept", "📄 Raperda 🎉.pdf", "📄 Raperda 🎉.pdf"},
		{"chinese kept", "公园规划.docx", "公园规划.docx"},
		{"bidi override dropped", "raperda\u202Efdp.exe.pdf", "raperdafdp.exe.pdf"},
		{"controls and newlines", "a\x00b\r\nc\td.pdf", "ab c d.pdf"},
		{"spaces collapsed and trimmed", "  rapat   akhir  .pdf", "rapat akhir.pdf"},
		{"markup", `<img src=x onerror=alert(1)>.pdf`, "_img src=x onerror=alert(1)_.pdf"},
		{"reserved characters", `a:b*c?"d|e.pdf`, "a_b_c__d_e.pdf"},
		{"invalid utf-8", "\xff\xfe.pdf", "berkas.pdf"},
		{"decomposed to composed", "Cafe\u0301.pdf", "Caf\u00e9.pdf"},
		{"long name cut", strings.Repeat("a", 300) + ".pdf", strings.Repeat("a", forum.MaxFileNameRunes) + ".pdf"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := forum.CleanFileName(c.in); got != c.want {
				t.Fatalf("CleanFileName(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}
