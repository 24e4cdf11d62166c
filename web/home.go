package web

import (
	"net/http"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/polls"
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

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	cards, err := s.publicCards(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "home", s.msgs.T(info(r).lang, "home.title"), cards)
}
