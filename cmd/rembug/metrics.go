package main

import (
	"log/slog"
	"net/http"

	"github.com/rembug/rembug/web"
)

// startMetrics serves the Prometheus metrics at /metrics on addr, a
// listener apart from the site's that only the monitoring network should
// reach (the way Prometheus's own exporters listen on their own port). An
// empty addr starts nothing. It returns a function that stops the
// listener. Errors: the address cannot be listened on.
func startMetrics(addr string, srv *web.Server, log *slog.Logger) (func(), error) {
	if addr == "" {
		return func() {}, nil
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", srv.MetricsHandler())
	return listenAside(addr, mux, "metrics", "/metrics", log)
}
