package web

import "net/http"

// routes lists every route once.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleHome)
	mux.HandleFunc("GET /k/{ref}", s.handleConsultation)
	mux.HandleFunc("POST /k/{ref}/vote", s.handleVote)
	mux.HandleFunc("GET /k/{ref}/results", s.handleResults)

	mux.HandleFunc("GET /api/v1/consultations", s.handleAPIConsultations)
	mux.HandleFunc("GET /api/v1/consultations/{ref}/statements", s.handleAPIStatements)

	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.Handle("GET /metrics", s.metrics.handler())
	mux.Handle("GET /static/", s.static)
	mux.HandleFunc("/", s.handleNotFound)
	return mux
}
