//go:build cluster

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/redis/go-redis/v9"
	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/realtime"
	"github.com/rembug/rembug/realtime/live"
)

// liveRoom is a live session with websocket clients connected through
// HAProxy and a publisher that sends numbered events into its channel
// through Redis (as a node does), so the test can count what each client
// received: nothing missed, nothing twice, across reconnects.
type liveRoom struct {
	c           *cluster
	channel     string
	code        string // the session's code, for its pages (/live/{code})
	hub         *realtime.Hub
	clients     []*wsClient
	published   atomic.Uint64 // the last seq published
	publishedOK atomic.Int64  // publishes that returned a seq
	refused     atomic.Int64  // publishes that returned an error
	allowResets bool          // a restarted Redis: reconnects may start from a snapshot
	every       time.Duration // the synthetic feed's interval
	pubStop     chan struct{} // closed (once) to stop the publisher
	pubOnce     sync.Once
	pubDone     sync.WaitGroup
	done        sync.WaitGroup // the clients' goroutines
}

// wsClient follows the protocol's client rules (realtime/PROTOCOL.md) and
// counts deviations from them.
type wsClient struct {
	room     *liveRoom
	mu       sync.Mutex
	last     uint64
	twice    int       // events received with seq <= last
	missed   int       // seq gaps
	resets   int       // reconnects that did not recover from history
	snapAt   time.Time // when the latest reconnect started from a snapshot
	closes   map[int]int
	drops    int       // connections lost, by close frame or not
	backAt   time.Time // when the latest reconnect was welcomed
	conn     *websocket.Conn
	quitting atomic.Bool
}

// newLiveRoom creates a live session in the cluster's consultation and
// connects n clients through HAProxy.
func newLiveRoom(t testing.TB, c *cluster, n int) *liveRoom {
	return newLiveRoomEvery(t, c, n, 20*time.Millisecond)
}

// newLiveRoomEvery is newLiveRoom with the synthetic feed's interval.
func newLiveRoomEvery(t testing.TB, c *cluster, n int, every time.Duration) *liveRoom {
	channel, code, hub := newLiveSession(t, c)
	r := &liveRoom{c: c, channel: channel, code: code, hub: hub, pubStop: make(chan struct{}), every: every}
	for i := 0; i < n; i++ {
		wc := &wsClient{room: r, closes: map[int]int{}}
		if err := wc.dial(); err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
		r.clients = append(r.clients, wc)
		r.done.Add(1)
		go wc.run()
	}
	r.pubDone.Add(1)
	go r.publish()
	t.Cleanup(r.close)
	return r
}

// newLiveSession creates a live session that admits guests in the
// cluster's consultation and returns its public channel, its code and a hub
// on the cluster's Redis to publish into it, as a node does.
func newLiveSession(t testing.TB, c *cluster) (string, string, *realtime.Hub) {
	ctx := context.Background()
	db, err := storage.Open(ctx, storage.Config{URL: c.dbURL, MaxOpenConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	opt, err := redis.ParseURL(c.redisURL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { rdb.Close() })
	broker, err := realtime.NewRedisBroker(ctx, rdb, realtime.RedisOptions{History: realtime.HistoryOptions{Start: realtime.ClockStart}}) // numbered as the nodes number
	if err != nil {
		t.Fatal(err)
	}
	hub := realtime.NewHub(broker, realtime.Options{})
	t.Cleanup(func() { hub.Close(); broker.Close() })
	svc := live.NewService(db, hub, live.Options{})
	t.Cleanup(func() { svc.Close() })
	mod := &forum.User{DisplayName: "Moderator", Email: fmt.Sprintf("mod-%d@contoh.test", time.Now().UnixNano()), Role: forum.RoleAdmin}
	if err := forumtest.CreateUser(ctx, db, mod, time.Now()); err != nil {
		t.Fatal(err)
	}
	v, err := forum.LoadViewer(ctx, db, mod, 0)
	if err != nil {
		t.Fatal(err)
	}
	var cid int64
	if err := db.QueryRowContext(ctx, "SELECT id FROM consultations LIMIT 1").Scan(&cid); err != nil {
		t.Fatal(err)
	}
	sess, err := svc.CreateSession(ctx, v, live.SessionInput{ConsultationID: cid, Title: "Tanya jawab warga", AllowGuests: true})
	if err != nil {
		t.Fatal(err)
	}
	return live.Channel(sess.ID, false), sess.Code, hub
}

// publish sends an event every r.every until close.
func (r *liveRoom) publish() {
	defer r.pubDone.Done()
	tick := time.NewTicker(r.every)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-r.pubStop:
			return
		case <-tick.C:
		}
		ev, err := r.hub.Publish(context.Background(), r.channel, "note", json.RawMessage(fmt.Sprintf(`{"n":%d}`, i)))
		if err == nil {
			r.published.Store(ev.Seq)
			r.publishedOK.Add(1)
		} else {
			r.refused.Add(1)
		}
	}
}

func (r *liveRoom) stopPublishing() {
	r.pubOnce.Do(func() { close(r.pubStop) })
	r.pubDone.Wait()
}

func (r *liveRoom) close() {
	r.stopPublishing()
	for _, wc := range r.clients {
		wc.quitting.Store(true)
		wc.mu.Lock()
		if wc.conn != nil {
			wc.conn.Close()
		}
		wc.mu.Unlock()
	}
	r.done.Wait()
}

// dial connects, with since when the client has seen events.
func (wc *wsClient) dial() error {
	u := "ws://" + wc.room.c.lb + "/live/ws?channel=" + wc.room.channel
	wc.mu.Lock()
	resume := wc.last > 0
	if resume {
		u += fmt.Sprintf("&since=%d", wc.last)
	}
	wc.mu.Unlock()
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	conn, res, err := d.Dial(u, http.Header{"Origin": {"http://" + wc.room.c.lb}})
	if err != nil {
		if res != nil {
			return fmt.Errorf("dial: %w (HTTP %d)", err, res.StatusCode)
		}
		return err
	}
	var welcome struct {
		Type      string `json:"type"`
		Seq       uint64 `json:"seq"`
		Recovered bool   `json:"recovered"`
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if err := conn.ReadJSON(&welcome); err != nil || welcome.Type != "welcome" {
		conn.Close()
		return fmt.Errorf("welcome: %v %+v", err, welcome)
	}
	conn.SetReadDeadline(time.Time{})
	wc.mu.Lock()
	if resume && !welcome.Recovered {
		wc.resets++
		wc.snapAt = time.Now()
	}
	if !resume || !welcome.Recovered {
		wc.last = welcome.Seq
	}
	wc.conn, wc.backAt = conn, time.Now()
	wc.mu.Unlock()
	return nil
}

// run reads events and reconnects as the live pages do: after 4002 within
// a second, after 4000/4001 at once, after anything else with a short
// backoff.
func (wc *wsClient) run() {
	defer wc.room.done.Done()
	for {
		wc.mu.Lock()
		conn := wc.conn
		wc.mu.Unlock()
		code := wc.read(conn)
		if wc.quitting.Load() {
			return
		}
		wc.mu.Lock()
		wc.drops++
		wc.closes[code]++
		wc.mu.Unlock()
		wait := 100*time.Millisecond + rand.N(200*time.Millisecond)
		switch code {
		case realtime.CloseReconnect:
			wait = rand.N(time.Second)
		case realtime.CloseSlow, realtime.CloseResync:
			wait = 0
		}
		for {
			time.Sleep(wait)
			if wc.quitting.Load() {
				return
			}
			if err := wc.dial(); err == nil {
				break
			}
			wait = 200 * time.Millisecond
		}
	}
}

// read applies events until the connection ends and returns its close
// code (0 without a close frame).
func (wc *wsClient) read(conn *websocket.Conn) int {
	for {
		var ev struct {
			Type string `json:"type"`
			Seq  uint64 `json:"seq"`
		}
		if err := conn.ReadJSON(&ev); err != nil {
			conn.Close()
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				return ce.Code
			}
			return 0
		}
		if ev.Seq == 0 || ev.Type == realtime.TypeSnapshot {
			continue
		}
		wc.mu.Lock()
		switch {
		case ev.Seq <= wc.last:
			wc.twice++
		case ev.Seq > wc.last+1:
			wc.missed += int(ev.Seq - wc.last - 1)
			wc.last = ev.Seq
		default:
			wc.last = ev.Seq
		}
		wc.mu.Unlock()
	}
}

// settle waits until every client has the last event the room published
// (or a later one: the nodes publish on the channel too, e.g. the
// participant count when a client leaves) and then checks the counts:
// nothing missed, nothing twice, every reconnect recovered from history.
// It returns a summary for the log.
func (r *liveRoom) settle(t testing.TB) string {
	t.Helper()
	time.Sleep(200 * time.Millisecond)
	r.stopPublishing() // clients keep reading
	final := r.published.Load()
	deadline := time.Now().Add(20 * time.Second)
	for {
		behind := 0
		for _, wc := range r.clients {
			wc.mu.Lock()
			if wc.last < final {
				behind++
			}
			wc.mu.Unlock()
		}
		if behind == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("%d of %d clients never received event %d", behind, len(r.clients), final)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	twice, missed, resets, drops := 0, 0, 0, 0
	codes := map[int]int{}
	for _, wc := range r.clients {
		wc.mu.Lock()
		twice, missed, resets, drops = twice+wc.twice, missed+wc.missed, resets+wc.resets, drops+wc.drops
		for k, v := range wc.closes {
			codes[k] += v
		}
		wc.mu.Unlock()
	}
	if twice != 0 || missed != 0 || (resets != 0 && !r.allowResets) {
		t.Errorf("websocket clients: %d events received twice, %d missed, %d reconnects not recovered from history", twice, missed, resets)
	}
	var keys []int
	for k := range codes {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var cs []string
	for _, k := range keys {
		cs = append(cs, fmt.Sprintf("%d×%d", codes[k], k))
	}
	return fmt.Sprintf("%d websocket clients all at or past the room's last event (seq %d), %d reconnects (close codes count×code %v; 1006 = lost without a close frame), %d missed, %d twice",
		len(r.clients), final, drops, cs, missed, twice)
}

// counts returns the clients that lost their connection at least once,
// and the events missed and received twice by all clients.
func (r *liveRoom) counts() (reconnected, missed, twice int) {
	for _, wc := range r.clients {
		wc.mu.Lock()
		if wc.drops > 0 {
			reconnected++
		}
		missed, twice = missed+wc.missed, twice+wc.twice
		wc.mu.Unlock()
	}
	return reconnected, missed, twice
}

// backAfter returns how long after t0 the last of the clients that lost
// their connection was welcomed again.
func (r *liveRoom) backAfter(t0 time.Time) time.Duration {
	var worst time.Duration
	for _, wc := range r.clients {
		wc.mu.Lock()
		if wc.backAt.After(t0) && wc.backAt.Sub(t0) > worst {
			worst = wc.backAt.Sub(t0)
		}
		wc.mu.Unlock()
	}
	return worst
}
