// Package ogimage draws the share images (Open Graph, 1200×630 PNG) of
// consultations and proposals: the pemda's logo and name, a title in any
// of the scripts rembug's users write (Latin, Arabic, Chinese), and a line
// naming the kind and phase.
//
// Text is shaped with HarfBuzz's rules (github.com/go-text/typesetting):
// Arabic right to left with its letters joined, mixed-direction lines in
// bidi order, lines broken at UAX #14 opportunities (between words, and
// between Chinese characters) and, beyond the last line allowed, cut with
// an ellipsis. The fonts are subsets of Noto (fonts/, SIL Open Font
// License 1.1) embedded in the binary, so a default install draws them
// without system fonts: Latin and Arabic blocks in full, Chinese the 3,755
// most frequent hanzi (GB 2312 level 1) with kana and CJK punctuation; a
// character outside them draws as the font's empty box (Missing tells
// which).
//
// Render is safe for concurrent use; it takes about 0.15 s on a 2-core
// machine, so callers cache its result.
package ogimage

import (
	"bytes"
	_ "embed"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"sync"
	"unicode"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"github.com/rembug/rembug/forum/grapheme"
)

// Size of every image, in pixels: the Open Graph and summary_large_image
// size.
const (
	Width  = 1200
	Height = 630
)

// Layout limits: the title's size in pixels, lines and graphemes (a
// longer title is cut with forum/grapheme before shaping, and what still
// does not fit in TitleLines lines ends with an ellipsis).
const (
	TitleSize      = 60
	TitleLines     = 4
	TitleGraphemes = 200
	margin         = 72
)

var (
	//go:embed fonts/NotoSans-Bold.subset.ttf
	latinTTF []byte
	//go:embed fonts/NotoSansArabic-Bold.subset.ttf
	arabicTTF []byte
	//go:embed fonts/NotoSansSC-Bold.subset.otf
	cjkOTF []byte
)

// Card is what one image shows. Strings are plain text.
type Card struct {
	Title string
	// Site is the pemda's name (branding), drawn next to Logo.
	Site string
	// Logo is the pemda's logo, nil for none; it is scaled to 96 px high.
	Logo image.Image
	// Label is the line under the title: the kind and the phase
	// ("Konsultasi publik · Tahap usulan").
	Label string
	// Accent is the brand colour of the band and the label; the zero
	// colour draws the default blue.
	Accent color.RGBA
}

// fonts holds the parsed faces, in the order a character looks for one:
// Latin first so that digits and punctuation stay in the Latin face.
type fonts struct {
	faces []*font.Face
}

// ResolveFace implements shaping.Fontmap: the first face with a glyph for
// r, else the Latin face (which draws its missing-glyph box).
func (f *fonts) ResolveFace(r rune) *font.Face {
	for _, face := range f.faces {
		if _, ok := face.NominalGlyph(r); ok {
			return face
		}
	}
	return f.faces[0]
}

var (
	loadOnce sync.Once
	loaded   *fonts
	loadErr  error
	// mu guards the shaper and wrapper, which keep buffers between calls.
	mu      sync.Mutex
	shaper  shaping.HarfbuzzShaper
	wrapper shaping.LineWrapper
)

func faces() (*fonts, error) {
	loadOnce.Do(func() {
		f := &fonts{}
		for _, b := range [][]byte{latinTTF, arabicTTF, cjkOTF} {
			face, err := font.ParseTTF(bytes.NewReader(b))
			if err != nil {
				loadErr = fmt.Errorf("ogimage: embedded font: %w", err)
				return
			}
			f.faces = append(f.faces, face)
		}
		loaded = f
	})
	return loaded, loadErr
}

// Missing returns the characters of s that no embedded font has a glyph
// for (spaces and controls aside), in order, each once.
func Missing(s string) ([]rune, error) {
	f, err := faces()
	if err != nil {
		return nil, err
	}
	var out []rune
	seen := map[rune]bool{}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || seen[r] {
			continue
		}
		seen[r] = true
		found := false
		for _, face := range f.faces {
			if _, ok := face.NominalGlyph(r); ok {
				found = true
				break
			}
		}
		if !found {
			out = append(out, r)
		}
	}
	return out, nil
}

// Render draws c as a 1200×630 PNG.
func Render(c Card) ([]byte, error) {
	f, err := faces()
	if err != nil {
		return nil, err
	}
	accent := c.Accent
	if accent.A == 0 {
		accent = color.RGBA{0x0b, 0x53, 0x94, 0xff}
	}
	img := image.NewRGBA(image.Rect(0, 0, Width, Height))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 0, Width, 16), image.NewUniform(accent), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, Height-16, Width, Height), image.NewUniform(accent), image.Point{}, draw.Src)
	ink := image.NewUniform(color.RGBA{0x1a, 0x1a, 0x1a, 0xff})

	mu.Lock()
	defer mu.Unlock()
	// Header: logo and the pemda's name.
	x := margin
	if c.Logo != nil {
		b := c.Logo.Bounds()
		if b.Dx() > 0 && b.Dy() > 0 {
			h := 96
			w := min(b.Dx()*h/b.Dy(), 320)
			dst := image.Rect(x, 56, x+w, 56+h)
			xdraw.CatmullRom.Scale(img, dst, c.Logo, b, xdraw.Over, nil)
			x += w + 28
		}
	}
	if c.Site != "" {
		lines, dir := layout(f, grapheme.Truncate(c.Site, 80), 36, Width-margin-x, 1)
		drawLines(img, lines, dir, x, Width-margin, 104+12, 44, ink)
	}
	// Title.
	lines, dir := layout(f, grapheme.Truncate(c.Title, TitleGraphemes), TitleSize, Width-2*margin, TitleLines)
	lineH := TitleSize * 13 / 10
	top := 200 + (TitleLines-len(lines))*lineH/2
	drawLines(img, lines, dir, margin, Width-margin, top+TitleSize, lineH, ink)
	// Label.
	if c.Label != "" {
		lines, dir := layout(f, grapheme.Truncate(c.Label, 100), 32, Width-2*margin, 1)
		drawLines(img, lines, dir, margin, Width-margin, Height-64, 40, image.NewUniform(accent))
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("ogimage: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// layout shapes text at size px and wraps it into at most maxLines lines
// of maxWidth px, the last cut with "…" when the text goes on. The
// paragraph's direction is its first strong character's (RTL for Arabic).
// Callers hold mu.
func layout(f *fonts, text string, size, maxWidth, maxLines int) ([]shaping.Line, di.Direction) {
	runes := []rune(text)
	dir := di.DirectionLTR
	for _, r := range runes {
		if unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana) {
			dir = di.DirectionRTL
			break
		}
		if unicode.IsLetter(r) {
			break
		}
	}
	if len(runes) == 0 {
		return nil, dir
	}
	in := shaping.Input{Text: runes, RunEnd: len(runes), Direction: dir, Size: fixed.I(size), Language: language.NewLanguage("id")}
	var seg shaping.Segmenter
	runs := seg.Split(in, f)
	outs := make([]shaping.Output, len(runs))
	for i, run := range runs {
		outs[i] = shaper.Shape(run)
	}
	ell := []rune("…")
	trunc := shaper.Shape(shaping.Input{Text: ell, RunEnd: 1, Direction: dir, Size: fixed.I(size), Face: f.ResolveFace(ell[0]),
		Script: language.Common, Language: language.NewLanguage("id")})
	cfg := shaping.WrapConfig{Direction: dir, TruncateAfterLines: maxLines, Truncator: trunc, BreakPolicy: shaping.WhenNecessary}
	lines, _ := wrapper.WrapParagraph(cfg, maxWidth, runes, shaping.NewSliceIterator(outs))
	return lines, dir
}

// drawLines draws lines from baseline y, lineH apart, between left and
// right: flush left for LTR paragraphs, flush right for RTL ones.
func drawLines(img *image.RGBA, lines []shaping.Line, dir di.Direction, left, right, y, lineH int, src image.Image) {
	for _, line := range lines {
		ordered := make([]shaping.Output, len(line))
		var width fixed.Int26_6
		for _, run := range line {
			ordered[run.VisualIndex] = run
			width += run.Advance
		}
		pen := fixed.I(left)
		if dir == di.DirectionRTL {
			pen = fixed.I(right) - width
		}
		r := vector.NewRasterizer(Width, Height)
		for _, run := range ordered {
			scale := float32(run.Size) / 64 / float32(run.Face.Upem())
			for _, g := range run.Glyphs {
				gx := float32(pen+g.XOffset) / 64
				gy := float32(y) - float32(g.YOffset)/64
				if out, ok := run.Face.GlyphData(g.GlyphID).(font.GlyphOutline); ok {
					outline(r, out, gx, gy, scale)
				}
				pen += g.XAdvance
			}
		}
		r.Draw(img, img.Bounds(), src, image.Point{})
		y += lineH
	}
}

// outline adds one glyph's contours to r at pen (x, y), font units scaled
// by scale (y grows up in the font, down in the image).
func outline(r *vector.Rasterizer, o font.GlyphOutline, x, y, scale float32) {
	pt := func(p opentype.SegmentPoint) (float32, float32) { return x + p.X*scale, y - p.Y*scale }
	open := false
	for _, s := range o.Segments {
		switch s.Op {
		case opentype.SegmentOpMoveTo:
			if open {
				r.ClosePath()
			}
			r.MoveTo(pt(s.Args[0]))
			open = true
		case opentype.SegmentOpLineTo:
			r.LineTo(pt(s.Args[0]))
		case opentype.SegmentOpQuadTo:
			ax, ay := pt(s.Args[0])
			bx, by := pt(s.Args[1])
			r.QuadTo(ax, ay, bx, by)
		case opentype.SegmentOpCubeTo:
			ax, ay := pt(s.Args[0])
			bx, by := pt(s.Args[1])
			cx, cy := pt(s.Args[2])
			r.CubeTo(ax, ay, bx, by, cx, cy)
		}
	}
	if open {
		r.ClosePath()
	}
}
