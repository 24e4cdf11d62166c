package report

import (
	"context"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// DefaultCacheSize is the number of consultations a Cache keeps when
// NewCache is given 0.
const DefaultCacheSize = 32

// computeTimeout bounds one shared computation; it runs detached from the
// request that started it, so that request's cancellation does not fail
// the readers waiting on the same computation.
const computeTimeout = 2 * time.Minute

// Cache keeps the latest Analysis of recently read consultations (see the
// package comment for the compute-on-read, single-flight policy). It is
// safe for concurrent use.
type Cache struct {
	db     bun.IDB
	set    Settings
	size   int
	maxAge time.Duration

	mu      sync.Mutex
	entries map[int64]*entry
	tick    uint64
}

type entry struct {
	a    *Analysis     // latest finished Analysis, nil before the first
	busy chan struct{} // non-nil while a computation runs; closed when done
	err  error         // error of the last computation
	used uint64
}

// NewCache returns a Cache over db keeping at most size consultations
// (DefaultCacheSize when size ≤ 0), least recently used evicted first. An
// Analysis is served while its Version matches and it is younger than
// set.MaxAge.
func NewCache(db bun.IDB, set Settings, size int) *Cache {
	if size <= 0 {
		size = DefaultCacheSize
	}
	maxAge := set.MaxAge
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	return &Cache{db: db, set: set, size: size, maxAge: maxAge, entries: map[int64]*entry{}}
}

// Get returns an Analysis of consultation cid. When the votes changed since
// the cached Analysis, the first caller recomputes while the others get the
// cached one; with nothing cached, concurrent callers wait for the one
// computation. It returns ctx's error when ctx ends first, and the
// computation's error otherwise.
func (c *Cache) Get(ctx context.Context, cid int64) (*Analysis, error) {
	ver, err := VersionOf(ctx, c.db, cid)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	e := c.entries[cid]
	c.tick++
	if e == nil {
		e = &entry{used: c.tick}
		c.entries[cid] = e
		c.evictLocked()
	}
	e.used = c.tick
	switch {
	case e.a != nil && e.a.Version == ver && time.Since(e.a.At) < c.maxAge:
		a := e.a
		c.mu.Unlock()
		return a, nil
	case e.busy != nil && e.a != nil:
		a := e.a // stale while another caller recomputes
		c.mu.Unlock()
		return a, nil
	case e.busy != nil:
		busy := e.busy
		c.mu.Unlock()
		select {
		case <-busy:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		c.mu.Lock()
		a, err := e.a, e.err
		c.mu.Unlock()
		if a == nil {
			return nil, err
		}
		return a, nil
	}
	busy := make(chan struct{})
	e.busy = busy
	c.mu.Unlock()

	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), computeTimeout)
	a, err := Analyze(cctx, c.db, cid, c.set)
	cancel()
	c.mu.Lock()
	if err == nil {
		e.a = a
	}
	e.err, e.busy = err, nil
	close(busy)
	c.mu.Unlock()
	return a, err
}

// evictLocked drops least recently used idle entries beyond the size.
func (c *Cache) evictLocked() {
	for len(c.entries) > c.size {
		var victim int64
		var oldest uint64
		found := false
		for id, e := range c.entries {
			if e.busy == nil && (!found || e.used < oldest) {
				victim, oldest, found = id, e.used, true
			}
		}
		if !found {
			return
		}
		delete(c.entries, victim)
	}
}
