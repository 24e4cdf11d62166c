package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/meeting"
)

// proposalPage is the data of proposal.html.
type proposalPage struct {
	C      *forum.Consultation
	P      *forum.Proposal
	Author forum.Author
	Image  *proposalImageView // nil when the proposal has none
	Thread []threadRow
	// MoreThreads is how many top-level threads the page leaves out
	// (commentThreads at a time); MoreURL shows the next ones.
	MoreThreads, NextThreads int
	MoreURL                  string
	Counts                   forum.AlignmentCounts
	Stage                    forum.Stage
	Chips                    []featureChip // what the stage lets people do here (part_stage.html)
	Rules                    *forum.Rules
	Supported                bool
	SignedIn                 bool
	Moderator                bool
	Me                       int64
	URL                      string
	Statuses                 []string
	Following                bool
	// FromMeetings are the meetings the proposal came out of that the
	// viewer may read (forum/meeting outcome links).
	FromMeetings []meeting.Meeting
	// OG is the share metadata for the head (og.go), nil when a signed-out
	// visitor may not read the proposal.
	OG *ogMeta
}

// proposalFor loads the {ref} proposal for v, if forum.Can lets v read it.
func (s *Server) proposalFor(r *http.Request, v forum.Viewer) (*forum.Proposal, *forum.Consultation, error) {
	id, err := forum.ProposalIDFromRef(r.PathValue("ref"))
	if err != nil {
		return nil, nil, err
	}
	return forum.ProposalFor(r.Context(), s.db, v, id)
}

// handleProposal shows a proposal, its official answer, supports and its
// comment thread with the forms to take part.
func (s *Server) handleProposal(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v, p, c, err := s.viewerAndProposal(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	d := proposalPage{C: c, P: p, SignedIn: v.User != nil, Me: v.ParticipantID, URL: proposalURL(p), Statuses: forum.AnswerStatuses}
	tree, counts, err := forum.Thread(ctx, s.db, v, c, p)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	shown := commentThreads
	if n, err := strconv.Atoi(r.URL.Query().Get("threads")); err == nil && n > shown {
		shown = n
	}
	if len(tree) > shown {
		d.MoreThreads = len(tree) - shown
		d.NextThreads = min(d.MoreThreads, commentThreads)
		d.MoreURL = "?threads=" + strconv.Itoa(shown+commentThreads) + "#c" + strconv.FormatInt(tree[shown].ID, 10)
		tree = tree[:shown]
	}
	d.Thread, d.Counts = flatten(tree, 0, nil), counts
	as, err := forum.Authors(ctx, s.db, []int64{p.AuthorID})
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	d.Author = as[p.AuthorID]
	ims, err := s.proposalImageViews(r, []forum.Proposal{*p}, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if im, ok := ims[p.ID]; ok {
		d.Image = &im
	}
	if d.Stage, err = forum.StageOf(ctx, s.db, c, s.now()); err != nil {
		s.serveError(w, r, err)
		return
	}
	if d.Chips, err = s.stageChips(ctx, c, d.Stage); err != nil {
		s.serveError(w, r, err)
		return
	}
	if d.Rules, err = forum.RulesOf(ctx, s.db, c.ID); err != nil {
		s.serveError(w, r, err)
		return
	}
	sup, err := forum.Supported(ctx, s.db, v.ParticipantID, []int64{p.ID})
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	d.Supported = sup[p.ID]
	d.Moderator = s.allowed(r, v, forum.ActModerate, c.Item())
	if d.Following, err = forum.Following(ctx, s.db, v, forum.FollowProposal, p.ID); err != nil {
		s.serveError(w, r, err)
		return
	}
	if d.FromMeetings, err = meeting.MeetingsOfProposal(ctx, s.db, v, c, p); err != nil {
		s.serveError(w, r, err)
		return
	}
	d.OG = s.ogFor(r, c, p, d.Stage)
	s.render(w, r, http.StatusOK, "proposal", p.Title, d)
}

// handleSupport records the viewer's support; a repeat is a no-op that
// still redirects (CASES C01), over the limit is a 409 page.
func (s *Server) handleSupport(w http.ResponseWriter, r *http.Request) {
	v, p, c, err := s.viewerAndProposal(r, true)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if r.PostFormValue("withdraw") == "1" {
		_, err = s.forum.Unsupport(r.Context(), v, p)
	} else {
		_, err = s.forum.Support(r.Context(), v, p, c)
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	backTo(w, r, proposalURL(p)+"#support")
}

// handleAnswer stores a moderator's official answer.
func (s *Server) handleAnswer(w http.ResponseWriter, r *http.Request) {
	v, p, c, err := s.viewerAndProposal(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	ds, err := s.forum.SetAnswer(r.Context(), v, c, p, r.PostFormValue("status"), r.PostFormValue("answer"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.deliver(r, ds, c, p, nil)
	http.Redirect(w, r, proposalURL(p)+"#answer", http.StatusSeeOther)
}

// consultationURL is the proposals page of c.
func consultationURL(c *forum.Consultation) string {
	return "/k/" + url.PathEscape(c.Slug) + "/proposals"
}

// threadRow is one comment of a thread in reading order with its depth;
// Indent caps the visual depth so deep threads still fit a phone.
// commentThreads is how many top-level comment threads a proposal page
// shows at first and adds with each "show more" link; the rest are
// collapsed behind it (CONSUL and Decidim page their comments the same
// way, so a long debate does not make a heavy page).
const commentThreads = 20

type threadRow struct {
	*forum.Node
	Depth, Indent int
}

func flatten(ns []*forum.Node, depth int, out []threadRow) []threadRow {
	for _, n := range ns {
		out = append(out, threadRow{Node: n, Depth: depth, Indent: min(depth, 6)})
		out = flatten(n.Replies, depth+1, out)
	}
	return out
}

// proposalMeta is the data of the "proposal-meta" template
// (part_proposal.html): the byline with the date in the reader's zone, the
// official-answer badge and the support progress toward Threshold (none
// when the consultation sets no threshold).
type proposalMeta struct {
	Lang      string
	Day       string
	P         *forum.Proposal
	Author    forum.Author
	Threshold int
}

func proposalMetaOf(pg page, p forum.Proposal, a forum.Author, threshold int) proposalMeta {
	return proposalMeta{Lang: pg.Lang, Day: pg.Day(p.CreatedAt), P: &p, Author: a, Threshold: threshold}
}
