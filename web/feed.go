package web

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/grapheme"
	"github.com/rembug/rembug/forum/locale"
	"github.com/rembug/rembug/forum/meeting"
	"github.com/rembug/rembug/forum/tz"
)

// Atom feeds (RFC 4287) for feed readers and the pemda's own site: the
// site feed of consultations and published reports (/feed.atom), and a
// consultation's feed of meeting announcements, official answers to
// proposals and its published report (/k/{ref}/feed.atom). A feed URL is
// public and gets shared, so every entry is checked with forum.Can for a
// guest, whoever asks: focus-group meetings and proposals, hidden or
// pending content, drafts and unpublished reports never appear.

// feedEntries bounds a feed's length.
const feedEntries = 50

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	ID        string   `xml:"id"`
	Title     string   `xml:"title"`
	Updated   string   `xml:"updated"`
	Published string   `xml:"published,omitempty"`
	Link      atomLink `xml:"link"`
	Category  *struct {
		Term string `xml:"term,attr"`
	} `xml:"category,omitempty"`
	Summary *atomText `xml:"summary,omitempty"`
	at      time.Time
}

type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string   `xml:"xml:lang,attr"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// entry makes an entry for path with a tag id of the site's host.
func (s *Server) entry(r *http.Request, kind string, id int64, title, path, summary string, at time.Time) atomEntry {
	e := atomEntry{ID: s.publicURL(r, path) + "#" + kind + "-" + fmt.Sprint(id), Title: title, Updated: atomTime(at),
		Link: atomLink{Href: s.publicURL(r, path), Rel: "alternate", Type: "text/html"}, at: at}
	e.Category = &struct {
		Term string `xml:"term,attr"`
	}{kind}
	if summary != "" {
		e.Summary = &atomText{Type: "text", Body: grapheme.Truncate(summary, 400)}
	}
	return e
}

// serveFeed writes the feed, entries newest first, at most feedEntries.
func (s *Server) serveFeed(w http.ResponseWriter, r *http.Request, title, path string, es []atomEntry) {
	sort.SliceStable(es, func(i, j int) bool { return es[i].at.After(es[j].at) })
	if len(es) > feedEntries {
		es = es[:feedEntries]
	}
	f := atomFeed{Lang: info(r).lang, ID: s.publicURL(r, path), Title: title, Updated: atomTime(s.now()), Entries: es,
		Links: []atomLink{{Href: s.publicURL(r, path), Rel: "self", Type: "application/atom+xml"}, {Href: s.publicURL(r, "/"), Rel: "alternate", Type: "text/html"}}}
	if len(es) > 0 {
		f.Updated = es[0].Updated
	}
	// The author is the pemda that runs the site (RFC 4287 4.2.1): its
	// branding name, else the generic "Local government".
	f.Author.Name = s.brand(r.Context()).Name
	if f.Author.Name == "" {
		f.Author.Name = s.msgs.T(info(r).lang, "feed.author")
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write([]byte(xml.Header))
	enc := xml.NewEncoder(w)
	if err := enc.Encode(f); err != nil {
		s.log.Error("feed", "path", path, "err", err)
	}
}

// handleSiteFeed is the site's feed: public consultations and published reports.
func (s *Server) handleSiteFeed(w http.ResponseWriter, r *http.Request) {
	ctx, guest, lang, mk := r.Context(), forum.GuestViewer(0), info(r).lang, s.mk
	cs, err := forum.PublicConsultations(ctx, s.db)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	var es []atomEntry
	for i := range cs {
		c := &cs[i]
		if forum.Can(ctx, guest, forum.ActRead, c.Item()) != nil {
			continue
		}
		es = append(es, s.entry(r, "consultation", c.ID, c.Title, "/k/"+c.Slug, mk.Text(c.Description), c.CreatedAt))
		if rep, ok := s.reportEntry(ctx, r, guest, c, lang); ok {
			es = append(es, rep)
		}
	}
	s.serveFeed(w, r, s.msgs.T(lang, "feed.site_title"), "/feed.atom", es)
}

// reportEntry is the entry of c's report when a guest may read it.
func (s *Server) reportEntry(ctx context.Context, r *http.Request, guest forum.Viewer, c *forum.Consultation, lang string) (atomEntry, bool) {
	if forum.Can(ctx, guest, forum.ActRead, forum.Item{Kind: forum.ItemReport, Consultation: c, Published: c.ReportPublished}) != nil {
		return atomEntry{}, false
	}
	return s.entry(r, "report", c.ID, s.msgs.T(lang, "feed.report", "Title", c.Title), "/k/"+c.Slug+"/report", "", c.UpdatedAt), true
}

// handleConsultationFeed is a consultation's feed: meetings announced,
// official answers to proposals, its published report.
func (s *Server) handleConsultationFeed(w http.ResponseWriter, r *http.Request) {
	ctx, guest, lang, mk := r.Context(), forum.GuestViewer(0), info(r).lang, s.mk
	c, err := forum.ConsultationByRef(ctx, s.db, r.PathValue("ref"))
	if err == nil {
		err = forum.Can(ctx, guest, forum.ActRead, c.Item())
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	var es []atomEntry
	ms, err := meeting.Meetings(ctx, s.db, guest, c)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	for _, m := range ms {
		title := s.msgs.T(lang, "feed.meeting", "Title", m.Title, "When", locale.For(lang, tz.Default()).Time(m.StartsAt))
		es = append(es, s.entry(r, "meeting", m.ID, title, meeting.Path(c.Slug, m.ID), mk.Text(m.Agenda), m.CreatedAt))
	}
	var ps []forum.Proposal
	if err := s.db.NewSelect().Model(&ps).Where("consultation_id = ? AND answer <> '' AND answered_at IS NOT NULL", c.ID).
		OrderExpr("answered_at DESC").Limit(feedEntries * 2).Scan(ctx); err != nil {
		s.serveError(w, r, err)
		return
	}
	for i := range ps {
		p := &ps[i]
		if forum.Can(ctx, guest, forum.ActRead, p.Item(c)) != nil {
			continue
		}
		title := s.msgs.T(lang, "feed.answer", "Title", p.Title, "Status", s.msgs.T(lang, "status."+p.AnswerStatus()))
		es = append(es, s.entry(r, "answer", p.ID, title, "/p/"+p.Ref(), mk.Text(p.Answer), p.AnsweredAt))
	}
	if rep, ok := s.reportEntry(ctx, r, guest, c, lang); ok {
		es = append(es, rep)
	}
	s.serveFeed(w, r, c.Title, "/k/"+c.Slug+"/feed.atom", es)
}
