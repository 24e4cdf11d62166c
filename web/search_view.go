package web

import (
	"context"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/search"
)

// searchPage is the data of templates/search.html.
type searchPage struct {
	Q        string
	Total    int
	Results  []searchItem
	Groups   []facetGroup // kind, status, topic: checkboxes
	Places   []facetLink  // consultations: links (one at a time)
	AllPlace facetLink
	Sorts    []facetLink
	Page     int
	Pages    int
	Prev     string
	Next     string
	Filtered bool
	Clear    string // the same words without filters
}

// searchItem is one result; Snippet is escaped text with <mark> tags.
type searchItem struct {
	Kind, Title, URL string
	Snippet          template.HTML
}

// facetGroup is one group of filter checkboxes named Param.
type facetGroup struct {
	Param, Label string
	Options      []facetOption
}

type facetOption struct {
	Value, Label string
	Count        int
	Checked      bool
}

// facetLink is a filter or sort link; Current marks the active one.
type facetLink struct {
	Label   string
	Count   int
	URL     string
	Current bool
}

// values encodes req as a query string's values.
func (req searchRequest) values() url.Values {
	v := url.Values{}
	if req.Q != "" {
		v.Set("q", req.Q)
	}
	v["kind"], v["topic"], v["status"] = req.Kinds, req.Topics, req.Statuses
	if req.Consultation != 0 {
		v.Set("consultation", strconv.FormatInt(req.Consultation, 10))
	}
	if req.Sort != "" {
		v.Set("sort", req.Sort)
	}
	if req.Page > 1 {
		v.Set("page", strconv.Itoa(req.Page))
	}
	return v
}

func (req searchRequest) url() string {
	if q := req.values().Encode(); q != "" {
		return "/cari?" + q
	}
	return "/cari"
}

// label translates key, or returns fallback when the catalog lacks it.
func (s *Server) label(lang, key, fallback string) string {
	if t := s.msgs.T(lang, key); !strings.HasPrefix(t, "!") {
		return t
	}
	return fallback
}

// searchView builds the page data from an answered search.
func (s *Server) searchView(ctx context.Context, lang string, out searchOutcome) (searchPage, error) {
	req, res := out.Req, out.Result
	p := searchPage{Q: req.Q, Total: res.Total, Page: req.Page,
		Filtered: len(req.Kinds)+len(req.Topics)+len(req.Statuses) > 0 || req.Consultation != 0}
	p.Pages = (res.Total + search.DefaultPerPage - 1) / search.DefaultPerPage
	for _, h := range out.Checked.Hits {
		rec := out.Checked.Records[h.ID]
		title := rec.Doc.Title
		if h.Kind == search.KindComment && rec.ProposalTitle != "" {
			title = s.msgs.T(lang, "search.comment_on", "Title", rec.ProposalTitle)
		}
		if title == "" {
			title = s.label(lang, "search.kind."+h.Kind, h.Kind)
		}
		p.Results = append(p.Results, searchItem{Kind: s.label(lang, "search.kind."+h.Kind, h.Kind), Title: title,
			URL: resultURL(rec), Snippet: h.Snippet})
	}
	page := func(n int) string {
		r := req
		r.Page = n
		return r.url()
	}
	if req.Page > 1 {
		p.Prev = page(req.Page - 1)
	}
	if req.Page < p.Pages {
		p.Next = page(req.Page + 1)
	}
	clear := searchRequest{Q: req.Q, Sort: req.Sort}
	p.Clear = clear.url()
	p.Groups = []facetGroup{
		s.facetGroup(lang, "kind", "search.facet.kind", "search.kind.", res.Facets.Kinds, req.Kinds),
		s.facetGroup(lang, "status", "search.facet.status", "search.status.", res.Facets.Statuses, req.Statuses),
		s.facetGroup(lang, "topic", "search.facet.topic", "", res.Facets.Topics, req.Topics),
	}
	for _, so := range []string{search.SortRelevance, search.SortNewest, search.SortSupported} {
		r := req
		r.Sort, r.Page = so, 1
		cur := req.Sort == so || (req.Sort == "" && (so == search.SortRelevance) == (req.Q != ""))
		p.Sorts = append(p.Sorts, facetLink{Label: s.msgs.T(lang, "search.sort."+so), URL: r.url(), Current: cur})
	}
	titles, err := consultationTitles(ctx, s.db, res.Facets.Consultations)
	if err != nil {
		return p, err
	}
	all := req
	all.Consultation, all.Page = 0, 1
	p.AllPlace = facetLink{Label: s.msgs.T(lang, "search.facet.all_consultations"), URL: all.url(), Current: req.Consultation == 0}
	for _, f := range res.Facets.Consultations {
		id, _ := strconv.ParseInt(f.Value, 10, 64)
		r := req
		r.Consultation, r.Page = id, 1
		p.Places = append(p.Places, facetLink{Label: titles[id], Count: f.Count, URL: r.url(), Current: req.Consultation == id})
	}
	return p, nil
}

// facetGroup lists counts as checkboxes; checked values stay listed even
// when they count nothing, so they can be unchecked.
func (s *Server) facetGroup(lang, param, labelKey, valuePrefix string, counts []search.FacetCount, checked []string) facetGroup {
	g := facetGroup{Param: param, Label: s.msgs.T(lang, labelKey)}
	label := func(v string) string {
		if valuePrefix == "" {
			return v
		}
		return s.label(lang, valuePrefix+v, v)
	}
	for _, c := range counts {
		g.Options = append(g.Options, facetOption{Value: c.Value, Label: label(c.Value), Count: c.Count, Checked: slices.Contains(checked, c.Value)})
	}
	for _, v := range checked {
		if !slices.ContainsFunc(g.Options, func(o facetOption) bool { return o.Value == v }) {
			g.Options = append(g.Options, facetOption{Value: v, Label: label(v), Checked: true})
		}
	}
	return g
}

// consultationTitles maps the consultation ids of a facet to their titles.
func consultationTitles(ctx context.Context, db bun.IDB, facet []search.FacetCount) (map[int64]string, error) {
	var ids []int64
	for _, f := range facet {
		if id, err := strconv.ParseInt(f.Value, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID    int64  `bun:"id"`
		Title string `bun:"title"`
	}
	if err := db.NewRaw("SELECT id, title FROM consultations WHERE id IN (?)", bun.In(ids)).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("consultation titles: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.Title
	}
	return out, nil
}
