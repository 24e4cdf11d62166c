package web

import (
	"net/http"
	"net/url"
	"sort"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/realtime/live"
)

// consultationCard is a consultation with its public counts.
type consultationCard struct {
	forum.Consultation
	Counts cardCounts
}

// cardCounts are a card's counts: statement voting (polls.Counts) and
// proposals with their visible comments (forum.ProposalCounts). In JSON
// both sets of fields sit side by side in one object.
type cardCounts struct {
	polls.Counts
	forum.ProposalCounts
}

func (s *Server) publicCards(r *http.Request) ([]consultationCard, error) {
	cs, err := forum.PublicConsultations(r.Context(), s.db)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	counts, err := polls.CountsFor(r.Context(), s.db, ids)
	if err != nil {
		return nil, err
	}
	props, err := forum.ProposalCountsFor(r.Context(), s.db, ids)
	if err != nil {
		return nil, err
	}
	cards := make([]consultationCard, len(cs))
	for i, c := range cs {
		cards[i] = consultationCard{Consultation: c, Counts: cardCounts{Counts: counts[c.ID], ProposalCounts: props[c.ID]}}
	}
	return cards, nil
}

// homeCard is a consultation card of the home page: the consultation
// with its counts, the current phase (nil between phases or without
// phases) and the next one, and whether it takes part now.
type homeCard struct {
	consultationCard
	Phase, Next *forum.Phase
	Open        bool
	Cover       *cardCover // nil without a cover
}

// cardCover is a card's image: the cover made small (forum.CoverThumb) at
// /k/{slug}/sampul, its size in pixels, and its text alternative ("" when
// the admin gave none: the card's title follows it).
type cardCover struct {
	URL, Alt string
	W, H     int
}

// homeLive is a live session running now, with its consultation's title.
type homeLive struct {
	live.Session
	Consultation string
}

// homePage is the data of home.html: live sessions running now, then the
// cards, open consultations first.
type homePage struct {
	Live  []homeLive
	Cards []homeCard
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cards, err := s.publicCards(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	ids := make([]int64, len(cards))
	for i := range cards {
		ids[i] = cards[i].ID
	}
	phases, err := forum.PhasesFor(ctx, s.db, ids)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	v, err := s.forumViewer(r, false)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	var open []int64
	for i := range cards {
		if cards[i].Status == forum.StatusOpen {
			open = append(open, cards[i].ID)
		}
	}
	sessions, err := s.live.svc.OpenSessionsIn(ctx, open)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	covers, err := forum.Covers(ctx, s.db, ids)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	now := s.now()
	var d homePage
	for _, c := range cards {
		hc := homeCard{consultationCard: c, Open: c.Status == forum.StatusOpen}
		if f, ok := covers[c.ID]; ok {
			w, h := forum.ThumbSize(f.Width, f.Height)
			hc.Cover = &cardCover{URL: "/k/" + url.PathEscape(c.Slug) + "/sampul", Alt: f.Alt, W: w, H: h}
		}
		ps := phases[c.ID]
		if st := forum.StageAt(&c.Consultation, ps, now); st.Phase != nil {
			p := *st.Phase
			hc.Phase = &p
		}
		for i := range ps {
			if ps[i].StartsAt.After(now) {
				hc.Next = &ps[i]
				break
			}
		}
		d.Cards = append(d.Cards, hc)
		if !hc.Open {
			continue
		}
		for i := range sessions[c.ID] {
			ls := &sessions[c.ID][i]
			if s.live.svc.Authorize(ctx, v, forum.ActRead, ls) != nil {
				continue
			}
			d.Live = append(d.Live, homeLive{Session: *ls, Consultation: c.Title})
		}
	}
	// Open consultations first, each group in the list's order (newest first).
	sort.SliceStable(d.Cards, func(i, j int) bool { return d.Cards[i].Open && !d.Cards[j].Open })
	s.render(w, r, http.StatusOK, "home", s.msgs.T(info(r).lang, "home.title"), d)
}
