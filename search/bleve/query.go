package bleve

import (
	"context"
	"fmt"
	"strconv"

	"github.com/rembug/rembug/search"
	"github.com/rembug/rembug/search/analysis"

	blevesearch "github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// filterBoost keeps filter clauses from changing relevance order.
const filterBoost = 1e-6

// typoWeight scales the clauses that match a word one typo away. It is far
// below the exact clauses' boosts (1 and 2) so that documents with the word
// itself rank above near misses even when the near miss is a much rarer
// word in a much shorter text ("taman" against the Spanish "toman"): the
// same order as Meilisearch's "typo" ranking rule, by weight instead of by
// rule.
const typoWeight = 0.01

// Search implements search.Index.Search. The visibility filter is a clause of the
// one Bleve query, so totals and facets count only visible documents.
// Browse results (empty text) are cached until the next write
// (browseCache).
func (b *Index) Search(ctx context.Context, q search.Query) (res search.Result, err error) {
	q, err = search.NormalizeQuery(q)
	if err != nil {
		return search.Result{}, err
	}
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.idx == nil {
		return search.Result{}, search.ErrClosed
	}
	defer search.Recover(&err, "bleve search")
	var key string
	var gen uint64
	if q.Text == "" {
		key, gen = browseKey(q), b.browse.generation()
		if res, ok := b.browse.get(key); ok {
			return res, nil
		}
		defer func() {
			if err == nil {
				b.browse.put(key, gen, res)
			}
		}()
	}
	p := b.an.Parse(q.Text)
	if q.Text != "" && p.None() {
		return search.Result{Hits: []search.Hit{}}, nil // only stop words: nothing to find
	}
	req := blevesearch.NewSearchRequestOptions(b.query(q, p), q.PerPage, (q.Page-1)*q.PerPage, false)
	req.Fields = []string{fKind, fTitle, fBody}
	req.SortByCustom(bleveSort(q.Sort))
	for name, field := range map[string]string{"kind": fKind, "consultation": fConsultation, "topic": fTopics, "status": fStatus} {
		req.AddFacet(name, blevesearch.NewFacetRequest(field, search.FacetSize))
	}
	sr, err := b.idx.SearchInContext(ctx, req)
	if err != nil {
		return search.Result{}, fmt.Errorf("search: bleve search %q: %w", q.Text, err)
	}
	res = search.Result{Total: int(sr.Total), Hits: make([]search.Hit, 0, len(sr.Hits))}
	for _, h := range sr.Hits {
		title, _ := h.Fields[fTitle].(string)
		body, _ := h.Fields[fBody].(string)
		kind, _ := h.Fields[fKind].(string)
		hit := search.Hit{ID: h.ID, Kind: kind, Title: title, Snippet: b.an.Snippet(title, body, p)}
		if q.Text != "" {
			hit.Score = h.Score
		}
		res.Hits = append(res.Hits, hit)
	}
	res.Facets = search.Facets{
		Kinds:         bleveFacet(sr.Facets["kind"]),
		Consultations: bleveFacet(sr.Facets["consultation"]),
		Topics:        bleveFacet(sr.Facets["topic"]),
		Statuses:      bleveFacet(sr.Facets["status"]),
	}
	return res, nil
}

// query is the text query (or match-all) AND the visibility filter AND
// the requested filters.
func (b *Index) query(q search.Query, p analysis.Parsed) query.Query {
	var text query.Query = blevesearch.NewMatchAllQuery()
	if q.Text != "" {
		text = bleveText(p)
	}
	must := []query.Query{text, anyOf(fVisibility, search.VisibleTo(q.Viewer))}
	if len(q.Kinds) > 0 {
		must = append(must, anyOf(fKind, q.Kinds))
	}
	if len(q.Topics) > 0 {
		must = append(must, anyOf(fTopics, q.Topics))
	}
	if len(q.Statuses) > 0 {
		must = append(must, anyOf(fStatus, q.Statuses))
	}
	if q.ConsultationID != 0 {
		must = append(must, anyOf(fConsultation, []string{strconv.FormatInt(q.ConsultationID, 10)}))
	}
	return blevesearch.NewConjunctionQuery(must...)
}

// bleveText matches documents that contain every query word, in the
// Indonesian fields (by stem, or one typo away on the surface form) or in
// the English fields (by stem, or one typo away from the stem); typo
// matches weigh typoWeight of an exact one.
func bleveText(p analysis.Parsed) query.Query {
	var parts []query.Query
	if len(p.ID) > 0 {
		var all []query.Query
		for _, t := range p.ID {
			alts := []query.Query{termQ(fTitleID, t.Stem, 2), termQ(fBodyID, t.Stem, 1)}
			if t.Fuzzy {
				alts = append(alts, fuzzyQ(fWordsID, t.Word, 0.5*typoWeight))
			}
			all = append(all, blevesearch.NewDisjunctionQuery(alts...))
		}
		parts = append(parts, blevesearch.NewConjunctionQuery(all...))
	}
	if len(p.EN) > 0 {
		var all []query.Query
		for _, t := range p.EN {
			alts := []query.Query{termQ(fTitleEN, t.Stem, 2), termQ(fBodyEN, t.Stem, 1)}
			if t.Fuzzy {
				alts = append(alts, fuzzyQ(fTitleEN, t.Stem, 0.5*typoWeight), fuzzyQ(fBodyEN, t.Stem, 0.3*typoWeight))
			}
			all = append(all, blevesearch.NewDisjunctionQuery(alts...))
		}
		parts = append(parts, blevesearch.NewConjunctionQuery(all...))
	}
	return blevesearch.NewDisjunctionQuery(parts...)
}

func termQ(field, term string, boost float64) query.Query {
	q := blevesearch.NewTermQuery(term)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

func fuzzyQ(field, term string, boost float64) query.Query {
	q := blevesearch.NewFuzzyQuery(term)
	q.SetField(field)
	q.SetFuzziness(1)
	q.SetBoost(boost)
	return q
}

// anyOf matches documents whose field holds one of values.
func anyOf(field string, values []string) query.Query {
	qs := make([]query.Query, 0, len(values))
	for _, v := range values {
		qs = append(qs, termQ(field, v, filterBoost))
	}
	return blevesearch.NewDisjunctionQuery(qs...)
}

// bleveSort orders by score, creation time or supports, newest first as the
// tie-breaker. Relevance sorts by score alone, which lets Bleve skip
// loading sort values for every match.
func bleveSort(s string) bsearch.SortOrder {
	created := &bsearch.SortField{Field: fCreated, Desc: true, Type: bsearch.SortFieldAsNumber, Missing: bsearch.SortFieldMissingLast}
	switch s {
	case search.SortNewest:
		return bsearch.SortOrder{created}
	case search.SortSupported:
		supports := &bsearch.SortField{Field: fSupports, Desc: true, Type: bsearch.SortFieldAsNumber, Missing: bsearch.SortFieldMissingLast}
		return bsearch.SortOrder{supports, created}
	}
	return bsearch.SortOrder{&bsearch.SortScore{Desc: true}}
}

func bleveFacet(f *bsearch.FacetResult) []search.FacetCount {
	if f == nil || f.Terms == nil {
		return nil
	}
	var out []search.FacetCount
	for _, t := range f.Terms.Terms() {
		out = append(out, search.FacetCount{Value: t.Term, Count: t.Count})
	}
	return out
}
