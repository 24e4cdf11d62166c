package live_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/realtime"
	"github.com/rembug/rembug/realtime/live"
	"github.com/uptrace/bun"
)

// openShared opens two connection pools on one database, as two nodes do:
// a fresh PostgreSQL schema when REMBUG_TEST_DATABASE_URL is set, otherwise
// one SQLite file.
func openShared(t *testing.T) (*bun.DB, *bun.DB) {
	t.Helper()
	cfg := storage.Config{URL: storagetest.URL(t), DataDir: t.TempDir(), MaxOpenConns: 8}
	var dbs [2]*bun.DB
	for i := range dbs {
		db, err := storage.Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	migrate(t, dbs[0])
	return dbs[0], dbs[1]
}

func redisBroker(t *testing.T, prefix string) realtime.Broker {
	t.Helper()
	url := os.Getenv("REMBUG_TEST_REDIS_URL")
	if url == "" {
		t.Skip("REMBUG_TEST_REDIS_URL not set (CI starts Redis on 6399); skipping the two-node test")
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() {
		keys, _ := rdb.Keys(context.Background(), prefix+"*").Result()
		if len(keys) > 0 {
			rdb.Del(context.Background(), keys...)
		}
		rdb.Close()
	})
	b, err := realtime.NewRedisBroker(context.Background(), rdb, realtime.RedisOptions{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

// TestTwoNodes runs two nodes on one database and one Redis: questions
// asked on node A reach a client of node B in order, and upvotes made on
// both nodes add up exactly.
func TestTwoNodes(t *testing.T) {
	ctx := context.Background()
	var nonce [6]byte
	_, _ = rand.Read(nonce[:])
	prefix := "rembugtest:" + hex.EncodeToString(nonce[:]) + ":"
	dbA, dbB := openShared(t)
	var a, b *env
	na := startNode(t, redisBroker(t, prefix), func(ctx context.Context, ch string) (json.RawMessage, error) { return a.svc.Snapshot(ctx, ch) })
	nb := startNode(t, redisBroker(t, prefix), func(ctx context.Context, ch string) (json.RawMessage, error) { return b.svc.Snapshot(ctx, ch) })
	a = newEnvOn(t, dbA, na.hub)
	b = &env{db: dbB, c: a.c, clk: a.clk, staff: a.staff, svc: live.NewService(dbB, nb.hub, live.Options{CoalesceInterval: 20 * time.Millisecond})}
	t.Cleanup(func() { _ = b.svc.Close() })
	s := a.session(t, live.SessionInput{PerMinute: 100})
	ps := a.participants(t, 40)

	cb := nb.dial(t, live.Channel(s.ID, false), "", nil)
	v := newView()
	w, _ := read(t, cb, 5*time.Second)
	v.apply(t, w)

	const n = 20
	var asked []int64
	for i := range n {
		asked = append(asked, a.ask(t, s, ps[i%4], "Pertanyaan dari node A "+string(rune('a'+i))).ID)
	}
	// Read the n question events in order (the snapshot may come first).
	var got []int64
	deadline := time.Now().Add(5 * time.Second)
	for len(got) < n && time.Now().Before(deadline) {
		m, ok := read(t, cb, time.Second)
		if !ok {
			continue
		}
		v.apply(t, m) // fails on a gap or reordering of seq
		if m.Type == "question" {
			var q live.Question
			must(t, json.Unmarshal(m.Data, &q))
			got = append(got, q.ID)
		}
	}
	if len(got) != n {
		t.Fatalf("node B client got %d question events, want %d", len(got), n)
	}
	for i := range got {
		if got[i] != asked[i] {
			t.Fatalf("order at node B: %v, want %v", got, asked)
		}
	}

	target := asked[0]
	var wg sync.WaitGroup
	for i, pid := range ps {
		svc := a.svc
		if i%2 == 1 {
			svc = b.svc
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sess, err := svc.SessionByID(ctx, s.ID)
			if err == nil {
				_, err = svc.Upvote(ctx, forum.GuestViewer(pid), sess, target, true)
			}
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	until(t, cb, v, "40 upvotes at node B", func() bool { return v.questions[target].Upvotes == len(ps) })
	if got := a.question(t, target).Upvotes; got != len(ps) {
		t.Fatalf("stored upvotes = %d, want %d", got, len(ps))
	}
}

// TestTwoNodesMine upvotes through node A while the participant's page is
// connected to node B: the private "mine" message reaches that connection
// (through the broker) and no other viewer's.
func TestTwoNodesMine(t *testing.T) {
	ctx := context.Background()
	var nonce [6]byte
	_, _ = rand.Read(nonce[:])
	prefix := "rembugtest:" + hex.EncodeToString(nonce[:]) + ":"
	dbA, _ := openShared(t)
	var a *env
	snap := func(ctx context.Context, ch string) (json.RawMessage, error) { return a.svc.Snapshot(ctx, ch) }
	na := startNode(t, redisBroker(t, prefix), snap)
	nb := startNode(t, redisBroker(t, prefix), snap)
	a = newEnvOn(t, dbA, na.hub)
	s := a.session(t, live.SessionInput{})
	ps := a.participants(t, 2)
	q := a.ask(t, s, ps[1], "Di mana posko banjir?")

	mine, vm := nb.dial(t, live.Channel(s.ID, false), "alice", nil), newView()
	other, vo := nb.dial(t, live.Channel(s.ID, false), "bob", nil), newView()
	until(t, mine, vm, "alice's snapshot", func() bool { return len(vm.questions) == 1 })
	until(t, other, vo, "bob's snapshot", func() bool { return len(vo.questions) == 1 })
	if _, err := a.svc.Upvote(ctx, forum.GuestViewer(ps[0]), s, q.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := a.svc.SendMine(ctx, s.ID, ps[0], "alice"); err != nil {
		t.Fatal(err)
	}
	until(t, mine, vm, "alice's own upvotes on node B", func() bool {
		return vm.mine != nil && len(vm.mine.Upvoted) == 1 && vm.mine.Upvoted[0] == q.ID
	})
	until(t, other, vo, "bob's copy of the count", func() bool { return vo.questions[q.ID].Upvotes == 1 })
	for {
		m, ok := read(t, other, 150*time.Millisecond)
		if !ok {
			break
		}
		if m.Type == "mine" {
			t.Fatal("bob received alice's private state")
		}
	}
}
