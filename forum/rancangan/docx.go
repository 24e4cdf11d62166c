package rancangan

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Paragraph styles of WriteDocx.
const (
	StyleTitle   = "Title"
	StyleHeading = "Heading2"
	StyleText    = ""
	StyleQuote   = "Quote"
)

// Para is one paragraph of a .docx document: its style (one of the Style
// constants) and plain text; "\n" breaks the line inside the paragraph.
type Para struct {
	Style, Text string
}

// WriteDocx writes paras as a minimal Office Open XML word-processing
// document (ECMA-376 Part 1, WordprocessingML: [Content_Types].xml, the
// package relationships, word/document.xml and word/styles.xml) that
// Word, LibreOffice and Google Docs open. Text is escaped; characters XML
// 1.0 forbids are dropped.
func WriteDocx(w io.Writer, paras []Para) error {
	z := zip.NewWriter(w)
	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`},
		{"word/styles.xml", docxStyles},
		{"word/document.xml", docxDocument(paras)},
	}
	for _, f := range files {
		fw, err := z.Create(f.name)
		if err != nil {
			return fmt.Errorf("docx %s: %w", f.name, err)
		}
		if _, err := io.WriteString(fw, f.body); err != nil {
			return fmt.Errorf("docx %s: %w", f.name, err)
		}
	}
	return z.Close()
}

const wordNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

const docxStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="` + wordNS + `"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/><w:sz w:val="22"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="567"/></w:pPr><w:rPr><w:sz w:val="20"/></w:rPr></w:style></w:styles>`

// docxDocument is word/document.xml holding paras.
func docxDocument(paras []Para) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<w:document xmlns:w="` + wordNS + `"><w:body>`)
	for _, p := range paras {
		b.WriteString("<w:p>")
		if p.Style != "" {
			b.WriteString(`<w:pPr><w:pStyle w:val="` + p.Style + `"/></w:pPr>`)
		}
		b.WriteString("<w:r>")
		for i, line := range strings.Split(p.Text, "\n") {
			if i > 0 {
				b.WriteString("<w:br/>")
			}
			b.WriteString(`<w:t xml:space="preserve">`)
			b.WriteString(xmlText(line))
			b.WriteString("</w:t>")
		}
		b.WriteString("</w:r></w:p>")
	}
	b.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr></w:body></w:document>`)
	return b.String()
}

// xmlText escapes s for XML character data, dropping characters XML 1.0
// does not allow (control characters other than tab).
func xmlText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r >= 0x20 && r != 0xFFFE && r != 0xFFFF && r < 0xD800 || r >= 0xE000 && r != 0xFFFE && r != 0xFFFF {
			return r
		}
		return -1
	}, s)
	var buf bytes.Buffer
	xml.EscapeText(&buf, []byte(s)) //nolint:errcheck // a bytes.Buffer does not fail
	return buf.String()
}
