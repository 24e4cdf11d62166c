package indicators_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/complaint/workday"
	"github.com/rembug/rembug/forum/messaging"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/forum/tz"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/polls/indicators"
	"github.com/rembug/rembug/realtime/live"
	"github.com/uptrace/bun"
)

// newDB returns a migrated empty database (SQLite, or PostgreSQL when
// REMBUG_TEST_DATABASE_URL is set).
func newDB(t testing.TB) *bun.DB {
	t.Helper()
	db := storagetest.NewDB(t)
	ctx := context.Background()
	for _, m := range []func(context.Context, *bun.DB) error{forum.Migrate, complaint.Migrate, polls.Migrate, live.Migrate, messaging.Migrate, indicators.Migrate} {
		if err := m(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// fixture writes rows with raw SQL so that the tests state exactly what
// the tables hold.
type fixture struct {
	t      testing.TB
	db     *bun.DB
	cons   int64
	agency map[string]int64
	n      int
}

func newFixture(t testing.TB, db *bun.DB) *fixture {
	f := &fixture{t: t, db: db, agency: map[string]int64{}}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.exec(`INSERT INTO consultations (slug, title, description, status, source, source_key, source_url, created_at, updated_at)
		VALUES ('k', 'K', '', 'open', '', '', '', ?, ?)`, now, now)
	f.db.NewRaw(`SELECT id FROM consultations WHERE slug = 'k'`).Scan(context.Background(), &f.cons)
	return f
}

func (f *fixture) exec(q string, args ...any) {
	f.t.Helper()
	if _, err := f.db.NewRaw(q, args...).Exec(context.Background()); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
}

func (f *fixture) participant(key string) int64 {
	f.t.Helper()
	p, err := forum.EnsureParticipant(context.Background(), f.db, "guest", "test", key, time.Now())
	if err != nil {
		f.t.Fatal(err)
	}
	return p.ID
}

func (f *fixture) statement(author *int64, at time.Time) int64 {
	f.n++
	f.exec(`INSERT INTO statements (consultation_id, source_key, author_id, text, hidden, created_at) VALUES (?, ?, ?, 's', FALSE, ?)`,
		f.cons, fmt.Sprint("s", f.n), author, at)
	var id int64
	f.db.NewRaw(`SELECT id FROM statements WHERE source_key = ?`, fmt.Sprint("s", f.n)).Scan(context.Background(), &id)
	return id
}

func (f *fixture) vote(stmt, who int64, at time.Time) {
	f.exec(`INSERT INTO statement_votes (statement_id, participant_id, value, voted_at) VALUES (?, ?, 1, ?)`, stmt, who, at)
}

func (f *fixture) proposal(author int64, at time.Time, supports int, answered *time.Time) int64 {
	f.n++
	key := fmt.Sprint("p", f.n)
	f.exec(`INSERT INTO proposals (consultation_id, author_id, title, body, topics, state, state_reason, status, answer,
		answered_at, supports, source, source_key, created_at, updated_at)
		VALUES (?, ?, 't', 'b', '', 'published', '', 'open', '', ?, ?, 'test', ?, ?, ?)`, f.cons, author, answered, supports, key, at, at)
	var id int64
	f.db.NewRaw(`SELECT id FROM proposals WHERE source_key = ?`, key).Scan(context.Background(), &id)
	return id
}

func (f *fixture) support(prop, who int64, at time.Time) {
	f.exec(`INSERT INTO supports (proposal_id, participant_id, created_at) VALUES (?, ?, ?)`, prop, who, at)
}

func (f *fixture) comment(author int64, at time.Time) {
	f.exec(`INSERT INTO comments (consultation_id, author_id, body, alignment, state, state_reason, source, source_key,
		source_parent, created_at) VALUES (?, ?, 'c', 0, 'published', '', '', '', '', ?)`, f.cons, author, at)
}

// complaintRow is one complaint as the fixture writes it.
type complaintRow struct {
	agency          string
	channel         string
	phone           string
	received        time.Time
	first, answered *time.Time
	closed          *time.Time
	rating          int
	status          complaint.Status
}

func (f *fixture) complaint(c complaintRow) int64 {
	f.t.Helper()
	f.n++
	if c.channel == "" {
		c.channel = "web"
	}
	if c.status == "" {
		c.status = complaint.StatusInProgress
	}
	number := complaint.FormatNumber(c.received.Year(), int64(f.n))
	f.exec(`INSERT INTO complaints (number, status, channel, body, public, confidential, complex, reporter_name, reporter_phone,
		reporter_email, secret_hash, lapor_id, response_bucket, reject_reason, reopen_count, rating, rating_comment, received_at,
		first_response_at, answered_at, closed_at, paused_ns, warned_stage, escalated_stage, updated_at)
		VALUES (?, ?, ?, 'b', FALSE, FALSE, FALSE, '', ?, '', '', '', '', '', 0, ?, '', ?, ?, ?, ?, 0, '', '', ?)`,
		number, c.status, c.channel, c.phone, c.rating, c.received, c.first, c.answered, c.closed, c.received)
	var id int64
	if err := f.db.NewRaw(`SELECT id FROM complaints WHERE number = ?`, number).Scan(context.Background(), &id); err != nil {
		f.t.Fatal(err)
	}
	if c.agency != "" {
		aid, ok := f.agency[c.agency]
		if !ok {
			f.exec(`INSERT INTO complaint_agencies (name, created_at) VALUES (?, ?)`, c.agency, c.received)
			f.db.NewRaw(`SELECT id FROM complaint_agencies WHERE name = ?`, c.agency).Scan(context.Background(), &aid)
			f.agency[c.agency] = aid
		}
		f.exec(`INSERT INTO complaint_routes (complaint_id, agency_id, routed_at) VALUES (?, ?, ?)`, id, aid, c.received)
	}
	return id
}

func source(t testing.TB, db *bun.DB, now time.Time) indicators.Source {
	t.Helper()
	z := tz.Default()
	cal, err := workday.New(z.Loc, nil)
	if err != nil {
		t.Fatal(err)
	}
	return indicators.Source{DB: db, Calendar: func() *workday.Calendar { return cal }, Zone: z.Name, Loc: z.Loc, Now: func() time.Time { return now }}
}

func wib(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, tz.Default().Loc)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func ptr[T any](v T) *T { return &v }

var posInf = math.Inf(1)
