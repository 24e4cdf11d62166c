package markup

import (
	"strings"

	"golang.org/x/net/html"
)

// isBlock reports whether the edges of element name separate words.
func isBlock(name string) bool {
	switch name {
	case "p", "br", "div", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
		"table", "tr", "td", "th":
		return true
	}
	return false
}

// Text returns src as the plain text a reader sees on the page, for search
// indexing and snippets: the sanitized HTML of src (HTML) with every tag
// removed and character references decoded, block edges turned into word
// breaks and runs of white space collapsed to one space. A link keeps its
// text, never its URL; raw HTML, which rendering omits, leaves nothing, so
// "[x](javascript:alert(1)) <IMG SRC=x>" becomes "x".
func (r *Renderer) Text(src string) string {
	z := html.NewTokenizer(strings.NewReader(r.HTML(src)))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			if name, _ := z.TagName(); isBlock(string(name)) {
				b.WriteByte('\n')
			}
		}
	}
}
