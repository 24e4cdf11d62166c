package web

import (
	"sync"
	"time"

	"github.com/rembug/rembug/forum"
)

// participantCache maps a live viewer's identity (liveUser) to their
// participant and rights (a loaded forum.Viewer) for a minute, so that
// upvotes and answers do not look them up (or try to create the
// participant) on every request. The mapping is rebuilt from the database
// by any node; it holds no state of its own, and a re-check of live
// access (rights changed) empties it.
type participantCache struct {
	mu  sync.Mutex
	ids map[string]cachedParticipant
}

type cachedParticipant struct {
	v  forum.Viewer
	at time.Time
}

// participantTTL bounds how long a mapping is trusted (a participant
// removed meanwhile makes the next write fail, and the entry expires).
const participantTTL = time.Minute

// maxParticipants bounds the cache; past it the cache starts empty again.
const maxParticipants = 100000

func newParticipantCache() *participantCache {
	return &participantCache{ids: map[string]cachedParticipant{}}
}

func (c *participantCache) get(key string) (forum.Viewer, bool) {
	if key == "" {
		return forum.Viewer{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.ids[key]
	if !ok || time.Since(e.at) > participantTTL {
		return forum.Viewer{}, false
	}
	return e.v, true
}

// forget forgets the mapping of key (a guest merged into an account).
func (c *participantCache) forget(key string) {
	c.mu.Lock()
	delete(c.ids, key)
	c.mu.Unlock()
}

// clear forgets every mapping (rights changed somewhere).
func (c *participantCache) clear() {
	c.mu.Lock()
	c.ids = map[string]cachedParticipant{}
	c.mu.Unlock()
}

func (c *participantCache) put(key string, v forum.Viewer) {
	if key == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.ids) >= maxParticipants {
		c.ids = map[string]cachedParticipant{}
	}
	c.ids[key] = cachedParticipant{v: v, at: time.Now()}
}
