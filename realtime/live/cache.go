package live

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"github.com/rembug/rembug/forum"
)

// DefaultCacheTTL is how long a node trusts what it read of a session, its
// consultation's visibility and a question's status before reading them
// again. Every node rebuilds these from the database, so a change made on
// another node is seen here within the TTL; changes made on this node are
// seen at once.
const DefaultCacheTTL = time.Second

// stateCache holds recent reads of rarely changing rows, keyed by id, each
// with the (monotonic) time it was read. It holds nothing that is not in
// the database, so a node may drop it at any time.
type stateCache struct {
	ttl time.Duration

	mu            sync.Mutex
	sessions      map[int64]cachedSession
	codes         map[string]int64
	consultations map[int64]cachedConsultation
	questions     map[int64]cachedQuestion
}

type cachedSession struct {
	s  Session
	at time.Time
}

type cachedConsultation struct {
	c      forum.Consultation
	phases []forum.Phase
	at     time.Time
}

// cachedQuestion is what an upvote needs to know of a question.
type cachedQuestion struct {
	sessionID int64
	status    string
	at        time.Time
}

// maxCached bounds each map; past it the map is emptied (a cold node
// simply reads again).
const maxCached = 50000

func newStateCache(ttl time.Duration) *stateCache {
	return &stateCache{ttl: ttl, sessions: map[int64]cachedSession{}, codes: map[string]int64{},
		consultations: map[int64]cachedConsultation{}, questions: map[int64]cachedQuestion{}}
}

func (c *stateCache) fresh(at time.Time) bool { return c.ttl > 0 && time.Since(at) < c.ttl }

// session returns a copy of session id from the cache or the database.
func (c *stateCache) session(ctx context.Context, s *Service, id int64) (*Session, error) {
	c.mu.Lock()
	e, ok := c.sessions[id]
	c.mu.Unlock()
	if ok && c.fresh(e.at) {
		cp := e.s
		return &cp, nil
	}
	sess, err := sessionWhere(ctx, s.db, "id = ?", id)
	if err != nil {
		return nil, err
	}
	c.putSession(sess)
	return sess, nil
}

func (c *stateCache) putSession(sess *Session) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.sessions) >= maxCached {
		c.sessions, c.codes = map[int64]cachedSession{}, map[string]int64{}
	}
	c.sessions[sess.ID] = cachedSession{s: *sess, at: time.Now()}
	c.codes[sess.Code] = sess.ID
}

// forgetSession drops session id, so this node reads it again at once.
func (c *stateCache) forgetSession(id int64) {
	c.mu.Lock()
	delete(c.sessions, id)
	c.mu.Unlock()
}

// consultation returns what the access rule needs of consultation id: its
// id and status, and its phases (for its stage). ErrNotFound when it is
// gone.
func (c *stateCache) consultation(ctx context.Context, s *Service, id int64) (*forum.Consultation, []forum.Phase, error) {
	c.mu.Lock()
	e, ok := c.consultations[id]
	c.mu.Unlock()
	if ok && c.fresh(e.at) {
		cp := e.c
		return &cp, e.phases, nil
	}
	var cons forum.Consultation
	err := s.db.NewSelect().Model(&cons).Column("id", "status").Where("id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	ps, err := forum.Phases(ctx, s.db, id)
	if err != nil {
		return nil, nil, err
	}
	c.mu.Lock()
	if len(c.consultations) >= maxCached {
		c.consultations = map[int64]cachedConsultation{}
	}
	c.consultations[id] = cachedConsultation{c: cons, phases: ps, at: time.Now()}
	c.mu.Unlock()
	return &cons, ps, nil
}

// forgetConsultation drops consultation id, so this node reads it again at
// once (a re-check after its status changed).
func (c *stateCache) forgetConsultation(id int64) {
	c.mu.Lock()
	delete(c.consultations, id)
	c.mu.Unlock()
}

// question returns the session and status of question id. Errors:
// ErrNotFound.
func (c *stateCache) question(ctx context.Context, s *Service, id int64) (cachedQuestion, error) {
	c.mu.Lock()
	e, ok := c.questions[id]
	c.mu.Unlock()
	if ok && c.fresh(e.at) {
		return e, nil
	}
	var q Question
	err := s.db.NewSelect().Model(&q).Column("id", "session_id", "status").Where("id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return cachedQuestion{}, ErrNotFound
	}
	if err != nil {
		return cachedQuestion{}, err
	}
	c.putQuestion(&q)
	return cachedQuestion{sessionID: q.SessionID, status: q.Status}, nil
}

func (c *stateCache) putQuestion(q *Question) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.questions) >= maxCached {
		c.questions = map[int64]cachedQuestion{}
	}
	c.questions[q.ID] = cachedQuestion{sessionID: q.SessionID, status: q.Status, at: time.Now()}
}

// CachedSession returns session id as this node read it at most the cache
// TTL ago (Options.CacheTTL): for authorizing websocket joins and forms,
// not for decisions a transaction must make on current data. Errors:
// ErrNotFound.
func (s *Service) CachedSession(ctx context.Context, id int64) (*Session, error) {
	return s.cache.session(ctx, s, id)
}

// CachedSessionByCode is CachedSession by join code (normalized first).
// Errors: ErrNotFound.
func (s *Service) CachedSessionByCode(ctx context.Context, code string) (*Session, error) {
	code = NormalizeCode(code)
	s.cache.mu.Lock()
	id, ok := s.cache.codes[code]
	s.cache.mu.Unlock()
	if ok {
		return s.cache.session(ctx, s, id)
	}
	sess, err := s.SessionByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	s.cache.putSession(sess)
	return sess, nil
}
