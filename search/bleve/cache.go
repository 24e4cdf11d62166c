package bleve

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/rembug/rembug/search"
)

// browseCacheSize bounds the cached browse results; the cache is emptied
// when it is full (browse keys are few: filters × visibility sets).
const browseCacheSize = 512

// browseCache keeps the results of browse queries (empty text) of a Bleve
// index until the next write. Browsing matches every visible document, so
// Bleve must sort and facet all of them — about 230 ms at 100,000
// documents on two cores — while a text query touches only its matches.
// Browse pages repeat (the search page without words, the filter links)
// and writes are rare next to reads, so a result is reused until any
// Index, Delete or DeleteAll changes the index.
//
// Each entry remembers the write generation it was computed under and is
// served only while no write has happened since; a search that raced a
// write stores nothing. It is safe for concurrent use.
type browseCache struct {
	mu      sync.Mutex
	gen     uint64
	entries map[string]search.Result
}

// generation returns the current write generation.
func (c *browseCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// get returns a copy of the result cached under key.
func (c *browseCache) get(key string) (search.Result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	res, ok := c.entries[key]
	if !ok {
		return search.Result{}, false
	}
	res.Hits = slices.Clone(res.Hits)
	return res, true
}

// put stores res under key if no write happened since generation gen.
func (c *browseCache) put(key string, gen uint64, res search.Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.entries == nil || len(c.entries) >= browseCacheSize {
		c.entries = map[string]search.Result{}
	}
	res.Hits = slices.Clone(res.Hits)
	c.entries[key] = res
}

// invalidate forgets every entry; called after each write.
func (c *browseCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.entries = nil
}

// browseKey identifies a normalized browse query: its filters, sort, page
// and the visibility values its viewer may read (so viewers with the same
// rights share entries, and no entry crosses rights).
func browseKey(q search.Query) string {
	vis := search.VisibleTo(q.Viewer)
	slices.Sort(vis)
	list := func(s []string) string {
		s = slices.Clone(s)
		slices.Sort(s)
		return strings.Join(s, "\x1f")
	}
	return fmt.Sprintf("%s\x1e%s\x1e%s\x1e%d\x1e%s\x1e%d\x1e%d\x1e%s",
		list(q.Kinds), list(q.Topics), list(q.Statuses), q.ConsultationID, q.Sort, q.Page, q.PerPage, strings.Join(vis, "\x1f"))
}
