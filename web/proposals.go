package web

import (
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"

	"github.com/rembug/rembug/forum"
)

// proposalsPage is the data of proposals.html: one page of a space's
// proposals with filters, sorts and pagination links.
type proposalsPage struct {
	C         *forum.Consultation
	Group     *forum.FocusGroup
	Groups    []forum.FocusGroup
	Stage     forum.Stage
	Chips     []featureChip // what the stage lets people do here (part_stage.html)
	Rules     *forum.Rules
	List      forum.ProposalPage
	Query     forum.ProposalQuery
	Supported map[int64]bool
	Authors   map[int64]forum.Author      // by participant id
	Images    map[int64]proposalImageView // card images, by proposal id
	Base      string
	SortLinks []sortLink
	Prev      string
	Next      string
	First     string // a Keyset sort past its first page: link back to it
	Keyset    bool
	SignedIn  bool
	Moderator bool
	Statuses  []string
}

type sortLink struct {
	Sort, URL string
	Current   bool
}

// handleProposals lists a consultation's proposals (or a focus group's,
// with ?group=) with topic and status filters and four sorts; the random
// sort carries its seed in every link so pages never repeat or skip.
func (s *Server) handleProposals(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v, c, err := s.viewerAndConsultation(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	qs := r.URL.Query()
	q := forum.ProposalQuery{Topic: qs.Get("topic"), Status: qs.Get("status"), Sort: qs.Get("sort")}
	q.Page, _ = strconv.Atoi(qs.Get("page"))
	q.Cursor = qs.Get("cursor")
	q.Before = qs.Get("before")
	q.Seed, _ = strconv.ParseInt(qs.Get("seed"), 10, 64)
	if q.Sort == forum.SortRandom && q.Seed == 0 {
		q.Seed = rand.Int64N(1<<31-1) + 1
	}
	data := proposalsPage{C: c, Query: q, Statuses: append(append([]string{forum.AnswerOpen}, forum.AnswerStatuses...), forum.StatusArchivedProposal), SignedIn: v.User != nil, Base: "/k/" + url.PathEscape(c.Slug) + "/proposals"}
	if g, _ := strconv.ParseInt(qs.Get("group"), 10, 64); g != 0 {
		if data.Group, err = forum.FocusGroupByID(ctx, s.db, v, c, g); err != nil {
			s.serveError(w, r, err)
			return
		}
		q.GroupID = g
	}
	if data.List, err = forum.ProposalsFor(ctx, s.db, v, c, q); err != nil {
		s.serveError(w, r, err)
		return
	}
	ids := make([]int64, len(data.List.Proposals))
	authors := make([]int64, len(data.List.Proposals))
	for i, p := range data.List.Proposals {
		ids[i], authors[i] = p.ID, p.AuthorID
	}
	if data.Authors, err = forum.Authors(ctx, s.db, authors); err != nil {
		s.serveError(w, r, err)
		return
	}
	if data.Images, err = s.proposalImageViews(r, data.List.Proposals, true); err != nil {
		s.serveError(w, r, err)
		return
	}
	if data.Supported, err = forum.Supported(ctx, s.db, v.ParticipantID, ids); err != nil {
		s.serveError(w, r, err)
		return
	}
	if data.Stage, err = forum.StageOf(ctx, s.db, c, s.now()); err != nil {
		s.serveError(w, r, err)
		return
	}
	if data.Chips, err = s.stageChips(ctx, c, data.Stage); err != nil {
		s.serveError(w, r, err)
		return
	}
	if data.Rules, err = forum.RulesOf(ctx, s.db, c.ID); err != nil {
		s.serveError(w, r, err)
		return
	}
	if data.Groups, err = forum.FocusGroupsFor(ctx, s.db, v, c); err != nil {
		s.serveError(w, r, err)
		return
	}
	data.Moderator = s.allowed(r, v, forum.ActModerate, c.Item())
	link := func(sort string, page int, cursor, before string) string {
		u := url.Values{}
		for k, val := range map[string]string{"topic": q.Topic, "status": q.Status, "sort": sort} {
			if val != "" {
				u.Set(k, val)
			}
		}
		if q.GroupID != 0 {
			u.Set("group", strconv.FormatInt(q.GroupID, 10))
		}
		if sort == forum.SortRandom {
			u.Set("seed", strconv.FormatInt(q.Seed, 10))
		}
		if page > 1 {
			u.Set("page", strconv.Itoa(page))
		}
		if cursor != "" {
			u.Set("cursor", cursor)
		}
		if before != "" {
			u.Set("before", before)
		}
		if len(u) == 0 {
			return data.Base
		}
		return data.Base + "?" + u.Encode()
	}
	for _, so := range forum.Sorts {
		cur := so == q.Sort || (q.Sort == "" && so == forum.SortNewest)
		data.SortLinks = append(data.SortLinks, sortLink{Sort: so, URL: link(so, 1, "", ""), Current: cur})
	}
	// Every sort but the seeded random one pages by cursor, both ways
	// (see forum.ListProposals for what that guarantees); its first page
	// is the sort link.
	switch {
	case forum.Keyset(q.Sort):
		data.Keyset = true
		if data.List.Next != "" {
			data.Next = link(q.Sort, 0, data.List.Next, "")
		}
		if data.List.Prev != "" {
			data.Prev = link(q.Sort, 0, "", data.List.Prev)
		}
		if q.Cursor != "" || q.Before != "" {
			data.First = link(q.Sort, 1, "", "")
		}
	default:
		if data.List.Page > 1 {
			data.Prev = link(q.Sort, data.List.Page-1, "", "")
		}
		if data.List.Page < data.List.Pages() {
			data.Next = link(q.Sort, data.List.Page+1, "", "")
		}
	}
	s.render(w, r, http.StatusOK, "proposals", s.msgs.T(info(r).lang, "proposals.title")+" · "+c.Title, data)
}

// handleProposalForm shows the form for a new proposal.
func (s *Server) handleProposalForm(w http.ResponseWriter, r *http.Request) {
	v, c, err := s.viewerAndConsultation(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	group, _ := strconv.ParseInt(r.URL.Query().Get("group"), 10, 64)
	s.render(w, r, http.StatusOK, "proposal_new", s.msgs.T(info(r).lang, "proposals.new"),
		map[string]any{"C": c, "Group": group, "SignedIn": v.User != nil})
}

// handleProposalCreate stores a new proposal from the form and shows it.
func (s *Server) handleProposalCreate(w http.ResponseWriter, r *http.Request) {
	v, c, err := s.viewerAndConsultation(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	img, err := proposalImageInput(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	group, _ := strconv.ParseInt(r.PostFormValue("group"), 10, 64)
	in := forum.ProposalInput{Title: r.PostFormValue("title"), Body: r.PostFormValue("body"), Topics: r.PostFormValue("topics"),
		GroupID: group, Image: img}
	p, ds, err := s.forum.CreateProposal(r.Context(), v, c, in)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.deliver(r, ds, c, p, nil)
	http.Redirect(w, r, proposalURL(p), http.StatusSeeOther)
}
