package web

import (
	"net/http"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/locale"
)

// styleColor is one colour token of the design system with its contrast
// against white, as WCAG 2.1 computes it (forum.ContrastRatio).
type styleColor struct {
	Token, Hex, Ratio string
	AA                bool // at least 4.5:1: usable for text on white
}

// styleTokens are the colour tokens of style.css's :root, in its order.
var styleTokens = [][2]string{
	{"--primary", defaultPrimary}, {"--text", "#1a1a1a"}, {"--muted", "#4a4a4a"}, {"--ok", "#1b5e20"},
	{"--danger", "#b71c1c"}, {"--warn", "#7a4b00"}, {"--info", "#0b4a85"}, {"--focus", "#b35c00"},
	{"--chart-1", "#0072b2"}, {"--chart-2", "#d55e00"}, {"--chart-3", "#009e73"}, {"--chart-4", "#cc79a7"}, {"--chart-5", "#6b6b6b"},
}

// handleStyleGuide is /admin/gaya: every component of the design system
// (style.css) rendered once, with its class names, so new pages reuse
// them. Staff only (export on the site: every staff role).
func (s *Server) handleStyleGuide(w http.ResponseWriter, r *http.Request) {
	v, err := s.forumViewer(r, false)
	if err == nil {
		err = forum.Can(r.Context(), v, forum.ActExport, forum.Item{Kind: forum.ItemSite})
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	f := locale.In(info(r).lang)
	var cs []styleColor
	for _, t := range styleTokens {
		rgb, _ := forum.ParseColor(t[1])
		ratio := forum.ContrastRatio(rgb, [3]uint8{255, 255, 255})
		cs = append(cs, styleColor{Token: t[0], Hex: t[1], Ratio: f.Dec(ratio, 2), AA: ratio >= forum.MinPrimaryContrast})
	}
	s.render(w, r, http.StatusOK, "admin_style", s.msgs.T(info(r).lang, "style.title"), struct {
		Colors []styleColor
	}{cs})
}
