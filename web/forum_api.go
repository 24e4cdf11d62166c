package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// apiProposal is one entry of GET /api/v1/consultations/{ref}/proposals;
// Status is "open" until an official answer (forum.Proposal.AnswerStatus).
type apiProposal struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	Supports int    `json:"supports"`
	Comments int    `json:"comments"`
	Status   string `json:"status"`
	Assisted bool   `json:"assisted"` // recorded by an officer for a citizen at the desk (dibantu petugas)
	// Image is the path of the proposal's image (proposal_image.go), with
	// "/kartu" appended for its card image; absent when it has none.
	Image string `json:"image,omitempty"`
}

// handleAPIProposals lists a page of a consultation's visible proposals
// (query parameters as on the page: topic, status, sort, seed, page,
// per_page up to 100, cursor, before). Every sort but random pages by
// cursor (forum.Keyset): the response's Link header (RFC 8288, rel="next"
// and rel="prev") and X-Next-Cursor and X-Prev-Cursor carry the next page
// and the page before; page is ignored for them.
func (s *Server) handleAPIProposals(w http.ResponseWriter, r *http.Request) {
	v, c, err := s.viewerAndConsultation(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	qs := r.URL.Query()
	q := forum.ProposalQuery{Topic: qs.Get("topic"), Status: qs.Get("status"), Sort: qs.Get("sort")}
	q.Page, q.PerPage = atoiOr(qs.Get("page"), 1), atoiOr(qs.Get("per_page"), forum.MaxPerPage)
	q.Seed = int64(atoiOr(qs.Get("seed"), 0))
	q.Cursor, q.Before = qs.Get("cursor"), qs.Get("before")
	page, err := forum.ProposalsFor(r.Context(), s.db, v, c, q)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	images, err := s.proposalImageViews(r, page.Proposals, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	out := make([]apiProposal, len(page.Proposals))
	for i, p := range page.Proposals {
		out[i] = apiProposal{ID: p.ID, Title: p.Title, Supports: p.Supports, Comments: p.Comments, Status: p.AnswerStatus(), Assisted: p.Assisted,
			Image: images[p.ID].URL}
	}
	w.Header().Set("X-Total-Count", strconv.Itoa(page.Total))
	var links []string
	for _, l := range []struct{ rel, param, cursor, header string }{
		{"next", "cursor", page.Next, "X-Next-Cursor"}, {"prev", "before", page.Prev, "X-Prev-Cursor"},
	} {
		if l.cursor == "" {
			continue
		}
		u := *r.URL
		uq := u.Query()
		uq.Del("page")
		uq.Del("cursor")
		uq.Del("before")
		uq.Set(l.param, l.cursor)
		u.RawQuery = uq.Encode()
		w.Header().Set(l.header, l.cursor)
		links = append(links, "<"+u.RequestURI()+`>; rel="`+l.rel+`"`)
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	writeJSON(w, http.StatusOK, out)
}

// apiComment is one node of GET /api/v1/proposals/{id}/comments. A
// removed (hidden or deleted) comment that still has visible replies has
// an empty body, zero counts and removed true.
type apiComment struct {
	ID        int64        `json:"id"`
	Body      string       `json:"body"`
	Alignment string       `json:"alignment"`
	Up        int          `json:"up"`
	Down      int          `json:"down"`
	Edited    bool         `json:"edited,omitempty"`
	Official  bool         `json:"official"` // the author speaks for the organiser (forum.MarkOfficial)
	Removed   bool         `json:"removed,omitempty"`
	Replies   []apiComment `json:"replies"`
}

func apiTree(ns []*forum.Node) []apiComment {
	out := make([]apiComment, 0, len(ns))
	for _, n := range ns {
		if n.Pending {
			continue
		}
		c := apiComment{ID: n.ID, Body: n.Body, Alignment: forum.AlignmentName(n.Alignment), Up: n.Up, Down: n.Down,
			Edited: !n.EditedAt.IsZero(), Removed: n.Removed, Official: n.Author.Official && !n.Removed, Replies: apiTree(n.Replies)}
		out = append(out, c)
	}
	return out
}

// handleAPIComments returns a proposal's visible comment tree.
func (s *Server) handleAPIComments(w http.ResponseWriter, r *http.Request) {
	v, err := s.forumViewer(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	p, c, err := forum.ProposalFor(r.Context(), s.db, v, id)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	tree, _, err := forum.Thread(r.Context(), s.db, v, c, p)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, apiTree(tree))
}

// handleExport sends a consultation's visible proposals and comments to an
// analyst as CSV (formula-safe) or JSON (raw values).
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	v, c, err := s.viewerAndConsultation(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	rows, err := forum.Export(r.Context(), s.db, v, c)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	name := "rembug-" + strconv.FormatInt(c.ID, 10)
	w.Header().Set("Cache-Control", "private, no-store")
	switch r.PathValue("format") {
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		if err := forum.WriteCSV(w, rows); err != nil {
			s.log.Error("export csv", "request_id", info(r).id, "err", err)
		}
	case "json":
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.json"`)
		if rows == nil {
			rows = []forum.ExportRow{}
		}
		json.NewEncoder(w).Encode(rows) //nolint:errcheck // the client went away
	default:
		s.serveError(w, r, errs.ErrNotFound)
	}
}
