package web

import (
	"sync"
	"time"
)

// participantCache maps a live viewer's identity (liveUser) to their
// participant id for a minute, so that upvotes and answers do not look the
// participant up (or try to create it) on every request. The mapping is
// rebuilt from the database by any node; it holds no state of its own.
type participantCache struct {
	mu  sync.Mutex
	ids map[string]cachedParticipant
}

type cachedParticipant struct {
	id int64
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

func (c *participantCache) get(key string) (int64, bool) {
	if key == "" {
		return 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.ids[key]
	if !ok || time.Since(e.at) > participantTTL {
		return 0, false
	}
	return e.id, true
}

func (c *participantCache) put(key string, id int64) {
	if key == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.ids) >= maxParticipants {
		c.ids = map[string]cachedParticipant{}
	}
	c.ids[key] = cachedParticipant{id: id, at: time.Now()}
}
