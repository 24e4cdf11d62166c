package web

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/search"
)

// maxSearchRunes bounds the words of a search.
const maxSearchRunes = 200

// searchKinds are the kinds a visitor may filter by, in facet order.
var searchKinds = []string{search.KindConsultation, search.KindProposal, search.KindComment, search.KindStatement, search.KindQuestion,
	search.KindDraftUnit, search.KindDraftInput, search.KindComplaint}

// searchRequest is a parsed GET /cari or /api/v1/search query.
type searchRequest struct {
	Q            string
	Kinds        []string
	Topics       []string
	Statuses     []string
	Consultation int64
	Sort         string
	Page         int
}

// parseSearch reads q, kind, topic, status (each repeatable),
// consultation, sort and page. Invalid UTF-8 (CASES C08), over-long words,
// unknown kinds or sorts and bad numbers are errors (400): the request
// never reaches the engine.
func parseSearch(v url.Values) (searchRequest, string) {
	for _, vals := range v {
		for _, s := range vals {
			if !utf8.ValidString(s) {
				return searchRequest{}, "search.error.encoding"
			}
		}
	}
	req := searchRequest{Q: strings.TrimSpace(v.Get("q")), Topics: nonEmpty(v["topic"]), Statuses: nonEmpty(v["status"]),
		Sort: v.Get("sort"), Page: 1}
	if utf8.RuneCountInString(req.Q) > maxSearchRunes {
		return req, "search.error.too_long"
	}
	for _, k := range nonEmpty(v["kind"]) {
		if !slices.Contains(searchKinds, k) {
			return req, "search.error.filter"
		}
		req.Kinds = append(req.Kinds, k)
	}
	if len(req.Topics) > 20 || len(req.Statuses) > 20 {
		return req, "search.error.filter"
	}
	if c := v.Get("consultation"); c != "" {
		id, err := strconv.ParseInt(c, 10, 64)
		if err != nil || id <= 0 {
			return req, "search.error.filter"
		}
		req.Consultation = id
	}
	switch req.Sort {
	case "", search.SortRelevance, search.SortNewest, search.SortSupported:
	default:
		return req, "search.error.filter"
	}
	if p := v.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n*search.DefaultPerPage > search.MaxWindow {
			return req, "search.error.page"
		}
		req.Page = n
	}
	return req, ""
}

func nonEmpty(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" && len(s) <= 200 {
			out = append(out, s)
		}
	}
	return out
}

// searchOutcome is one answered search: the engine's result with its hits
// re-checked against the database.
type searchOutcome struct {
	Req     searchRequest
	Result  search.Result
	Checked search.Checked
}

// searchViewer is the search filter of forum viewer v, and the only place
// one is made: the visibility values of what v reads by the access rule
// ("staff" for those who moderate every consultation, one "group:<id>" per
// focus group whose content v reads, forum.ReadableGroups) and the
// audiences v belongs to for private documents such as complaints
// (forum.SearchReaders: own user, officer agencies, analysts).
func (s *Server) searchViewer(ctx context.Context, v forum.Viewer) (search.Viewer, error) {
	groups, err := forum.ReadableGroups(ctx, s.db, v)
	if err != nil {
		return search.Viewer{}, err
	}
	return search.Viewer{Staff: v.ModeratesAll(), Groups: groups, Readers: forum.SearchReaders(v)}, nil
}

// runSearch answers req for the request's viewer: the viewer's rights
// (staff, focus groups) go into the engine query, and every hit is checked
// against the database before it is shown (CASES C17, C21); hits the
// database no longer allows are dropped and queued for repair.
func (s *Server) runSearch(ctx context.Context, r *http.Request, req searchRequest) (searchOutcome, error) {
	v, err := s.readerViewer(r)
	if err != nil {
		return searchOutcome{}, err
	}
	rights, err := s.searchViewer(ctx, v)
	if err != nil {
		return searchOutcome{}, err
	}
	res, err := s.search.Search(ctx, search.Query{Text: req.Q, Kinds: req.Kinds, Topics: req.Topics, Statuses: req.Statuses,
		ConsultationID: req.Consultation, Sort: req.Sort, Page: req.Page, Viewer: rights})
	if err != nil {
		return searchOutcome{}, err
	}
	checked, err := s.sources.Check(ctx, s.db, rights, res.Hits)
	if err != nil {
		return searchOutcome{}, err
	}
	if len(checked.Stale) > 0 {
		res.Total = max(0, res.Total-len(checked.Stale))
		if err := search.Enqueue(ctx, s.db, checked.Stale...); err != nil {
			s.log.Warn("search: queue repair of stale hits", "ids", checked.Stale, "err", err)
		}
	}
	return searchOutcome{Req: req, Result: res, Checked: checked}, nil
}

// searchError classifies an engine's error: a bad filter is Invalid
// ("search.error.filter"), anything else means the index cannot answer now
// (Unavailable, "search.error.unavailable"; the cause goes to the log).
func searchError(err error) error {
	if errors.Is(err, search.ErrInvalid) {
		return errs.Wrap(errs.Invalid, "search.error.filter", err)
	}
	return errs.Wrap(errs.Unavailable, "search.error.unavailable", err)
}

// handleSearch serves GET /cari: the search page.
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	req, bad := parseSearch(r.URL.Query())
	if bad != "" {
		s.serveError(w, r, errs.E(errs.Invalid, bad, nil))
		return
	}
	if s.search == nil {
		s.serveError(w, r, errs.E(errs.Unavailable, "search.error.unavailable", nil))
		return
	}
	out, err := s.runSearch(r.Context(), r, req)
	if err != nil {
		s.serveError(w, r, searchError(err))
		return
	}
	lang := info(r).lang
	view, err := s.searchView(r.Context(), lang, out)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	title := s.msgs.T(lang, "search.title")
	if req.Q != "" {
		title = s.msgs.T(lang, "search.title_for", "Query", req.Q)
	}
	s.render(w, r, http.StatusOK, "search", title, view)
}

// apiSearchResult is one hit of GET /api/v1/search. Snippet is HTML: the
// text escaped, the matched words in <mark>. ProposalTitle is a comment's
// proposal (plain text).
type apiSearchResult struct {
	ID            string        `json:"id"`
	Kind          string        `json:"kind"`
	Title         string        `json:"title"`
	ProposalTitle string        `json:"proposal_title,omitempty"`
	Snippet       template.HTML `json:"snippet"`
	URL           string        `json:"url"`
	Score         float64       `json:"score,omitempty"`
}

// apiFacet is one facet value and its count.
type apiFacet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// handleAPISearch serves GET /api/v1/search with the page's parameters:
// {query, total, page, per_page, results, facets}. Answers are per viewer
// and never shared (Cache-Control: private, Vary: Cookie).
func (s *Server) handleAPISearch(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Vary", "Cookie")
	req, bad := parseSearch(r.URL.Query())
	if bad != "" {
		s.serveError(w, r, errs.E(errs.Invalid, bad, nil))
		return
	}
	if s.search == nil {
		s.serveError(w, r, errs.E(errs.Unavailable, "search.error.unavailable", nil))
		return
	}
	out, err := s.runSearch(r.Context(), r, req)
	if err != nil {
		s.serveError(w, r, searchError(err))
		return
	}
	results := make([]apiSearchResult, 0, len(out.Checked.Hits))
	for _, h := range out.Checked.Hits {
		rec := out.Checked.Records[h.ID]
		results = append(results, apiSearchResult{ID: h.ID, Kind: h.Kind, Title: rec.Doc.Title, ProposalTitle: rec.ProposalTitle, Snippet: h.Snippet,
			URL: resultURL(rec), Score: h.Score})
	}
	f := out.Result.Facets
	facets := map[string][]apiFacet{"kind": apiFacets(f.Kinds), "consultation": apiFacets(f.Consultations),
		"topic": apiFacets(f.Topics), "status": apiFacets(f.Statuses)}
	writeJSON(w, http.StatusOK, map[string]any{"query": req.Q, "total": out.Result.Total, "page": req.Page,
		"per_page": search.DefaultPerPage, "results": results, "facets": facets})
}

func apiFacets(fs []search.FacetCount) []apiFacet {
	out := make([]apiFacet, 0, len(fs))
	for _, f := range fs {
		out = append(out, apiFacet{Value: f.Value, Count: f.Count})
	}
	return out
}

// resultURL is the page of a search record.
func resultURL(rec search.Record) string {
	if rec.Path != "" {
		return rec.Path
	}
	_, id, _ := search.ParseDocID(rec.Doc.ID)
	k := "/k/" + url.PathEscape(rec.ConsultationSlug)
	switch rec.Doc.Kind {
	case search.KindProposal:
		return "/p/" + strconv.FormatInt(id, 10)
	case search.KindComment:
		if rec.ProposalID != 0 {
			return "/p/" + strconv.FormatInt(rec.ProposalID, 10) + "#c" + strconv.FormatInt(id, 10)
		}
	case search.KindStatement:
		return k + "?view=list"
	case search.KindQuestion:
		return "/live/" + url.PathEscape(rec.SessionCode)
	}
	return k
}
