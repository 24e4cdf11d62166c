package rancangan

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/rembug/rembug/forum/errs"
)

// Unit kinds, in the structure of UU 12/2011 Lampiran II (teknik
// penyusunan peraturan perundang-undangan): the opening (judul,
// pembukaan, konsiderans), BAB, Bagian, Paragraf, Pasal and its ayat,
// the closing, and the Penjelasan (umum, and pasal demi pasal with ayat).
const (
	KindOpening        = "pembukaan"
	KindChapter        = "bab"
	KindPart           = "bagian"
	KindParagraph      = "paragraf"
	KindArticle        = "pasal"
	KindClause         = "ayat"
	KindClosing        = "penutup"
	KindExplanation    = "penjelasan_umum"
	KindArticleNote    = "penjelasan_pasal"
	KindClauseNote     = "penjelasan_ayat"
	maxDraftBytes      = 2 << 20
	maxUnitsInOneDraft = 5000
)

// Unit is one addressable piece of a draft: a BAB, a Bagian, a Pasal, an
// ayat or a piece of the Penjelasan.
type Unit struct {
	// Anchor is the unit's stable address, derived from the numbers the
	// text itself carries: "bab-2", "bab-3-bagian-1", "pasal-3",
	// "pasal-3-ayat-2", "penjelasan-umum", "penjelasan-pasal-3-ayat-2",
	// "pembukaan", "penutup". The same Pasal number gives the same anchor
	// in every version, so comments and the diff follow it.
	Anchor string `json:"anchor"`
	// Kind is one of the Kind constants.
	Kind string `json:"kind"`
	// Number is the number as written: "II" for BAB II, "Kesatu" for
	// Bagian Kesatu, "3" or "3A" for Pasal, "2" for ayat (2).
	Number string `json:"number"`
	// Heading is the title of a BAB, Bagian or Paragraf ("KETENTUAN UMUM").
	Heading string `json:"heading,omitempty"`
	// Text is the unit's own text without its children's (a Pasal's lead-in
	// before its ayat, or its whole text when it has none), lines joined
	// with "\n".
	Text string `json:"text,omitempty"`
	// Parent is the anchor of the enclosing unit ("" at the top).
	Parent string `json:"parent,omitempty"`
	// Line is the 1-based line of the text where the unit starts.
	Line int `json:"line"`
}

// Label is how a reader names the unit: "BAB II", "Bagian Kesatu",
// "Pasal 3", "Pasal 3 ayat (2)", "Penjelasan Pasal 3 ayat (2)".
func (u Unit) Label() string {
	switch u.Kind {
	case KindOpening:
		return "Pembukaan"
	case KindChapter:
		return "BAB " + u.Number
	case KindPart:
		return "Bagian " + u.Number
	case KindParagraph:
		return "Paragraf " + u.Number
	case KindArticle:
		return "Pasal " + u.Number
	case KindClause:
		return "Pasal " + articleOf(u.Anchor) + " ayat (" + u.Number + ")"
	case KindClosing:
		return "Penutup"
	case KindExplanation:
		return "Penjelasan Umum"
	case KindArticleNote:
		return "Penjelasan Pasal " + u.Number
	case KindClauseNote:
		return "Penjelasan Pasal " + articleOf(u.Anchor) + " ayat (" + u.Number + ")"
	}
	return u.Anchor
}

// Commentable reports whether citizens comment on the unit: everything
// with text of its own, and every Pasal and ayat.
func (u Unit) Commentable() bool {
	return u.Kind == KindArticle || u.Kind == KindClause || strings.TrimSpace(u.Text) != ""
}

// LabelOf names the unit of an anchor of a Pasal, an ayat or the
// Penjelasan as Label does ("pasal-3a-ayat-2" is "Pasal 3A ayat (2)");
// other anchors are returned as they are.
func LabelOf(anchor string) string {
	if strings.HasPrefix(anchor, "bab-") {
		return anchor
	}
	art := articleOf(anchor)
	_, ayat, hasAyat := strings.Cut(anchor, "-ayat-")
	note := strings.HasPrefix(anchor, "penjelasan-pasal-")
	switch {
	case anchor == "pembukaan" || anchor == "penutup" || anchor == "penjelasan-umum":
		return Unit{Anchor: anchor, Kind: map[string]string{"pembukaan": KindOpening, "penutup": KindClosing, "penjelasan-umum": KindExplanation}[anchor]}.Label()
	case art == "":
		return anchor
	case note && hasAyat:
		return Unit{Anchor: anchor, Kind: KindClauseNote, Number: ayat}.Label()
	case note:
		return Unit{Anchor: anchor, Kind: KindArticleNote, Number: art}.Label()
	case hasAyat:
		return Unit{Anchor: anchor, Kind: KindClause, Number: ayat}.Label()
	}
	return Unit{Anchor: anchor, Kind: KindArticle, Number: art}.Label()
}

// articleOf returns the Pasal number in an anchor "…pasal-3a-ayat-2" ("3A").
func articleOf(anchor string) string {
	_, rest, ok := strings.Cut(anchor, "pasal-")
	if !ok {
		return ""
	}
	n, _, _ := strings.Cut(rest, "-")
	return strings.ToUpper(n)
}

// Document is a parsed draft: its title and its units in reading order.
type Document struct {
	// Title is the subject after TENTANG ("PENGELOLAAN SAMPAH"), "" when
	// the text has no heading.
	Title string `json:"title"`
	// Units are in the order of the text, each parent before its children.
	Units []Unit `json:"units"`
	// Options are the commentable units' anchors and labels, in text
	// order, for a unit filter: computed once when a stored version is
	// read (DocumentOf), so with Store.Document once per version.
	Options []UnitOption `json:"-"`
}

// UnitOption is one commentable unit of a Document: its anchor and Label.
type UnitOption struct {
	Anchor, Label string
}

// unitOptions lists d's commentable units with their labels.
func unitOptions(d *Document) []UnitOption {
	out := make([]UnitOption, 0, len(d.Units))
	for _, u := range d.Units {
		if u.Commentable() {
			out = append(out, UnitOption{u.Anchor, u.Label()})
		}
	}
	return out
}

// Unit returns the unit with the anchor, and whether there is one.
func (d *Document) Unit(anchor string) (Unit, bool) {
	for _, u := range d.Units {
		if u.Anchor == anchor {
			return u, true
		}
	}
	return Unit{}, false
}

var (
	reChapter   = regexp.MustCompile(`^BAB\s+([IVXLCDM]+)\b\s*[.:—–-]?\s*(.*)$`)
	rePart      = regexp.MustCompile(`^Bagian\s+(Ke[a-z]+(?:\s+Belas)?)\b\s*[.:—–-]?\s*(.*)$`)
	reParagraph = regexp.MustCompile(`^Paragraf\s+(\d+)\b\s*[.:—–-]?\s*(.*)$`)
	reArticle   = regexp.MustCompile(`^Pasal\s+(\d+[A-Z]?)$`)
	reClause    = regexp.MustCompile(`^\((\d+[a-z]?)\)\s*(.*)$`)
	reNoteAyat  = regexp.MustCompile(`^Ayat\s+\((\d+[a-z]?)\)$`)
	reGeneral   = regexp.MustCompile(`^(I\.\s*)?UMUM$`)
	reByArticle = regexp.MustCompile(`^(II\.\s*)?PASAL\s+DEMI\s+PASAL$`)
	reEmphasis  = regexp.MustCompile(`^(\*\*|__)(.*)(\*\*|__)$`)
)

// clean strips the Markdown a drafter may use around a structural line:
// heading marks, emphasis, a trailing backslash line break.
func clean(line string) string {
	s := strings.TrimSpace(strings.TrimSuffix(strings.TrimRight(line, " \t\r"), "\\"))
	s = strings.TrimSpace(strings.TrimLeft(s, "#"))
	if m := reEmphasis.FindStringSubmatch(s); m != nil {
		s = strings.TrimSpace(m[2])
	}
	return strings.Join(strings.Fields(s), " ")
}

// Parse splits the text of an Indonesian regional regulation draft
// (Markdown or plain text, as drafted under UU 12/2011 Lampiran II) into
// its units. Structural lines stand alone: "BAB II" (its heading on the
// same or the next line), "Bagian Kesatu", "Paragraf 1", "Pasal 3"; an
// ayat starts with "(2)"; "PENJELASAN" starts the Penjelasan, with
// "I. UMUM", "II. PASAL DEMI PASAL", "Pasal 3" and "Ayat (2)". Markdown
// heading marks and emphasis around them are ignored. The text before the
// first BAB or Pasal is the opening; "Agar setiap orang mengetahuinya" or
// "Ditetapkan di" after the last Pasal starts the closing.
//
// It returns an errs.Invalid error (key "rancangan.parse_*", data Line
// and Unit) for an empty or oversized text, a text without any Pasal, a
// unit that appears twice (its anchor would not be unique), or an ayat
// outside a Pasal.
func Parse(text string) (*Document, error) {
	if len(text) > maxDraftBytes {
		return nil, errs.E(errs.Invalid, "rancangan.parse_too_long", map[string]any{"Max": maxDraftBytes >> 20})
	}
	p := &parser{seen: map[string]int{}}
	for i, raw := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if err := p.line(i+1, clean(raw)); err != nil {
			return nil, err
		}
	}
	p.flush()
	if p.articles == 0 {
		return nil, errs.E(errs.Invalid, "rancangan.parse_no_article", nil)
	}
	if len(p.doc.Units) > maxUnitsInOneDraft {
		return nil, errs.E(errs.Invalid, "rancangan.parse_too_long", map[string]any{"Max": maxDraftBytes >> 20})
	}
	p.doc.Title = titleOf(p.doc.Units)
	return &p.doc, nil
}

// parser is Parse's state: where in the document it is and the unit whose
// text it is collecting.
type parser struct {
	doc      Document
	seen     map[string]int // anchor → line
	section  int            // 0 body, 1 Penjelasan before UMUM, 2 umum, 3 pasal demi pasal
	chapter  string         // anchor of the open BAB
	part     string         // anchor of the open Bagian
	article  string         // anchor of the open Pasal (body or Penjelasan)
	articles int
	cur      *Unit
	text     []string
	heading  bool // the open BAB/Bagian/Paragraf still waits for its heading line
	closed   bool // the closing has started
}

func (p *parser) line(n int, s string) error {
	if s == "" {
		if len(p.text) > 0 && p.text[len(p.text)-1] != "" {
			p.text = append(p.text, "")
		}
		return nil
	}
	if p.heading && !structural(s) {
		p.cur.Heading, p.heading = s, false
		return nil
	}
	p.heading = false
	if p.section == 0 {
		return p.body(n, s)
	}
	return p.explanation(n, s)
}

// structural reports whether s starts a unit of its own.
func structural(s string) bool {
	return reChapter.MatchString(s) || rePart.MatchString(s) || reParagraph.MatchString(s) ||
		reArticle.MatchString(s) || s == "PENJELASAN"
}

func (p *parser) body(n int, s string) error {
	if s == "PENJELASAN" {
		p.section = 1
		p.chapter, p.part, p.article = "", "", ""
		if err := p.add(Unit{Kind: KindExplanation, Anchor: "penjelasan-umum", Line: n}, false); err != nil {
			return err
		}
		p.cur = nil // the Penjelasan's own heading lines are not its text
		return nil
	}
	if m := reChapter.FindStringSubmatch(s); m != nil && !p.closed {
		num, err := roman(m[1])
		if err != nil {
			return errs.E(errs.Invalid, "rancangan.parse_number", map[string]any{"Line": n, "Unit": s})
		}
		p.chapter, p.part, p.article = "bab-"+strconv.Itoa(num), "", ""
		return p.add(Unit{Kind: KindChapter, Anchor: p.chapter, Number: m[1], Heading: m[2], Line: n}, m[2] == "")
	}
	if m := rePart.FindStringSubmatch(s); m != nil && !p.closed {
		num := ordinal(m[1])
		if num == 0 {
			return errs.E(errs.Invalid, "rancangan.parse_number", map[string]any{"Line": n, "Unit": s})
		}
		p.part, p.article = strings.TrimPrefix(p.chapter+"-bagian-"+strconv.Itoa(num), "-"), ""
		return p.add(Unit{Kind: KindPart, Anchor: p.part, Number: m[1], Heading: m[2], Parent: p.chapter, Line: n}, m[2] == "")
	}
	if m := reParagraph.FindStringSubmatch(s); m != nil && !p.closed {
		parent := p.part
		if parent == "" {
			parent = p.chapter
		}
		return p.add(Unit{Kind: KindParagraph, Anchor: strings.TrimPrefix(parent+"-paragraf-"+m[1], "-"), Number: m[1], Heading: m[2], Parent: parent, Line: n}, m[2] == "")
	}
	if m := reArticle.FindStringSubmatch(s); m != nil && !p.closed {
		p.article = "pasal-" + strings.ToLower(m[1])
		p.articles++
		parent := p.part
		if parent == "" {
			parent = p.chapter
		}
		if p.cur != nil && p.cur.Kind == KindParagraph {
			parent = p.cur.Anchor
		} else if last := p.lastOf(KindParagraph); last != "" && strings.HasPrefix(last, parent+"-") {
			parent = last
		}
		return p.add(Unit{Kind: KindArticle, Anchor: p.article, Number: m[1], Parent: parent, Line: n}, false)
	}
	if p.article != "" && !p.closed && (strings.HasPrefix(s, "Agar setiap orang mengetahuinya") || strings.HasPrefix(s, "Ditetapkan di")) {
		p.closed = true
		if err := p.add(Unit{Kind: KindClosing, Anchor: "penutup", Line: n}, false); err != nil {
			return err
		}
		p.text = append(p.text, s)
		return nil
	}
	if m := reClause.FindStringSubmatch(s); m != nil && !p.closed && p.article != "" {
		if err := p.add(Unit{Kind: KindClause, Anchor: p.article + "-ayat-" + strings.ToLower(m[1]), Number: m[1], Parent: p.article, Line: n}, false); err != nil {
			return err
		}
		if m[2] != "" {
			p.text = append(p.text, m[2])
		}
		return nil
	}
	if p.cur == nil {
		if err := p.add(Unit{Kind: KindOpening, Anchor: "pembukaan", Line: n}, false); err != nil {
			return err
		}
	}
	p.text = append(p.text, s)
	return nil
}

func (p *parser) explanation(n int, s string) error {
	if p.section == 1 && !reGeneral.MatchString(s) {
		return nil // "ATAS RANCANGAN PERATURAN DAERAH … TENTANG …"
	}
	if reGeneral.MatchString(s) && p.section == 1 {
		p.section = 2
		p.cur = &p.doc.Units[len(p.doc.Units)-1]
		return nil
	}
	if reByArticle.MatchString(s) {
		p.flush()
		p.section = 3
		return nil
	}
	if p.section == 3 {
		if m := reArticle.FindStringSubmatch(s); m != nil {
			p.article = "penjelasan-pasal-" + strings.ToLower(m[1])
			return p.add(Unit{Kind: KindArticleNote, Anchor: p.article, Number: m[1], Line: n}, false)
		}
		if m := reNoteAyat.FindStringSubmatch(s); m != nil && p.article != "" {
			return p.add(Unit{Kind: KindClauseNote, Anchor: p.article + "-ayat-" + strings.ToLower(m[1]), Number: m[1], Parent: p.article, Line: n}, false)
		}
	}
	if p.cur != nil {
		p.text = append(p.text, s)
	}
	return nil
}

// add closes the unit being collected and opens u; heading tells that u's
// heading is on the next line.
func (p *parser) add(u Unit, heading bool) error {
	if first, dup := p.seen[u.Anchor]; dup {
		return errs.E(errs.Invalid, "rancangan.parse_duplicate", map[string]any{"Line": u.Line, "First": first, "Unit": u.Label()})
	}
	p.seen[u.Anchor] = u.Line
	p.open(u)
	p.heading = heading
	return nil
}

func (p *parser) open(u Unit) {
	p.flush()
	p.doc.Units = append(p.doc.Units, u)
	p.cur = &p.doc.Units[len(p.doc.Units)-1]
}

// flush stores the collected lines as the current unit's text and closes
// it.
func (p *parser) flush() {
	if p.cur != nil {
		p.cur.Text = strings.TrimSpace(strings.Join(p.text, "\n"))
	}
	p.cur, p.text = nil, p.text[:0]
}

// lastOf returns the anchor of the last unit of kind k, "" for none.
func (p *parser) lastOf(k string) string {
	for i := len(p.doc.Units) - 1; i >= 0; i-- {
		if p.doc.Units[i].Kind == k {
			return p.doc.Units[i].Anchor
		}
		if p.doc.Units[i].Kind == KindChapter || p.doc.Units[i].Kind == KindPart {
			return ""
		}
	}
	return ""
}

// titleOf returns the subject after "TENTANG" in the opening.
func titleOf(us []Unit) string {
	if len(us) == 0 || us[0].Kind != KindOpening {
		return ""
	}
	lines := strings.Split(us[0].Text, "\n")
	for i, l := range lines {
		if strings.EqualFold(l, "TENTANG") && i+1 < len(lines) {
			return lines[i+1]
		}
		if rest, ok := strings.CutPrefix(l, "TENTANG "); ok {
			return rest
		}
	}
	return ""
}

// roman reads a Roman numeral (BAB numbers) up to 3999.
func roman(s string) (int, error) {
	val := map[byte]int{'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100, 'D': 500, 'M': 1000}
	n := 0
	for i := 0; i < len(s); i++ {
		v := val[s[i]]
		if i+1 < len(s) && v < val[s[i+1]] {
			n -= v
		} else {
			n += v
		}
	}
	if n <= 0 || n > 3999 {
		return 0, fmt.Errorf("roman numeral %q", s)
	}
	return n, nil
}

// ordinal reads an Indonesian ordinal as Bagian numbers are written
// ("Kesatu", "Kedua", … "Kesepuluh", "Kesebelas", "Kedua Belas"); 0 when it
// is not one.
func ordinal(s string) int {
	w := strings.TrimPrefix(strings.ToLower(s), "ke")
	teen := strings.HasSuffix(w, " belas")
	w = strings.TrimSuffix(w, " belas")
	switch w {
	case "pertama":
		return 1
	case "sepuluh":
		return 10
	case "sebelas":
		return 11
	}
	for i, x := range []string{"satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"} {
		if w == x {
			if teen {
				return i + 11
			}
			return i + 1
		}
	}
	return 0
}
