// Package markup turns participants' markdown into safe HTML, the one way
// user text becomes markup anywhere in rembug (pages, e-mails, live feeds).
//
// Markdown is rendered with goldmark (CommonMark, raw HTML omitted) and the
// result is then passed through bluemonday's UGC allow-list (CASES C05):
// tags are matched case-insensitively, only http, https and mailto links
// survive (javascript:, data: and vbscript: are dropped), and every link gets
// rel="nofollow ugc noopener" as Google's guidance on user-generated links
// asks (https://developers.google.com/search/docs/crawling-indexing/qualify-outbound-links).
// A Renderer is immutable after New and safe for concurrent use.
package markup

import (
	"bytes"
	"html"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// LinkRel is the rel attribute every link in user text carries.
const LinkRel = "nofollow ugc noopener"

// Renderer renders markdown to sanitized HTML.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New returns a Renderer with GitHub-flavoured autolinks and strikethrough.
func New() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(extension.Linkify, extension.Strikethrough),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(relTransformer{}, 100))),
	)
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + LinkRel + `$`)).OnElements("a")
	p.RequireParseableURLs(true)
	return &Renderer{md: md, policy: p}
}

// HTML renders src and returns sanitized HTML. When the markdown cannot be
// rendered it returns src escaped as plain text.
func (r *Renderer) HTML(src string) string {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return html.EscapeString(src)
	}
	return r.policy.Sanitize(buf.String())
}

// relTransformer stamps rel on every link and autolink node.
type relTransformer struct{}

func (relTransformer) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) { //nolint:errcheck // the walker returns no error
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindLink, ast.KindAutoLink:
			n.SetAttributeString("rel", []byte(LinkRel))
		}
		return ast.WalkContinue, nil
	})
}
