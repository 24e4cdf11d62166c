package web

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// Check is one dependency that /readyz asks before the node takes traffic:
// Name appears in the answer ("database" is always checked; cmd adds
// "redis" and "search"), Ping returns nil when the dependency answers.
type Check struct {
	Name string
	Ping func(context.Context) error
}

// readyTimeout bounds each dependency check of /readyz, so that a load
// balancer's health check never hangs on a dead dependency.
const readyTimeout = 2 * time.Second

// Drain marks the node as leaving: from now on /readyz answers 503
// "draining", so that load balancers stop sending it new requests while the
// ones in flight finish. It does not stop anything else; the caller then
// closes the websockets (realtime.CloseReconnect) and shuts the HTTP server
// down. Calling it twice is harmless.
func (s *Server) Drain() {
	s.draining.Store(true)
}

// handleHealth answers GET /healthz: 200 {"status":"ok","version":...}
// whenever the process serves HTTP, whatever its dependencies do. It is the
// liveness probe (restart the process when it fails), not the readiness
// probe: a node whose database is down must not be restarted for it.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.version})
}

// handleReady answers GET /readyz for load balancers: 200
// {"status":"ok","checks":{"database":"ok",...}} when every dependency
// answers within readyTimeout, 503 with status "unavailable" and the failing
// check "down" otherwise, and 503 {"status":"draining"} once Drain was
// called. The checks run in parallel; their errors go to the log only.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "draining"})
		return
	}
	checks := append([]Check{{Name: "database", Ping: s.db.PingContext}}, s.ready...)
	results := make(map[string]string, len(checks))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, c := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
			defer cancel()
			state := "ok"
			if err := pingWithin(ctx, c.Ping); err != nil {
				state = "down"
				s.log.Warn("readyz: dependency down", "check", c.Name, "err", err)
			}
			mu.Lock()
			results[c.Name] = state
			mu.Unlock()
		}()
	}
	wg.Wait()
	code, status := http.StatusOK, "ok"
	for _, state := range results {
		if state != "ok" {
			code, status = http.StatusServiceUnavailable, "unavailable"
		}
	}
	writeJSON(w, code, map[string]any{"status": status, "checks": results})
}

// pingWithin runs ping and returns its error, or ctx's once ctx is done
// even if ping has not returned: a client library can wait on a host that
// stopped answering longer than the context it was given (go-redis waits
// out its dial timeout on a connection that never answers), and a health
// check must not. The ping goroutine ends when the library gives up.
func pingWithin(ctx context.Context, ping func(context.Context) error) error {
	done := make(chan error, 1)
	go func() { done <- ping(ctx) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
