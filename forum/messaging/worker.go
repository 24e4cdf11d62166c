package messaging

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// Outbox delivers the rows Enqueue wrote, with the configured senders.
type Outbox struct {
	db          *bun.DB
	senders     map[Channel]Sender
	checks      map[string]Check
	dev         bool
	log         *slog.Logger
	now         func() time.Time
	poll, lease time.Duration
	backoff     time.Duration
	maxBackoff  time.Duration
	maxAttempts int
	wake        chan struct{}
	mu          sync.Mutex // serializes DeliverDue on this node
}

// OutboxConfig configures an Outbox. Zero values take the defaults.
type OutboxConfig struct {
	// DB holds the message_outbox table (migrated).
	DB *bun.DB
	// Senders maps each channel to its sender. Channels without a sender
	// are not offered (see Channels). An empty map turns on development
	// mode: Development delivers every channel.
	Senders map[Channel]Sender
	// Log receives failures (and, in development mode, the messages).
	Log *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Poll is how often Run looks for due rows; default 1 s.
	Poll time.Duration
	// Backoff is the delay after the first failure, doubled after each
	// further failure up to MaxBackoff; defaults 5 s and 15 min.
	Backoff, MaxBackoff time.Duration
	// MaxAttempts is how many times a row is tried before it fails for
	// good; default 30 (about five hours with the default backoff).
	MaxAttempts int
	// Checks are the send-time checks by Message.Ref kind: whether the
	// message about row id may still go out (e.g. a complaint not erased
	// since). False drops the message for good; an error retries it.
	Checks map[string]Check
}

// Check decides at send time whether a message about row id may still be
// sent, reading db now.
type Check func(ctx context.Context, db bun.IDB, id int64) (bool, error)

// lease is how long a claimed row stays with the worker sending it; a
// provider request times out well before.
const lease = 2 * time.Minute

// NewOutbox returns an Outbox for cfg; it sends nothing until DeliverDue or
// Run is called.
func NewOutbox(cfg OutboxConfig) *Outbox {
	o := &Outbox{db: cfg.DB, senders: map[Channel]Sender{}, checks: cfg.Checks, log: cfg.Log, now: cfg.Now, poll: cfg.Poll, lease: lease,
		backoff: cfg.Backoff, maxBackoff: cfg.MaxBackoff, maxAttempts: cfg.MaxAttempts, wake: make(chan struct{}, 1)}
	if o.log == nil {
		o.log = slog.Default()
	}
	if o.now == nil {
		o.now = time.Now
	}
	if o.poll <= 0 {
		o.poll = time.Second
	}
	if o.backoff <= 0 {
		o.backoff = 5 * time.Second
	}
	if o.maxBackoff <= 0 {
		o.maxBackoff = 15 * time.Minute
	}
	if o.maxAttempts <= 0 {
		o.maxAttempts = 30
	}
	for ch, s := range cfg.Senders {
		if s != nil {
			o.senders[ch] = s
		}
	}
	if len(o.senders) == 0 {
		o.dev = true
		for _, ch := range []Channel{Email, SMS, WhatsApp} {
			o.senders[ch] = Development{Log: o.log}
		}
	}
	return o
}

// Development reports whether the outbox runs in development mode (no
// sender configured): messages go to the log and stay readable on the
// staff outbox page.
func (o *Outbox) Development() bool { return o.dev }

// Channels lists the channels that have a sender, in the order email,
// SMS, WhatsApp.
func (o *Outbox) Channels() []Channel {
	var out []Channel
	for _, ch := range []Channel{Email, SMS, WhatsApp} {
		if o.senders[ch] != nil {
			out = append(out, ch)
		}
	}
	return out
}

// Has reports whether channel ch has a sender.
func (o *Outbox) Has(ch Channel) bool { return o.senders[ch] != nil }

// Wake makes Run look for due rows now (call it after committing an
// Enqueue); it never blocks.
func (o *Outbox) Wake() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Run delivers due rows until ctx ends, every Poll and whenever woken.
func (o *Outbox) Run(ctx context.Context) {
	t := time.NewTicker(o.poll)
	defer t.Stop()
	for {
		if _, err := o.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			o.log.Error("message outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-o.wake:
		}
	}
}

// Backoff returns the delay before the next try of a row that has failed
// attempts times (attempts ≥ 1): Backoff·2^(attempts−1), at most MaxBackoff.
func (o *Outbox) Backoff(attempts int) time.Duration {
	d := o.backoff
	for i := 1; i < attempts && d < o.maxBackoff; i++ {
		d *= 2
	}
	return min(d, o.maxBackoff)
}

// DeliverDue sends every row that is due now, one at a time, and returns
// how many were sent. Each row is first claimed (its not_before moves to
// the end of a lease in one conditional UPDATE), so a row another node has
// claimed is skipped. A send error reschedules the row with Backoff, or
// fails it for good when permanent, expired or out of attempts; it is
// recorded on the row, not returned. The error is a database error.
func (o *Outbox) DeliverDue(ctx context.Context) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	sent := 0
	for {
		var rows []Record
		now := o.now()
		err := o.db.NewSelect().Model(&rows).Where("state = ? AND not_before <= ?", StatePending, now.UnixMilli()).
			Order("not_before", "id").Limit(50).Scan(ctx)
		if err != nil {
			return sent, fmt.Errorf("messaging: due rows: %w", err)
		}
		if len(rows) == 0 {
			return sent, nil
		}
		claimed := 0
		for i := range rows {
			ok, err := o.deliver(ctx, &rows[i])
			if err != nil {
				return sent, err
			}
			if ok {
				claimed++
			}
			if rows[i].State == StateSent {
				sent++
			}
		}
		if claimed == 0 {
			return sent, nil
		}
	}
}

// deliver claims r and tries it once; it reports whether the claim held.
func (o *Outbox) deliver(ctx context.Context, r *Record) (bool, error) {
	now := o.now()
	res, err := o.db.NewUpdate().Model((*Record)(nil)).
		Set("not_before = ?", now.Add(o.lease).UnixMilli()).Set("attempts = attempts + 1").
		Where("id = ? AND state = ? AND not_before = ?", r.ID, StatePending, r.NotBefore).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("messaging: claim %d: %w", r.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return false, nil
	}
	r.Attempts++
	var sendErr error
	switch s := o.senders[r.Channel]; {
	case r.ExpiresAt != 0 && now.UnixMilli() >= r.ExpiresAt:
		sendErr = permanent("expired before it could be sent")
	case r.Ref != "":
		if sendErr = o.stillDue(ctx, r.Ref); sendErr == nil {
			sendErr = o.send(ctx, s, r)
		}
	case s == nil:
		sendErr = permanent("no sender for channel %q", r.Channel)
	default:
		sendErr = o.send(ctx, s, r)
	}
	q := o.db.NewUpdate().Model((*Record)(nil)).Where("id = ?", r.ID)
	now = o.now()
	switch {
	case sendErr == nil:
		r.State = StateSent
		q = q.Set("state = ?", StateSent).Set("finished_at = ?", now.UTC()).Set("last_error = ''")
		if (r.Code != "" || r.Secret) && !o.dev {
			q = q.Set("body = ''").Set("code = ''") // the code or secret has reached its owner; keep no copy
		}
	case errors.Is(sendErr, ErrPermanent) || r.Attempts >= o.maxAttempts:
		r.State = StateFailed
		o.log.Warn("message failed", "id", r.ID, "channel", r.Channel, "attempts", r.Attempts, "err", sendErr)
		q = q.Set("state = ?", StateFailed).Set("finished_at = ?", now.UTC()).Set("last_error = ?", sendErr.Error())
	default:
		o.log.Warn("message will be retried", "id", r.ID, "channel", r.Channel, "attempts", r.Attempts, "err", sendErr)
		q = q.Set("not_before = ?", now.Add(o.Backoff(r.Attempts)).UnixMilli()).Set("last_error = ?", sendErr.Error())
	}
	// Record the outcome even when ctx ended meanwhile (the node is
	// shutting down): a message the provider took but left pending would
	// be sent again when its lease ends.
	if _, err := q.Exec(context.WithoutCancel(ctx)); err != nil {
		return true, fmt.Errorf("messaging: record %d: %w", r.ID, err)
	}
	return true, nil
}

// send hands r to sender s (nil: no sender for its channel).
func (o *Outbox) send(ctx context.Context, s Sender, r *Record) error {
	if s == nil {
		return permanent("no sender for channel %q", r.Channel)
	}
	return s.Send(ctx, r.Message())
}

// stillDue runs the send-time check of ref ("kind:id"): nil when the
// message may go, a permanent error when it may not (or no check is
// registered for the kind), the check's error to retry.
func (o *Outbox) stillDue(ctx context.Context, ref string) error {
	kind, rest, _ := strings.Cut(ref, ":")
	id, err := strconv.ParseInt(rest, 10, 64)
	check := o.checks[kind]
	if err != nil || check == nil {
		return permanent("no send-time check for %q", ref)
	}
	ok, err := check(ctx, o.db, id)
	if err != nil {
		return fmt.Errorf("send-time check of %s: %w", ref, err)
	}
	if !ok {
		return permanent("%s no longer allows this message at send time", ref)
	}
	return nil
}
