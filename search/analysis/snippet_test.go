package analysis

import (
	"html"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rembug/rembug/forum/grapheme"
)

// TestSnippetKeepsGraphemesWhole cuts snippets out of bodies made of long
// runs of emoji without spaces, so the cut falls inside the run: the snippet
// must start and end on grapheme-cluster boundaries, never leaving half of
// a ZWJ family, a flag or a skin-toned emoji.
func TestSnippetKeepsGraphemesWhole(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, unit string }{
		{"zwj family", "👨‍👩‍👧‍👦"},
		{"flag", "🇮🇩"},
		{"skin tone", "👍🏽"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := strings.Repeat(tc.unit, 60)
			for lead := 0; lead < 8; lead++ {
				body := strings.Repeat("x", lead) + run + " taman " + run
				got := html.UnescapeString(string(a.Snippet("", body, a.Parse("taman"))))
				got = strings.NewReplacer("<mark>", "", "</mark>", "").Replace(got)
				if !utf8.ValidString(got) {
					t.Fatalf("lead %d: invalid UTF-8 in %q", lead, got)
				}
				inner := strings.TrimSuffix(strings.TrimPrefix(got, grapheme.Ellipsis), grapheme.Ellipsis)
				if !strings.Contains(inner, "taman") {
					t.Fatalf("lead %d: snippet lost the match: %q", lead, got)
				}
				for _, part := range strings.Split(inner, " ") {
					part = strings.TrimLeft(part, "x")
					if strings.ReplaceAll(part, tc.unit, "") != "" && part != "taman" {
						t.Fatalf("lead %d: snippet cut inside a cluster: %q", lead, part)
					}
				}
			}
		})
	}
}
