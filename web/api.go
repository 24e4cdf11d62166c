package web

import (
	"net/http"

	"github.com/rembug/rembug/polls"
)

// apiConsultation is one entry of GET /api/v1/consultations; counts holds
// statements, participants, votes, proposals and comments.
type apiConsultation struct {
	ID     int64      `json:"id"`
	Slug   string     `json:"slug"`
	Title  string     `json:"title"`
	Counts cardCounts `json:"counts"`
}

func (s *Server) handleAPIConsultations(w http.ResponseWriter, r *http.Request) {
	cards, err := s.publicCards(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	out := make([]apiConsultation, len(cards))
	for i, c := range cards {
		out[i] = apiConsultation{ID: c.ID, Slug: c.Slug, Title: c.Title, Counts: c.Counts}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleAPIStatements(w http.ResponseWriter, r *http.Request) {
	c, err := s.readableConsultation(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	ts, err := polls.Tallies(r.Context(), s.db, c.ID)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if ts == nil {
		ts = []polls.StatementTally{}
	}
	writeJSON(w, http.StatusOK, ts)
}
