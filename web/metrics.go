package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/uptrace/bun"
)

// metrics is the Server's own Prometheus registry: requests by route and
// status, latency histograms by route, the database pool and Go runtime.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(db *bun.DB, version string) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rembug_http_requests_total", Help: "HTTP requests by route pattern, method and status code.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "rembug_http_request_duration_seconds", Help: "HTTP request latency in seconds by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "rembug_build_info", Help: "Always 1; the version label says which build runs.",
		ConstLabels: prometheus.Labels{"version": version},
	})
	build.Set(1)
	m.reg.MustRegister(m.requests, m.latency, build,
		collectors.NewDBStatsCollector(db.DB, "rembug"),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) observe(route, method string, status int, d time.Duration) {
	if status == 0 {
		status = http.StatusOK
	}
	m.requests.WithLabelValues(route, method, statusText(status)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// MetricsHandler serves the Prometheus exposition of the Server's metrics
// with no check of its own, for a listener apart from the site's (cmd's
// REMBUG_METRICS_ADDR) that only the monitoring network reaches.
func (s *Server) MetricsHandler() http.Handler { return s.metrics.handler() }

// handleMetrics is /metrics on the public listener. Without a configured
// token it does not exist there (404): metrics name routes, pool sizes and
// traffic, which are not for the public. With Config.MetricsToken it
// answers a request carrying "Authorization: Bearer <token>" (RFC 6750
// section 2.1; Prometheus's scrape_config "authorization" sends it) and
// 401 with a WWW-Authenticate challenge to any other.
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	if s.metricsToken == "" {
		http.NotFound(w, r)
		return
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	// Compare digests so that neither the content nor the length of the
	// token leaks through timing.
	a, b := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(s.metricsToken))
	if !ok || subtle.ConstantTimeCompare(a[:], b[:]) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="rembug metrics"`)
		http.Error(w, http.StatusText(http.StatusUnauthorized), http.StatusUnauthorized)
		return
	}
	s.metrics.handler().ServeHTTP(w, r)
}
