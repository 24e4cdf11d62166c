package ogimage

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"testing"
	"unicode"

	"github.com/go-text/typesetting/di"
)

var titles = map[string]string{
	"indonesian": "Penataan Pasar Tanjungsari: los sayur dipindah ke lantai dasar dan parkir motor ditata ulang",
	"chinese":    "关于改善城市公园和公共交通的市民意见征集",
	"arabic":     "مشروع تحسين الحدائق العامة والنقل في المدينة",
}

// inked counts the pixels of the title area (between the header and the
// label) darker than mid-grey.
func inked(t *testing.T, b []byte) int {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds() != image.Rect(0, 0, Width, Height) {
		t.Fatalf("size %v, want 1200×630", img.Bounds())
	}
	n := 0
	for y := 180; y < Height-110; y++ {
		for x := 0; x < Width; x++ {
			r, g, bb, _ := img.At(x, y).RGBA()
			if (r+g+bb)/3 < 0x8000 {
				n++
			}
		}
	}
	return n
}

// TestRenderScripts draws an Indonesian, a Chinese and an Arabic title:
// each PNG decodes at 1200×630 with ink in the title area, every character
// has a glyph in the embedded fonts and every shaped glyph is a real one
// (not the missing-glyph box, glyph 0).
func TestRenderScripts(t *testing.T) {
	for name, title := range titles {
		t.Run(name, func(t *testing.T) {
			if miss, err := Missing(title); err != nil || len(miss) != 0 {
				t.Fatalf("no glyph for %q (%v)", string(miss), err)
			}
			b, err := Render(Card{Title: title, Site: "Pemerintah Kota Tanjungsari", Label: "Konsultasi publik · Tahap usulan"})
			if err != nil {
				t.Fatal(err)
			}
			if os.Getenv("OGIMAGE_DUMP") != "" {
				_ = os.WriteFile(os.Getenv("OGIMAGE_DUMP")+"/"+name+".png", b, 0o644)
			}
			if n := inked(t, b); n < 5000 {
				t.Fatalf("title area has %d inked pixels", n)
			}
			f, _ := faces()
			mu.Lock()
			lines, _ := layout(f, title, TitleSize, Width-2*margin, TitleLines)
			mu.Unlock()
			if len(lines) == 0 {
				t.Fatal("no lines")
			}
			for _, line := range lines {
				for _, run := range line {
					for _, g := range run.Glyphs {
						if g.GlyphID == 0 {
							t.Fatalf("missing glyph in run %v", run.Runes)
						}
					}
				}
			}
		})
	}
}

// TestArabicShapedRightToLeft: the Arabic title is laid out right to left
// (its runs RTL, the first glyph drawn being the last letter of its run)
// and its letters joined: most glyphs differ from the letters' isolated
// forms (the font's nominal glyphs).
func TestArabicShapedRightToLeft(t *testing.T) {
	f, err := faces()
	if err != nil {
		t.Fatal(err)
	}
	runes := []rune(titles["arabic"])
	mu.Lock()
	lines, dir := layout(f, titles["arabic"], TitleSize, Width-2*margin, TitleLines)
	mu.Unlock()
	if dir != di.DirectionRTL {
		t.Fatalf("paragraph direction %v", dir)
	}
	joined, letters := 0, 0
	for _, line := range lines {
		for _, run := range line {
			if run.Direction != di.DirectionRTL {
				t.Fatalf("run %v is %v", run.Runes, run.Direction)
			}
			if first, last := run.Glyphs[0].ClusterIndex, run.Glyphs[len(run.Glyphs)-1].ClusterIndex; first <= last {
				t.Fatalf("glyphs not in right-to-left order: clusters %d..%d", first, last)
			}
			for _, g := range run.Glyphs {
				r := runes[g.ClusterIndex]
				if !unicode.Is(unicode.Arabic, r) {
					continue
				}
				letters++
				if nominal, _ := run.Face.NominalGlyph(r); nominal != g.GlyphID {
					joined++
				}
			}
		}
	}
	if letters == 0 || joined*2 < letters {
		t.Fatalf("%d of %d Arabic letters take a joined form", joined, letters)
	}
}

// TestLongTitleEllipsis: a title longer than four lines ends with "…".
func TestLongTitleEllipsis(t *testing.T) {
	f, _ := faces()
	long := ""
	for range 30 {
		long += "Penataan pasar tradisional "
	}
	mu.Lock()
	defer mu.Unlock()
	lines, _ := layout(f, long, TitleSize, Width-2*margin, TitleLines)
	if len(lines) != TitleLines {
		t.Fatalf("%d lines", len(lines))
	}
	last := lines[len(lines)-1]
	ell, _ := f.faces[0].NominalGlyph('…')
	g := last[len(last)-1].Glyphs
	if g[len(g)-1].GlyphID != ell {
		t.Fatal("the last line does not end with an ellipsis")
	}
}

// TestMissingFindsTofu: a character outside the embedded fonts (Devanagari)
// is reported, so callers can tell a title the image cannot draw.
func TestMissingFindsTofu(t *testing.T) {
	if m, _ := Missing("नमस्ते abc"); len(m) == 0 {
		t.Fatal("Devanagari reported as covered")
	}
}
