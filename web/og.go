package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	_ "image/jpeg" // branding logos are PNG or JPEG
	_ "image/png"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/grapheme"
	"github.com/rembug/rembug/web/ogimage"
)

// Share images (Open Graph) of consultations and proposals: a page a
// signed-out visitor may read names its image, title and description in
// its head; the image is drawn once per title, phase and branding
// (web/ogimage) and served under a URL holding a hash of them, so that it
// is cached for a year and a change makes a new URL.

// ogLang is the language of the image's label: the site's default, since
// the crawlers that fetch it send none.
const ogLang = "id"

// ogMaxCached bounds the images kept in memory (about 60 KB each).
const ogMaxCached = 256

// ogMeta is what a page's head tells link previews (layout.html).
type ogMeta struct {
	Title, Description, URL, Image string
}

// ogData is implemented by the page data that has a share image.
type ogData interface{ openGraph() *ogMeta }

// OpenGraph is the page's share metadata, nil for pages without (or whose
// subject a signed-out visitor may not read).
func (p page) OpenGraph() *ogMeta {
	if d, ok := p.Data.(ogData); ok {
		return d.openGraph()
	}
	return nil
}

func (d consultationPage) openGraph() *ogMeta { return d.OG }
func (d proposalPage) openGraph() *ogMeta     { return d.OG }

// ogCache keeps rendered images by key, the oldest dropped first.
type ogCache struct {
	mu    sync.Mutex
	png   map[string][]byte
	order []string
}

func (c *ogCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.png[key]
	return b, ok
}

func (c *ogCache) put(key string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.png == nil {
		c.png = map[string][]byte{}
	}
	if _, ok := c.png[key]; ok {
		return
	}
	if len(c.order) >= ogMaxCached {
		delete(c.png, c.order[0])
		c.order = c.order[1:]
	}
	c.png[key] = b
	c.order = append(c.order, key)
}

// ogCard is an image's text and its key: a hash of everything drawn.
type ogCard struct {
	card ogimage.Card
	key  string
}

// cardFor describes the image of a consultation (p nil) or of proposal p
// of c in stage: the title, "<kind> · <phase>" and the branding.
func (s *Server) cardFor(ctx context.Context, c *forum.Consultation, p *forum.Proposal, stage forum.Stage) ogCard {
	phase := s.msgs.T(ogLang, "cstatus."+c.Status)
	if stage.Phase != nil {
		phase = s.msgs.T(ogLang, "og.phase", "Phase", s.msgs.T(ogLang, "phase."+stage.Phase.Kind))
	}
	card := ogimage.Card{Title: c.Title, Label: s.msgs.T(ogLang, "og.consultation") + " · " + phase}
	if p != nil {
		card.Title = p.Title
		card.Label = s.msgs.T(ogLang, "og.proposal") + " · " + grapheme.Truncate(c.Title, 40) + " · " + phase
	}
	b := s.brand(ctx)
	card.Site = b.SiteName()
	sum := sha256.Sum256([]byte(strings.Join([]string{"v1", card.Title, card.Label, card.Site, b.LogoURL, b.Color}, "\x00")))
	return ogCard{card: card, key: hex.EncodeToString(sum[:12])}
}

// ogImagePath is the image's path: /og/k/<slug>/<key>.png or
// /og/p/<ref>/<key>.png.
func ogImagePath(c *forum.Consultation, p *forum.Proposal, key string) string {
	if p != nil {
		return "/og/p/" + p.Ref() + "/" + key + ".png"
	}
	return "/og/k/" + c.Slug + "/" + key + ".png"
}

// ogFor returns the share metadata of a consultation's (p nil) or
// proposal's page, whose stage the page has read, nil when a signed-out
// visitor may not read it.
func (s *Server) ogFor(r *http.Request, c *forum.Consultation, p *forum.Proposal, stage forum.Stage) *ogMeta {
	ctx, guest := r.Context(), forum.GuestViewer(0)
	item, title, body, path := c.Item(), c.Title, c.Description, "/k/"+c.Slug
	if p != nil {
		item, title, body, path = p.Item(c), p.Title, p.Body, "/p/"+p.Ref()
	}
	if forum.Can(ctx, guest, forum.ActRead, c.Item()) != nil || (p != nil && forum.Can(ctx, guest, forum.ActRead, item) != nil) {
		return nil
	}
	card := s.cardFor(ctx, c, p, stage)
	return &ogMeta{Title: title, Description: excerpt(s.mk, body, 200), URL: s.publicURL(r, path),
		Image: s.publicURL(r, ogImagePath(c, p, card.key))}
}

// handleOGConsultation serves a consultation's share image.
func (s *Server) handleOGConsultation(w http.ResponseWriter, r *http.Request) {
	c, err := s.consultationFor(r, forum.GuestViewer(0))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.serveCard(w, r, c, nil)
}

// handleOGProposal serves a proposal's share image.
func (s *Server) handleOGProposal(w http.ResponseWriter, r *http.Request) {
	id, err := forum.ProposalIDFromRef(r.PathValue("ref"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	p, c, err := forum.ProposalFor(r.Context(), s.db, forum.GuestViewer(0), id)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.serveCard(w, r, c, p)
}

// serveCard answers for the image of c (or p) that a signed-out visitor
// may read: an old key (the title, phase or branding changed since) is
// redirected to the current one; the current one is drawn once and then
// served from memory, immutable for a year, with its key as ETag.
func (s *Server) serveCard(w http.ResponseWriter, r *http.Request, c *forum.Consultation, p *forum.Proposal) {
	ctx := r.Context()
	if forum.Can(ctx, forum.GuestViewer(0), forum.ActRead, c.Item()) != nil {
		s.serveError(w, r, errs.ErrNotFound)
		return
	}
	stage, err := forum.StageOf(ctx, s.db, c, s.now())
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	card := s.cardFor(ctx, c, p, stage)
	if strings.TrimSuffix(r.PathValue("file"), ".png") != card.key {
		w.Header().Set("Cache-Control", "public, max-age=300")
		http.Redirect(w, r, ogImagePath(c, p, card.key), http.StatusFound)
		return
	}
	etag := `"` + card.key + `"`
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	b, ok := s.og.get(card.key)
	if !ok {
		if card.card.Logo, card.card.Accent, err = s.ogBrandArt(ctx); err != nil {
			s.serveError(w, r, err)
			return
		}
		if b, err = ogimage.Render(card.card); err != nil {
			s.serveError(w, r, err)
			return
		}
		s.og.put(card.key, b)
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}

// ogBrandArt returns the branding's logo (nil without one, or when it does
// not decode) and primary colour (zero for the default).
func (s *Server) ogBrandArt(ctx context.Context) (image.Image, color.RGBA, error) {
	var accent color.RGBA
	b := s.brand(ctx)
	if rgb, ok := forum.ParseColor(b.Color); ok {
		accent = color.RGBA{rgb[0], rgb[1], rgb[2], 0xff}
	}
	if b.LogoURL == "" {
		return nil, accent, nil
	}
	raw, _, err := forum.BrandingLogo(ctx, s.db)
	if err != nil {
		return nil, accent, err
	}
	logo, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		s.log.Warn("share image: logo does not decode", "err", err)
		return nil, accent, nil
	}
	return logo, accent, nil
}
