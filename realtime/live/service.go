package live

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
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
}

// NewService returns a Service on a migrated db publishing through hub
// (nil: nothing is published, for tools and tests of storage only).
func NewService(db *bun.DB, hub *realtime.Hub, opts Options) *Service {
	s := &Service{db: db, hub: hub, now: opts.Now, log: opts.Logger}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.counters = realtime.NewCoalescer(opts.CoalesceInterval, s.flushCounter)
	return s
}

// Close publishes the pending counter updates and stops the Service. It
// returns nil.
func (s *Service) Close() error { return s.counters.Close() }

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

// upvoteEvent is the data of a "question.upvotes" event.
type upvoteEvent struct {
	ID      int64 `json:"id"`
	Upvotes int   `json:"upvotes"`
	Version int64 `json:"version"`
}

// flushCounter reads a counter back from the database (so the event carries
// the committed value, whatever order the writers finished in) and
// publishes it.
func (s *Service) flushCounter(key string, sessionID int64) {
	ctx := context.Background()
	id, err := strconv.ParseInt(key[2:], 10, 64)
	if err != nil {
		return
	}
	switch key[0] {
	case 'q':
		var q Question
		if err := s.db.NewSelect().Model(&q).Where("id = ?", id).Scan(ctx); err != nil {
			s.log.Warn("live: flush upvotes", "question", id, "err", err)
			return
		}
		ev := upvoteEvent{ID: q.ID, Upvotes: q.Upvotes, Version: q.Version}
		s.publish(ctx, Channel(sessionID, true), "question.upvotes", ev)
		if q.Public() {
			s.publish(ctx, Channel(sessionID, false), "question.upvotes", ev)
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

// counter schedules a coalesced counter event for question or poll id.
func (s *Service) counter(kind byte, sessionID, id int64) {
	if s.hub == nil {
		return
	}
	s.counters.Set(fmt.Sprintf("%c:%d", kind, id), sessionID)
}
