package live

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rembug/rembug/realtime"
	"github.com/uptrace/bun"
)

// Options tune a Service; zero fields take the defaults given per field.
type Options struct {
	// Now is the clock; default time.Now.
	Now func() time.Time
	// CoalesceInterval bounds counter events to one per question or poll per
	// interval; default 250ms (at most 4 a second).
	CoalesceInterval time.Duration
	// Logger receives publish failures (the data is committed; clients
	// recover it from a snapshot); default discard.
	Logger *slog.Logger
	// CacheTTL is how long this node trusts its cached reads of sessions,
	// consultation visibility and question status (see DefaultCacheTTL);
	// negative disables the cache.
	CacheTTL time.Duration
	// MaxBatch bounds the upvotes committed in one transaction by the
	// node's upvote writer; default 512.
	MaxBatch int
}

// Service runs live sessions: it writes to the database, then publishes on
// the Hub. Create it with NewService and stop it with Close before closing
// the Hub.
type Service struct {
	db       *bun.DB
	hub      *realtime.Hub
	now      func() time.Time
	log      *slog.Logger
	counters *realtime.Coalescer[int64] // key "q:<id>" or "p:<id>", value the session id
	cache    *stateCache
	upvotes  *upvoteWriter

	dirtyMu sync.Mutex
	dirty   map[int64]map[int64]struct{} // session id -> questions whose count changed since the last "upvotes" event
}

// NewService returns a Service on a migrated db publishing through hub
// (nil: nothing is published, for tools and tests of storage only).
func NewService(db *bun.DB, hub *realtime.Hub, opts Options) *Service {
	s := &Service{db: db, hub: hub, now: opts.Now, log: opts.Logger, dirty: map[int64]map[int64]struct{}{}}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.counters = realtime.NewCoalescer(opts.CoalesceInterval, s.flushCounter)
	ttl := opts.CacheTTL
	if ttl == 0 {
		ttl = DefaultCacheTTL
	}
	s.cache = newStateCache(ttl)
	s.upvotes = newUpvoteWriter(s, opts.MaxBatch)
	return s
}

// Close commits the upvotes already submitted, publishes the pending
// counter updates and stops the Service. It returns nil.
func (s *Service) Close() error {
	s.upvotes.close()
	return s.counters.Close()
}

// Hub returns the Hub the Service publishes on (nil when it has none).
func (s *Service) Hub() *realtime.Hub { return s.hub }

// Channel returns the realtime channel of session id: the public one, or
// with mod the moderators' one.
func Channel(id int64, mod bool) string {
	c := "live-" + strconv.FormatInt(id, 10)
	if mod {
		c += ".mod"
	}
	return c
}

// ParseChannel is the inverse of Channel; ok is false for other names.
func ParseChannel(ch string) (id int64, mod bool, ok bool) {
	rest, found := strings.CutPrefix(ch, "live-")
	if !found {
		return 0, false, false
	}
	rest, mod = strings.CutSuffix(rest, ".mod")
	id, err := strconv.ParseInt(rest, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != rest {
		return 0, false, false
	}
	return id, mod, true
}

// publish sends one event after a commit. The request's cancellation does
// not stop it: the change is committed and clients must hear of it.
func (s *Service) publish(ctx context.Context, channel, typ string, v any) {
	if s.hub == nil {
		return
	}
	data, err := json.Marshal(v)
	if err != nil {
		s.log.Error("live: encode event", "type", typ, "err", err)
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if _, err := s.hub.Publish(ctx, channel, typ, data); err != nil {
		s.log.Warn("live: publish", "channel", channel, "type", typ, "err", err)
	}
}

// removed is the public view of a question or poll that is not (or no
// longer) public.
type removed struct {
	ID      int64 `json:"id"`
	Version int64 `json:"version"`
	Removed bool  `json:"removed"`
}

// publishQuestion tells both channels about q's new state.
func (s *Service) publishQuestion(ctx context.Context, q *Question) {
	s.publish(ctx, Channel(q.SessionID, true), "question", q)
	if q.Public() {
		s.publish(ctx, Channel(q.SessionID, false), "question", q)
	} else {
		s.publish(ctx, Channel(q.SessionID, false), "question", removed{ID: q.ID, Version: q.Version, Removed: true})
	}
}

// publishSession tells both channels about the session's own fields.
func (s *Service) publishSession(ctx context.Context, sess *Session) {
	s.publish(ctx, Channel(sess.ID, true), "session", sess)
	s.publish(ctx, Channel(sess.ID, false), "session", sess)
}

// publishPoll tells both channels about p, with its result where visible.
func (s *Service) publishPoll(ctx context.Context, p *Poll) {
	mod, pub, err := s.pollViews(ctx, s.db, p)
	if err != nil {
		s.log.Error("live: poll result", "poll", p.ID, "err", err)
		return
	}
	s.publish(ctx, Channel(p.SessionID, true), "poll", mod)
	if pub != nil {
		s.publish(ctx, Channel(p.SessionID, false), "poll", pub)
	} else {
		s.publish(ctx, Channel(p.SessionID, false), "poll", removed{ID: p.ID, Version: p.Version, Removed: true})
	}
}

// upvoteEvent is one question's count in an "upvotes" event.
type upvoteEvent struct {
	ID      int64 `json:"id"`
	Upvotes int   `json:"upvotes"`
	Version int64 `json:"version"`
}

// upvotesEvent is the data of an "upvotes" event: the committed counts of
// the questions whose count changed since the session's previous one.
type upvotesEvent struct {
	Questions []upvoteEvent `json:"questions"`
}

// flushCounter reads counters back from the database (so events carry the
// committed values, whatever order the writers finished in) and publishes
// them: key "s:<session>" is one "upvotes" event per channel for all the
// session's changed questions, "p:<poll>" a poll's result.
func (s *Service) flushCounter(key string, sessionID int64) {
	ctx := context.Background()
	id, err := strconv.ParseInt(key[2:], 10, 64)
	if err != nil {
		return
	}
	switch key[0] {
	case 's':
		s.dirtyMu.Lock()
		set := s.dirty[id]
		delete(s.dirty, id)
		s.dirtyMu.Unlock()
		if len(set) == 0 {
			return
		}
		ids := make([]int64, 0, len(set))
		for q := range set {
			ids = append(ids, q)
		}
		var qs []Question
		if err := s.db.NewSelect().Model(&qs).Column("id", "status", "upvotes", "version").
			Where("id IN (?)", bun.In(ids)).Order("id").Scan(ctx); err != nil {
			s.log.Warn("live: flush upvotes", "session", id, "err", err)
			return
		}
		mod, pub := upvotesEvent{Questions: []upvoteEvent{}}, upvotesEvent{Questions: []upvoteEvent{}}
		for _, q := range qs {
			ev := upvoteEvent{ID: q.ID, Upvotes: q.Upvotes, Version: q.Version}
			mod.Questions = append(mod.Questions, ev)
			if q.Public() {
				pub.Questions = append(pub.Questions, ev)
			}
		}
		s.publish(ctx, Channel(sessionID, true), "upvotes", mod)
		if len(pub.Questions) > 0 {
			s.publish(ctx, Channel(sessionID, false), "upvotes", pub)
		}
	case 'p':
		var p Poll
		if err := s.db.NewSelect().Model(&p).Where("id = ?", id).Scan(ctx); err != nil {
			s.log.Warn("live: flush poll", "poll", id, "err", err)
			return
		}
		s.publishPoll(ctx, &p)
	}
}

// counter schedules a coalesced counter event: for kind 'q' the session's
// next "upvotes" event (at most one per CoalesceInterval per session, for
// all its questions), for kind 'p' poll id's result.
func (s *Service) counter(kind byte, sessionID, id int64) {
	if s.hub == nil {
		return
	}
	if kind == 'q' {
		s.dirtyMu.Lock()
		if s.dirty[sessionID] == nil {
			s.dirty[sessionID] = map[int64]struct{}{}
		}
		s.dirty[sessionID][id] = struct{}{}
		s.dirtyMu.Unlock()
		s.counters.Set(fmt.Sprintf("s:%d", sessionID), sessionID)
		return
	}
	s.counters.Set(fmt.Sprintf("%c:%d", kind, id), sessionID)
}
