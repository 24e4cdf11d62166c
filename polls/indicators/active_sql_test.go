package indicators

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/messaging"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/forum/tz"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/realtime/live"
	"github.com/uptrace/bun"
)

// randomActions fills a migrated database with n participants acting at
// random over three months around the turn of 2026 (statement votes,
// proposals, comments, supports) and complaints through every channel,
// by signed-in reporters, by phone, by email in mixed case and by nobody
// known; it returns the database and a region for some participants.
func randomActions(t testing.TB, n int) (*bun.DB, map[int64]string) {
	t.Helper()
	ctx := context.Background()
	db := storagetest.NewDB(t)
	for _, m := range []func(context.Context, *bun.DB) error{forum.Migrate, complaint.Migrate, polls.Migrate, live.Migrate, messaging.Migrate, Migrate} {
		if err := m(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.NewRaw(q, args...).Exec(ctx); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)
	when := func() time.Time { return start.Add(time.Duration(rnd.Int64N(int64(100 * 24 * time.Hour)))) }
	exec(`INSERT INTO consultations (slug, title, description, status, source, source_key, source_url, created_at, updated_at)
		VALUES ('k', 'K', '', 'open', '', '', '', ?, ?)`, start, start)
	var cons int64
	db.NewRaw(`SELECT id FROM consultations WHERE slug = 'k'`).Scan(ctx, &cons)
	var stmts []int64
	for i := range 3 {
		exec(`INSERT INTO statements (consultation_id, source_key, author_id, text, hidden, created_at) VALUES (?, ?, NULL, 's', FALSE, ?)`, cons, fmt.Sprint("s", i), start)
		var id int64
		db.NewRaw(`SELECT id FROM statements WHERE source_key = ?`, fmt.Sprint("s", i)).Scan(ctx, &id)
		stmts = append(stmts, id)
	}
	regions := map[int64]string{}
	var pids []int64
	for i := range n {
		p, err := forum.EnsureParticipant(ctx, db, "guest", "test", fmt.Sprint("g", i), start)
		if err != nil {
			t.Fatal(err)
		}
		pids = append(pids, p.ID)
		if i%3 == 0 {
			regions[p.ID] = []string{"Tegalsari", "Genteng"}[i%2]
		}
		for _, s := range stmts {
			if rnd.IntN(3) > 0 {
				exec(`INSERT INTO statement_votes (statement_id, participant_id, value, voted_at) VALUES (?, ?, 1, ?)`, s, p.ID, when())
			}
		}
		if rnd.IntN(4) == 0 {
			at := when()
			exec(`INSERT INTO proposals (consultation_id, author_id, title, body, topics, state, state_reason, status, answer,
				supports, source, source_key, created_at, updated_at) VALUES (?, ?, 't', 'b', '', 'published', '', 'open', '', 0, 'test', ?, ?, ?)`,
				cons, p.ID, fmt.Sprint("p", i), at, at)
		}
		if rnd.IntN(3) == 0 {
			exec(`INSERT INTO comments (consultation_id, author_id, body, alignment, state, state_reason, source, source_key,
				source_parent, created_at) VALUES (?, ?, 'c', 0, 'published', '', '', '', '', ?)`, cons, p.ID, when())
		}
	}
	var props []int64
	db.NewRaw(`SELECT id FROM proposals`).Scan(ctx, &props)
	for _, pr := range props {
		for _, p := range pids[:n/2] {
			if rnd.IntN(5) == 0 {
				exec(`INSERT INTO supports (proposal_id, participant_id, created_at) VALUES (?, ?, ?)`, pr, p, when())
			}
		}
	}
	// Reporters: three signed-in users (one of them also a participant
	// through their account), phones, emails in two spellings, strangers.
	for i := range 3 {
		u := &forum.User{DisplayName: "u", Email: fmt.Sprintf("u%d@contoh.test", i)}
		if err := forumtest.CreateUser(ctx, db, u, start); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if _, err := forum.EnsureParticipant(ctx, db, "user", forum.ParticipantUser, fmt.Sprint(u.ID), start); err != nil {
				t.Fatal(err)
			}
		}
	}
	var users []int64
	db.NewRaw(`SELECT id FROM users ORDER BY id`).Scan(ctx, &users)
	for i := range 60 {
		var uid any
		phone, email := "", ""
		switch i % 5 {
		case 0:
			uid = users[i%3]
		case 1:
			phone = fmt.Sprint("62811", i%4)
		case 2:
			email = []string{"Warga@Contoh.test", "warga@contoh.test", "lain@contoh.test"}[i%3]
		}
		exec(`INSERT INTO complaints (number, status, channel, body, public, confidential, complex, reporter_user_id, reporter_name,
			reporter_phone, reporter_email, secret_hash, lapor_id, response_bucket, reject_reason, reopen_count, rating, rating_comment,
			received_at, paused_ns, warned_stage, escalated_stage, updated_at)
			VALUES (?, 'received', ?, 'b', FALSE, FALSE, FALSE, ?, '', ?, ?, '', '', '', '', 0, 0, '', ?, 0, '', '', ?)`,
			complaint.FormatNumber(2026, int64(i+1)), []string{"web", "whatsapp", "sms", "api", "import"}[i%5], uid, phone, email, when(), start)
	}
	return db, regions
}

// TestActiveInSQLMatchesRows: the SQL aggregation of active users gives
// exactly what counting every action in Go gave (the first implementation,
// kept in actions_rows_test.go), for whole and cut ranges, every
// granularity, and with a kecamatan filter; SQLite and PostgreSQL.
func TestActiveInSQLMatchesRows(t *testing.T) {
	db, regions := randomActions(t, 120)
	ctx := context.Background()
	loc := tz.Default().Loc
	all := []Granularity{Day, Week, Month}
	for _, c := range []struct {
		name     string
		from, to time.Time
		kec      string
	}{
		{"whole", time.Date(2025, 11, 1, 0, 0, 0, 0, loc), time.Date(2026, 3, 1, 0, 0, 0, 0, loc), ""},
		{"cut mid-week", time.Date(2025, 12, 10, 0, 0, 0, 0, loc), time.Date(2026, 1, 21, 0, 0, 0, 0, loc), ""},
		{"kecamatan", time.Date(2025, 11, 1, 0, 0, 0, 0, loc), time.Date(2026, 3, 1, 0, 0, 0, 0, loc), "Tegalsari"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := activeIn(ctx, db, c.from, c.to, loc, all, regions, c.kec)
			if err != nil {
				t.Fatal(err)
			}
			acts, err := loadActions(ctx, db, c.to)
			if err != nil {
				t.Fatal(err)
			}
			if c.kec != "" {
				acts = slices.DeleteFunc(acts, func(a action) bool { return regions[a.who] != c.kec })
			}
			want := activeOf(acts, c.from, c.to, loc, all, regions)
			if got.Total < 10 || !reflect.DeepEqual(got, want) {
				t.Errorf("SQL aggregation differs from counting rows:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

// TestReliabilityInSQLMatchesRows: folding the heartbeats per minute in
// SQL gives exactly what reading every node's row gave (the first
// implementation, kept in reliability_rows_test.go), on random beats of
// three nodes and a probe over a month's turn with gaps and failed probes,
// for a whole and a cut range; SQLite and PostgreSQL.
func TestReliabilityInSQLMatchesRows(t *testing.T) {
	ctx := context.Background()
	db := storagetest.NewDB(t)
	for _, m := range []func(context.Context, *bun.DB) error{forum.Migrate, Migrate} {
		if err := m(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	rnd := rand.New(rand.NewPCG(3, 4))
	start := time.Date(2026, 1, 31, 10, 0, 0, 0, time.UTC)
	for i := range 2 * 24 * 60 {
		at := start.Add(time.Duration(i) * time.Minute)
		for _, node := range []string{"a", "b", "c"} {
			if rnd.IntN(4) == 0 {
				continue
			}
			if err := Beat(ctx, db, node, false, true, at, rnd.Int64N(500), rnd.Int64N(3)); err != nil {
				t.Fatal(err)
			}
		}
		if rnd.IntN(5) == 0 {
			if err := Beat(ctx, db, "probe", true, rnd.IntN(8) > 0, at, 1, 0); err != nil {
				t.Fatal(err)
			}
		}
	}
	loc := tz.Default().Loc
	st := Settings{AvailabilityGoal: 99.5}
	now := start.Add(47 * time.Hour)
	for _, c := range []struct {
		name     string
		from, to time.Time
	}{
		{"whole", time.Date(2026, 1, 1, 0, 0, 0, 0, loc), time.Date(2026, 3, 1, 0, 0, 0, 0, loc)},
		{"cut", start.Add(5*time.Hour + 30*time.Second), start.Add(30 * time.Hour)},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := reliabilityOf(ctx, db, st, c.from, c.to, now, loc)
			if err != nil {
				t.Fatal(err)
			}
			want, err := reliabilityRows(ctx, db, st, c.from, c.to, now, loc)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Outages) < 5 || len(got.Errors5xx) < 2 || !reflect.DeepEqual(got, want) {
				t.Errorf("SQL aggregation differs from reading rows:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}
