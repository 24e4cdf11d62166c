package rancangan

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum/errs"
)

// MustFixture parses testdata/name or fails tb.
func MustFixture(tb testing.TB, name string) *Document {
	tb.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	d, err := Parse(string(b))
	if err != nil {
		tb.Fatalf("parse %s: %v", name, err)
	}
	return d
}

func anchors(d *Document) []string {
	var out []string
	for _, u := range d.Units {
		out = append(out, u.Anchor)
	}
	return out
}

func TestParseFixtureStructure(t *testing.T) {
	d := MustFixture(t, "raperda_sampah_v1.md")
	if d.Title != "PENGELOLAAN SAMPAH" {
		t.Errorf("title %q", d.Title)
	}
	want := strings.Fields(`pembukaan
		bab-1 pasal-1
		bab-2 pasal-2 pasal-3 pasal-3-ayat-1 pasal-3-ayat-2 pasal-3-ayat-3 pasal-4
		bab-3 bab-3-bagian-1 pasal-5 pasal-5-ayat-1 pasal-5-ayat-2 bab-3-bagian-2 pasal-6
		bab-4 bab-4-bagian-1 pasal-7 bab-4-bagian-2 pasal-8 pasal-8-ayat-1 pasal-8-ayat-2 pasal-9
		bab-5 bab-5-bagian-1 pasal-10 pasal-10-ayat-1 pasal-10-ayat-2 bab-5-bagian-2 pasal-11 pasal-11-ayat-1 pasal-11-ayat-2 pasal-12
		bab-6 pasal-13 pasal-13-ayat-1 pasal-13-ayat-2
		bab-7 pasal-14 pasal-14-ayat-1 pasal-14-ayat-2
		bab-8 pasal-15 pasal-15-ayat-1 pasal-15-ayat-2
		bab-9 pasal-16 pasal-17
		penutup penjelasan-umum
		penjelasan-pasal-1 penjelasan-pasal-2 penjelasan-pasal-3 penjelasan-pasal-3-ayat-1 penjelasan-pasal-3-ayat-2 penjelasan-pasal-3-ayat-3
		penjelasan-pasal-4 penjelasan-pasal-5 penjelasan-pasal-6 penjelasan-pasal-7 penjelasan-pasal-8 penjelasan-pasal-9
		penjelasan-pasal-10 penjelasan-pasal-11 penjelasan-pasal-12 penjelasan-pasal-13 penjelasan-pasal-14 penjelasan-pasal-15
		penjelasan-pasal-16 penjelasan-pasal-17`)
	if got := anchors(d); !slices.Equal(got, want) {
		t.Fatalf("anchors\n got %v\nwant %v", got, want)
	}
	articles := 0
	for _, u := range d.Units {
		if u.Kind == KindArticle {
			articles++
		}
	}
	if articles != 17 {
		t.Errorf("%d Pasal, want 17", articles)
	}
	tests := []struct {
		anchor, kind, number, heading, parent, label, text string
	}{
		{"bab-2", KindChapter, "II", "ASAS, TUJUAN, DAN RUANG LINGKUP", "", "BAB II", ""},
		{"bab-3-bagian-2", KindPart, "Kedua", "Wewenang", "bab-3", "Bagian Kedua", ""},
		{"pasal-3", KindArticle, "3", "", "bab-2", "Pasal 3", ""},
		{"pasal-3-ayat-2", KindClause, "2", "", "pasal-3", "Pasal 3 ayat (2)",
			"Setiap rumah tangga wajib memilah sampah paling sedikit menjadi sampah organik dan sampah anorganik sebelum diangkut ke tempat penampungan sementara."},
		{"pasal-6", KindArticle, "6", "", "bab-3-bagian-2", "Pasal 6",
			"Dalam menyelenggarakan pengelolaan sampah, Pemerintah Daerah berwenang:\na. menetapkan kebijakan dan strategi pengelolaan sampah;\nb. menyelenggarakan pengelolaan sampah skala kota;\nc. melakukan pembinaan dan pengawasan kinerja pengelolaan sampah yang dilaksanakan oleh pihak lain; dan\nd. menetapkan lokasi TPST dan tempat pemrosesan akhir sampah."},
		{"pasal-17", KindArticle, "17", "", "bab-9", "Pasal 17", "Peraturan Daerah ini mulai berlaku pada tanggal diundangkan."},
		{"penutup", KindClosing, "", "", "", "Penutup",
			"Agar setiap orang mengetahuinya, memerintahkan pengundangan Peraturan Daerah ini dengan penempatannya dalam Lembaran Daerah Kota Tanjung Sari.\n\nDitetapkan di Tanjung Sari\npada tanggal ...\nWALI KOTA TANJUNG SARI,\n\nttd."},
		{"penjelasan-pasal-3-ayat-2", KindClauseNote, "2", "", "penjelasan-pasal-3", "Penjelasan Pasal 3 ayat (2)",
			`Yang dimaksud dengan "sampah organik" adalah sampah yang mudah terurai, antara lain sisa makanan dan daun. Yang dimaksud dengan "sampah anorganik" adalah sampah yang sulit terurai, antara lain plastik, kaca, dan logam.`},
		{"penjelasan-pasal-9", KindArticleNote, "9", "", "", "Penjelasan Pasal 9",
			"Huruf a\nCukup jelas.\n\nHuruf b\nYang dimaksud dengan \"persyaratan teknis\" adalah persyaratan yang ditetapkan oleh perangkat daerah yang membidangi lingkungan hidup.\n\nHuruf c\nCukup jelas."},
	}
	for _, tt := range tests {
		t.Run(tt.anchor, func(t *testing.T) {
			u, ok := d.Unit(tt.anchor)
			if !ok {
				t.Fatal("missing")
			}
			if u.Kind != tt.kind || u.Number != tt.number || u.Heading != tt.heading || u.Parent != tt.parent || u.Label() != tt.label {
				t.Errorf("got %s %q %q parent %q label %q", u.Kind, u.Number, u.Heading, u.Parent, u.Label())
			}
			if u.Text != tt.text {
				t.Errorf("text\n got %q\nwant %q", u.Text, tt.text)
			}
		})
	}
	op, _ := d.Unit("pembukaan")
	if !strings.HasPrefix(op.Text, "RANCANGAN PERATURAN DAERAH KOTA TANJUNG SARI\nNOMOR ... TAHUN 2026\nTENTANG\nPENGELOLAAN SAMPAH") ||
		!strings.HasSuffix(op.Text, "Menetapkan: PERATURAN DAERAH TENTANG PENGELOLAAN SAMPAH.") {
		t.Errorf("opening %q", op.Text)
	}
	gen, _ := d.Unit("penjelasan-umum")
	if !strings.HasPrefix(gen.Text, "Pertambahan penduduk") || !strings.HasSuffix(gen.Text, "di tempat pemrosesan akhir.") {
		t.Errorf("penjelasan umum %q", gen.Text)
	}
}

// TestParsePlainTextSameAsMarkdown: the same draft without Markdown marks
// (as pasted from a word processor) gives the same units.
func TestParsePlainTextSameAsMarkdown(t *testing.T) {
	b, err := os.ReadFile("testdata/raperda_sampah_v1.md")
	if err != nil {
		t.Fatal(err)
	}
	plain := regexp.MustCompile(`(?m)^#+ *`).ReplaceAllString(string(b), "")
	plain = strings.ReplaceAll(plain, "\n", "\r\n")
	md := MustFixture(t, "raperda_sampah_v1.md")
	got, err := Parse(plain)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Units) != len(md.Units) {
		t.Fatalf("%d units, want %d", len(got.Units), len(md.Units))
	}
	for i := range md.Units {
		g, w := got.Units[i], md.Units[i]
		if g.Anchor != w.Anchor || g.Text != w.Text || g.Heading != w.Heading {
			t.Errorf("unit %d: got %+v want %+v", i, g, w)
		}
	}
}

func TestParseForms(t *testing.T) {
	tests := []struct {
		name, text string
		anchors    []string
	}{
		{"heading on the BAB line", "BAB I KETENTUAN UMUM\nPasal 1\nIsi.", []string{"bab-1", "pasal-1"}},
		{"bold structure and inserted Pasal", "**BAB XII**\n**KETENTUAN LAIN**\n**Pasal 40A**\n(1) Satu.\n(2) Dua.",
			[]string{"bab-12", "pasal-40a", "pasal-40a-ayat-1", "pasal-40a-ayat-2"}},
		{"Paragraf inside a Bagian", "BAB II\nX\nBagian Kedua Belas\nY\nParagraf 1\nZ\nPasal 5\nIsi.",
			[]string{"bab-2", "bab-2-bagian-12", "bab-2-bagian-12-paragraf-1", "pasal-5"}},
		{"Pasal without BAB", "Pasal 1\nIsi.\nPasal 2\n(1) A.", []string{"pasal-1", "pasal-2", "pasal-2-ayat-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if got := anchors(d); !slices.Equal(got, tt.anchors) {
				t.Errorf("got %v want %v", got, tt.anchors)
			}
		})
	}
	d, _ := Parse("BAB II\nX\nBagian Kedua Belas\nY\nParagraf 1\nZ\nPasal 5\nIsi.")
	if u, _ := d.Unit("pasal-5"); u.Parent != "bab-2-bagian-12-paragraf-1" {
		t.Errorf("Pasal 5 parent %q", u.Parent)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, text, key string
	}{
		{"empty", "", "rancangan.parse_no_article"},
		{"no Pasal", "BAB I\nKETENTUAN UMUM\nteks", "rancangan.parse_no_article"},
		{"Pasal twice", "Pasal 1\nA.\nPasal 2\nB.\nPasal 1\nC.", "rancangan.parse_duplicate"},
		{"ayat twice", "Pasal 1\n(1) A.\n(1) B.", "rancangan.parse_duplicate"},
		{"too long", strings.Repeat("x", maxDraftBytes+1), "rancangan.parse_too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.text)
			e := errs.As(err)
			if e == nil || e.Kind != errs.Invalid || e.Key != tt.key {
				t.Fatalf("got %v, want invalid %s", err, tt.key)
			}
		})
	}
	_, err := Parse("Pasal 1\nA.\nPasal 2\nB.\nPasal 1\nC.")
	if e := errs.As(err); e.Data["Line"] != 5 || e.Data["First"] != 1 || e.Data["Unit"] != "Pasal 1" {
		t.Errorf("duplicate data %v", e.Data)
	}
}

// TestAnchorsStableAcrossVersions: every unit of v1 keeps its anchor in v2
// (the edits change text and add units), and the diff names exactly what
// changed.
func TestAnchorsStableAcrossVersions(t *testing.T) {
	v1, v2 := MustFixture(t, "raperda_sampah_v1.md"), MustFixture(t, "raperda_sampah_v2.md")
	for _, u := range v1.Units {
		w, ok := v2.Unit(u.Anchor)
		if !ok || w.Kind != u.Kind || w.Number != u.Number {
			t.Errorf("%s: v2 has %+v", u.Anchor, w)
		}
	}
	var got []string
	for _, c := range Diff(v1, v2) {
		if c.Kind != ChangeSame {
			got = append(got, c.Kind+" "+c.Anchor)
		}
	}
	want := []string{"changed pasal-3-ayat-2", "added pasal-10-ayat-3", "changed pasal-11-ayat-2", "changed pasal-15-ayat-2",
		"changed penjelasan-pasal-10", "added penjelasan-pasal-10-ayat-1", "added penjelasan-pasal-10-ayat-2", "added penjelasan-pasal-10-ayat-3"}
	if !slices.Equal(got, want) {
		t.Errorf("diff\n got %v\nwant %v", got, want)
	}
	for _, c := range Diff(v1, v2) {
		if c.Anchor == "pasal-11-ayat-2" {
			w := []Span{{"=", "Pengangkutan sampah dari tempat penampungan sementara ke TPST dilakukan paling sedikit"},
				{"-", "2 (dua)"}, {"+", "3 (tiga)"}, {"=", "kali dalam seminggu."}}
			if !slices.Equal(c.Words, w) {
				t.Errorf("words %v", c.Words)
			}
		}
	}
	back := Diff(v2, v1)
	removed := 0
	for _, c := range back {
		if c.Kind == ChangeRemoved {
			removed++
			if c.Anchor == "pasal-10-ayat-3" && c.Old.Label() != "Pasal 10 ayat (3)" {
				t.Errorf("removed %v", c.Old)
			}
		}
	}
	if removed != 4 {
		t.Errorf("%d removed going back, want 4", removed)
	}
	// A removed unit follows the one that preceded it.
	for i, c := range back {
		if c.Anchor == "pasal-10-ayat-3" && back[i-1].Anchor != "pasal-10-ayat-2" {
			t.Errorf("removed ayat placed after %s", back[i-1].Anchor)
		}
	}
}

func TestWordDiff(t *testing.T) {
	tests := []struct {
		name, a, b string
		want       []Span
	}{
		{"same", "a b c", "a  b\nc", []Span{{"=", "a b c"}}},
		{"insert", "a c", "a b c", []Span{{"=", "a"}, {"+", "b"}, {"=", "c"}}},
		{"delete", "a b c", "a c", []Span{{"=", "a"}, {"-", "b"}, {"=", "c"}}},
		{"replace", "x", "y", []Span{{"-", "x"}, {"+", "y"}}},
		{"from nothing", "", "a b", []Span{{"+", "a b"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := WordDiff(tt.a, tt.b); !slices.Equal(got, tt.want) {
				t.Errorf("got %v want %v", got, tt.want)
			}
		})
	}
}

// TestLabelOf: a label rebuilt from an anchor alone is the parsed unit's.
func TestLabelOf(t *testing.T) {
	d := MustFixture(t, "raperda_sampah_v2.md")
	for _, u := range d.Units {
		if u.Kind == KindChapter || u.Kind == KindPart || u.Kind == KindParagraph {
			continue
		}
		if got := LabelOf(u.Anchor); got != u.Label() {
			t.Errorf("LabelOf(%q) = %q, want %q", u.Anchor, got, u.Label())
		}
	}
	if got := LabelOf("pasal-40a-ayat-2b"); got != "Pasal 40A ayat (2b)" {
		t.Errorf("got %q", got)
	}
}
