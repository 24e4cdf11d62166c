package markup_test

import (
	"strings"
	"testing"

	"github.com/rembug/rembug/forum/markup"
)

// TestDangerousMarkdown is CASES C05: raw HTML and dangerous links never
// survive, and links are marked as user-generated.
func TestDangerousMarkdown(t *testing.T) {
	r := markup.New()
	cases := []struct {
		name, src string
		absent    []string
		present   []string
	}{
		{"javascript link", "[klik di sini](javascript:alert(1))", []string{"javascript:", "href"}, []string{"klik di sini"}},
		{"mixed case javascript", "[x](JaVaScRiPt:alert(1))", []string{"avascript", "href"}, nil},
		{"vbscript link", "[x](vbscript:msgbox(1))", []string{"vbscript"}, nil},
		{"img onerror upper case", `<IMG SRC=/ onerror="alert(1)">`, []string{"onerror", "<img", "<IMG"}, nil},
		{"image with broken url", `![x]( onerror="alert(1))`, []string{" onerror="}, nil},
		{"data url anchor", `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">lihat</a>`, []string{"data:", "<a"}, nil},
		{"data url markdown", `[lihat](data:text/html;base64,PHNjcmlwdD4=)`, []string{"data:"}, nil},
		{"iframe", `<iframe src=//contoh.test>`, []string{"<iframe", "contoh.test"}, nil},
		{"script", "<script>alert(1)</script>", []string{"<script"}, nil},
		{"safe link", "[peta](https://contoh.test/peta)", nil, []string{`href="https://contoh.test/peta"`, `rel="nofollow ugc noopener"`}},
		{"autolink", "lihat https://contoh.test/a", nil, []string{`<a href="https://contoh.test/a" rel="nofollow ugc noopener">`}},
		{"emphasis", "**penting**", nil, []string{"<strong>penting</strong>"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := r.HTML(c.src)
			for _, a := range c.absent {
				if strings.Contains(out, a) {
					t.Errorf("output contains %q:\n%s", a, out)
				}
			}
			for _, p := range c.present {
				if !strings.Contains(out, p) {
					t.Errorf("output lacks %q:\n%s", p, out)
				}
			}
		})
	}
}

// TestText checks the plain text that search indexes and snippets use:
// no markup, no URLs of links, no raw HTML, words of separate blocks kept
// apart.
func TestText(t *testing.T) {
	r := markup.New()
	cases := []struct{ name, src, want string }{
		{"hostile link and raw image", "[x](javascript:alert(1)) <IMG SRC=x onerror=alert(1)>", "x"},
		{"emphasis and code", "**penting** dan `kode` _miring_", "penting dan kode miring"},
		{"paragraphs and list", "Satu\n\nDua\n\n- tiga\n- empat", "Satu Dua tiga empat"},
		{"safe link keeps text only", "lihat [peta](https://peta.test/a) ini", "lihat peta ini"},
		{"entities decoded once", "a &lt; b & c", "a < b & c"},
		{"heading", "# Judul\nIsi", "Judul Isi"},
		{"script dropped", "<script>alert(1)</script>\n\naman", "aman"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := r.Text(c.src); got != c.want {
				t.Errorf("Text(%q) = %q, want %q", c.src, got, c.want)
			}
		})
	}
}
