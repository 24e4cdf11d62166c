package messaging

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/uptrace/bun"
)

func newDB(t *testing.T) *bun.DB {
	t.Helper()
	db := storagetest.NewDB(t)
	if err := Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return db
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func record(t *testing.T, db *bun.DB, id int64) Record {
	t.Helper()
	var r Record
	if err := db.NewSelect().Model(&r).Where("id = ?", id).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return r
}

func deliver(t *testing.T, o *Outbox) int {
	t.Helper()
	n, err := o.DeliverDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestOutboxRetriesUntilProviderRecovers sends through the real Twilio
// client to a provider that is down twice (503, then 429) and then
// recovers: the message waits out the backoff, is sent on the third try,
// exactly once, and its code is erased afterwards.
func TestOutboxRetriesUntilProviderRecovers(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			w.WriteHeader(http.StatusServiceUnavailable)
		case 2:
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(`{"sid":"SM1","status":"queued"}`)) //nolint:errcheck // test server
		}
	}))
	defer srv.Close()
	c := &clock{t: time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)}
	o := NewOutbox(OutboxConfig{DB: db, Now: c.now, Backoff: 10 * time.Second, MaxBackoff: time.Minute,
		Senders: map[Channel]Sender{SMS: &Twilio{AccountSID: "AC1", Password: "p", From: "+15005550006", BaseURL: srv.URL}}})
	if o.Development() || len(o.Channels()) != 1 || !o.Has(SMS) || o.Has(WhatsApp) {
		t.Fatalf("channels %v, development %v", o.Channels(), o.Development())
	}
	id, err := Enqueue(ctx, db, otp, c.now().Add(15*time.Minute), c.now())
	if err != nil {
		t.Fatal(err)
	}
	if n := deliver(t, o); n != 0 || calls.Load() != 1 {
		t.Fatalf("first pass sent %d after %d calls", n, calls.Load())
	}
	r := record(t, db, id)
	if r.State != StatePending || r.Attempts != 1 || r.LastError == "" || r.NotBefore != c.now().Add(10*time.Second).UnixMilli() {
		t.Fatalf("after the outage: %+v", r)
	}
	c.add(9 * time.Second)
	if n := deliver(t, o); n != 0 || calls.Load() != 1 {
		t.Fatalf("tried before the backoff ended: %d calls", calls.Load())
	}
	c.add(time.Second)
	deliver(t, o)
	if r := record(t, db, id); calls.Load() != 2 || r.NotBefore != c.now().Add(20*time.Second).UnixMilli() {
		t.Fatalf("second backoff should double: %+v after %d calls", r, calls.Load())
	}
	c.add(20 * time.Second)
	if n := deliver(t, o); n != 1 || calls.Load() != 3 {
		t.Fatalf("recovered provider: sent %d after %d calls", n, calls.Load())
	}
	r = record(t, db, id)
	if r.State != StateSent || r.Attempts != 3 || r.Body != "" || r.Code != "" || r.FinishedAt.IsZero() || r.LastError != "" {
		t.Fatalf("after sending: %+v", r)
	}
	c.add(time.Hour)
	if n := deliver(t, o); n != 0 || calls.Load() != 3 {
		t.Fatalf("sent again: %d calls", calls.Load())
	}
}

type failing struct{ err error }

func (f failing) Send(context.Context, Message) error { return f.err }

func TestOutboxGivesUp(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	c := &clock{t: time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)}
	down := NewOutbox(OutboxConfig{DB: db, Now: c.now, Backoff: time.Minute, MaxBackoff: 4 * time.Minute, MaxAttempts: 3,
		Senders: map[Channel]Sender{SMS: failing{errors.New("timeout")}, Email: failing{permanent("550 no such user")}}})
	expiring, _ := Enqueue(ctx, db, otp, c.now().Add(90*time.Second), c.now())
	lasting, _ := Enqueue(ctx, db, Message{Channel: SMS, To: "+6281234567890", Body: "Balasan pengaduan"}, time.Time{}, c.now())
	bounced, _ := Enqueue(ctx, db, Message{Channel: Email, To: "x@contoh.test", Subject: "s", Body: "b"}, time.Time{}, c.now())
	deliver(t, down)
	if r := record(t, db, bounced); r.State != StateFailed || r.Attempts != 1 {
		t.Fatalf("permanent failure should not be retried: %+v", r)
	}
	c.add(time.Minute)
	deliver(t, down) // both SMS: attempt 2
	c.add(2 * time.Minute)
	deliver(t, down) // expiring: expired, not sent; lasting: attempt 3 of 3
	if r := record(t, db, expiring); r.State != StateFailed || r.LastError == "" || r.Attempts != 3 {
		t.Fatalf("expired message: %+v", r)
	}
	if r := record(t, db, lasting); r.State != StateFailed || r.Attempts != 3 {
		t.Fatalf("out of attempts: %+v", r)
	}
	for i, want := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 4 * time.Minute} {
		if got := down.Backoff(i + 1); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", i+1, got, want)
		}
	}
	if _, err := Enqueue(ctx, db, Message{Channel: "fax", To: "1", Body: "b"}, time.Time{}, c.now()); !errors.Is(err, ErrPermanent) {
		t.Fatalf("unknown channel: %v", err)
	}
}

type counting struct {
	mu   sync.Mutex
	sent map[string]int
}

func (c *counting) Send(_ context.Context, m Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent[m.To]++
	return nil
}

// TestOutboxSendsOnceAcrossWorkers runs two nodes' workers over one
// database at the same time: every message is sent exactly once.
func TestOutboxSendsOnceAcrossWorkers(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	now := time.Now()
	for i := range 40 {
		if _, err := Enqueue(ctx, db, Message{Channel: Email, To: string(rune('a'+i%26)) + string(rune('0'+i/26)) + "@contoh.test", Body: "b"}, time.Time{}, now); err != nil {
			t.Fatal(err)
		}
	}
	sink := &counting{sent: map[string]int{}}
	var wg sync.WaitGroup
	for range 2 {
		o := NewOutbox(OutboxConfig{DB: db, Senders: map[Channel]Sender{Email: sink}})
		wg.Go(func() {
			if _, err := o.DeliverDue(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if len(sink.sent) != 40 {
		t.Fatalf("sent to %d addresses, want 40", len(sink.sent))
	}
	for to, n := range sink.sent {
		if n != 1 {
			t.Errorf("%s got %d messages", to, n)
		}
	}
}

// TestDevelopmentOutbox: with no sender configured every channel goes to
// the log, and the code stays readable in the outbox for staff.
func TestDevelopmentOutbox(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	o := NewOutbox(OutboxConfig{DB: db})
	if !o.Development() || len(o.Channels()) != 3 {
		t.Fatalf("development %v, channels %v", o.Development(), o.Channels())
	}
	id, _ := Enqueue(ctx, db, otp, time.Now().Add(time.Minute), time.Now())
	if n := deliver(t, o); n != 1 {
		t.Fatalf("sent %d", n)
	}
	rows, err := Recent(ctx, db, 10)
	if err != nil || len(rows) != 1 || rows[0].ID != id || rows[0].Code != "123456" || rows[0].State != StateSent {
		t.Fatalf("recent = %+v, %v", rows, err)
	}
	// Run stops with its context.
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { o.Run(ctx); close(done) }()
	o.Wake()
	cancel()
	<-done
}
