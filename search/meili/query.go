package meili

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/rembug/rembug/search"

	"github.com/meilisearch/meilisearch-go"
)

// Search implements search.Index.Search. The visibility filter is part of the
// Meilisearch filter expression, so totals and facet distributions count
// only visible documents.
func (m *Index) Search(ctx context.Context, q search.Query) (res search.Result, err error) {
	q, err = search.NormalizeQuery(q)
	if err != nil {
		return search.Result{}, err
	}
	defer search.Recover(&err, "meilisearch search")
	p := m.an.Parse(q.Text)
	if q.Text != "" && len(p.ID) == 0 {
		// Only stop words (which Meilisearch would ignore, turning the
		// search into a browse): nothing to find.
		return search.Result{Hits: []search.Hit{}}, nil
	}
	words := make([]string, 0, len(p.ID))
	for _, t := range p.ID {
		words = append(words, t.Stem)
	}
	perPage := int64(q.PerPage)
	req := &meilisearch.SearchRequest{
		Filter:               meiliFilter(q),
		Facets:               []string{"kind", "consultation", "topics", "status"},
		AttributesToRetrieve: []string{"id", "kind", "title", "body"},
		MatchingStrategy:     meilisearch.All,
		HitsPerPage:          &perPage,
		Page:                 int64(q.Page),
		ShowRankingScore:     q.Text != "",
	}
	switch q.Sort {
	case search.SortNewest:
		req.Sort = []string{"created:desc"}
	case search.SortSupported:
		req.Sort = []string{"supports:desc", "created:desc"}
	default:
		if q.Text == "" {
			req.Sort = []string{"created:desc"}
		}
	}
	sr, err := m.index.Search(ctx, strings.Join(words, " "), req)
	if err != nil {
		return search.Result{}, fmt.Errorf("search: meilisearch search %q: %w", q.Text, err)
	}
	res = search.Result{Total: int(sr.TotalHits), Hits: make([]search.Hit, 0, len(sr.Hits))}
	for _, h := range sr.Hits {
		var d struct {
			ID    string  `json:"id"`
			Kind  string  `json:"kind"`
			Title string  `json:"title"`
			Body  string  `json:"body"`
			Score float64 `json:"_rankingScore"`
		}
		if err := h.DecodeInto(&d); err != nil {
			return search.Result{}, fmt.Errorf("search: decode meilisearch hit: %w", err)
		}
		res.Hits = append(res.Hits, search.Hit{ID: d.ID, Kind: d.Kind, Title: d.Title, Snippet: m.an.Snippet(d.Title, d.Body, p), Score: d.Score})
	}
	var dist map[string]map[string]int
	if len(sr.FacetDistribution) > 0 {
		if err := json.Unmarshal(sr.FacetDistribution, &dist); err != nil {
			return search.Result{}, fmt.Errorf("search: decode meilisearch facets: %w", err)
		}
	}
	res.Facets = search.Facets{
		Kinds:         topCounts(dist["kind"], false),
		Consultations: topCounts(dist["consultation"], true),
		Topics:        topCounts(dist["topics"], false),
		Statuses:      topCounts(dist["status"], false),
	}
	return res, nil
}

// meiliFilter is the visibility filter AND the requested filters, as a
// Meilisearch filter expression. Consultation 0 (none) is not a facet value.
func meiliFilter(q search.Query) string {
	parts := []string{"visibility IN " + meiliList(search.VisibleTo(q.Viewer))}
	if len(q.Kinds) > 0 {
		parts = append(parts, "kind IN "+meiliList(q.Kinds))
	}
	if len(q.Topics) > 0 {
		parts = append(parts, "topics IN "+meiliList(q.Topics))
	}
	if len(q.Statuses) > 0 {
		parts = append(parts, "status IN "+meiliList(q.Statuses))
	}
	if q.ConsultationID != 0 {
		parts = append(parts, "consultation = "+strconv.FormatInt(q.ConsultationID, 10))
	}
	return strings.Join(parts, " AND ")
}

// meiliList quotes values as a Meilisearch filter array: ["a", "b\"c"].
func meiliList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// topCounts orders a facet distribution by count, largest first, then by
// value, keeping search.FacetSize; dropZero drops value "0" (no consultation).
func topCounts(dist map[string]int, dropZero bool) []search.FacetCount {
	var out []search.FacetCount
	for v, n := range dist {
		if n > 0 && (v != "0" || !dropZero) {
			out = append(out, search.FacetCount{Value: v, Count: n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	if len(out) > search.FacetSize {
		out = out[:search.FacetSize]
	}
	return out
}
