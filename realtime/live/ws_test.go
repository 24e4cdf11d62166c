package live_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/realtime"
	"github.com/rembug/rembug/realtime/live"
)

// msg is a server message, decoded loosely.
type msg struct {
	Type      string          `json:"type"`
	Seq       uint64          `json:"seq"`
	Recovered bool            `json:"recovered"`
	Data      json.RawMessage `json:"data"`
}

// view is a client's state, applied by id and version as PROTOCOL.md asks.
type view struct {
	last      uint64
	questions map[int64]live.Question
	stage     *int64
	mine      *live.Mine
	upvoted   int64 // the question of the last "upvoted" message with on
}

func newView() *view { return &view{questions: map[int64]live.Question{}} }

func (v *view) apply(t testing.TB, m msg) {
	t.Helper()
	switch m.Type {
	case "welcome":
		v.last = m.Seq
		return
	case "snapshot":
		var st live.State
		must(t, json.Unmarshal(m.Data, &st))
		v.questions = map[int64]live.Question{}
		for _, q := range st.Questions {
			v.questions[q.ID] = *q
		}
		v.stage = st.Session.StageID
		return
	}
	if m.Seq > 0 {
		if m.Seq <= v.last {
			return
		}
		if m.Seq != v.last+1 {
			t.Fatalf("gap: seq %d after %d", m.Seq, v.last)
		}
		v.last = m.Seq
	}
	switch m.Type {
	case "question":
		var q struct {
			live.Question
			Removed bool `json:"removed"`
		}
		must(t, json.Unmarshal(m.Data, &q))
		if old, ok := v.questions[q.ID]; ok && old.Version >= q.Version {
			return
		}
		if q.Removed {
			delete(v.questions, q.ID)
		} else {
			v.questions[q.ID] = q.Question
		}
	case "upvotes":
		var ev struct {
			Questions []struct {
				ID      int64 `json:"id"`
				Upvotes int   `json:"upvotes"`
				Version int64 `json:"version"`
			} `json:"questions"`
		}
		must(t, json.Unmarshal(m.Data, &ev))
		for _, u := range ev.Questions {
			if q, ok := v.questions[u.ID]; ok && q.Version < u.Version {
				q.Upvotes, q.Version = u.Upvotes, u.Version
				v.questions[u.ID] = q
			}
		}
	case "session":
		var s live.Session
		must(t, json.Unmarshal(m.Data, &s))
		v.stage = s.StageID
	case "mine":
		v.mine = &live.Mine{}
		must(t, json.Unmarshal(m.Data, v.mine))
	case "upvoted":
		var u live.Upvoted
		must(t, json.Unmarshal(m.Data, &u))
		if u.On {
			v.upvoted = u.Question
		}
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// node is one server: a Hub on a broker behind an httptest server, and a
// Service publishing on it.
type node struct {
	hub *realtime.Hub
	srv *httptest.Server
}

func startNode(t testing.TB, b realtime.Broker, snap realtime.SnapshotFunc) *node {
	t.Helper()
	hub := realtime.NewHub(b, realtime.Options{})
	srv := httptest.NewServer(hub.Handler(realtime.HandlerOptions{
		Authorize: func(*http.Request, string) bool { return true },
		Snapshot:  snap,
		User:      func(r *http.Request) string { return r.URL.Query().Get("user") },
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { _ = hub.Close() })
	return &node{hub: hub, srv: srv}
}

// conn is a test websocket client whose reader goroutine feeds msgs.
type conn struct {
	ws   *websocket.Conn
	msgs chan msg
}

func (c *conn) Close() error { return c.ws.Close() }

func (n *node) dial(t testing.TB, channel, user string, since *uint64) *conn {
	t.Helper()
	u := "ws" + strings.TrimPrefix(n.srv.URL, "http") + "/?channel=" + channel + "&user=" + user
	if since != nil {
		u += "&since=" + strconv.FormatUint(*since, 10)
	}
	c, _, err := websocket.DefaultDialer.Dial(u, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	cc := &conn{ws: c, msgs: make(chan msg, 4096)}
	go func() {
		defer close(cc.msgs)
		for {
			_, b, err := c.ReadMessage()
			if err != nil {
				return
			}
			var m msg
			if json.Unmarshal(b, &m) == nil {
				cc.msgs <- m
			}
		}
	}()
	return cc
}

func read(t testing.TB, c *conn, d time.Duration) (msg, bool) {
	t.Helper()
	select {
	case m, ok := <-c.msgs:
		return m, ok
	case <-time.After(d):
		return msg{}, false
	}
}

// until applies messages to v until cond holds, failing after 5 s.
func until(t testing.TB, c *conn, v *view, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		if m, ok := read(t, c, 200*time.Millisecond); ok {
			v.apply(t, m)
		}
	}
}

// TestResumeAfterOffline is CASES C12: a participant offline while three
// questions are asked, an older one is hidden and another is upvoted five
// times resumes with exactly that.
func TestResumeAfterOffline(t *testing.T) {
	ctx := context.Background()
	b := realtime.NewMemoryBroker(realtime.HistoryOptions{})
	var e *env
	n := startNode(t, b, func(ctx context.Context, ch string) (json.RawMessage, error) { return e.svc.Snapshot(ctx, ch) })
	e = newEnv(t, n.hub)
	s := e.session(t, live.SessionInput{})
	ps := e.participants(t, 6)
	old1 := e.ask(t, s, ps[0], "Lama satu")
	old2 := e.ask(t, s, ps[1], "Lama dua")

	v := newView()
	c := n.dial(t, live.Channel(s.ID, false), "me", nil)
	until(t, c, v, "snapshot", func() bool { return len(v.questions) == 2 })
	c.Close()

	for i := range 3 {
		e.ask(t, s, ps[2+i], "Baru "+strconv.Itoa(i))
	}
	must(t, e.svc.Moderate(ctx, e.staff, s, old1.ID, live.ActHide, "", 0))
	for _, pid := range ps[1:] {
		if _, err := e.svc.Upvote(ctx, forum.GuestViewer(pid), s, old2.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(100 * time.Millisecond) // let the coalesced count go out

	last := v.last
	c = n.dial(t, live.Channel(s.ID, false), "me", &last)
	w, _ := read(t, c, 5*time.Second)
	if w.Type != "welcome" || !w.Recovered {
		t.Fatalf("first message %s recovered=%v, want a recovered welcome", w.Type, w.Recovered)
	}
	until(t, c, v, "resynced state", func() bool {
		q, ok := v.questions[old2.ID]
		return len(v.questions) == 4 && ok && q.Upvotes == 5
	})
	if _, ok := v.questions[old1.ID]; ok {
		t.Fatal("hidden question still shown after resume")
	}
	// A coalesced count may be published twice with the same value (a vote
	// committed while the previous flush was reading); anything else after
	// the resynced state is unexpected.
	for {
		m, ok := read(t, c, 150*time.Millisecond)
		if !ok {
			break
		}
		v.apply(t, m)
		if q := v.questions[old2.ID]; m.Type != "upvotes" || q.Upvotes != 5 || len(v.questions) != 4 {
			t.Fatalf("unexpected extra message %s seq %d: %s", m.Type, m.Seq, m.Data)
		}
	}
}

// TestPrivateState checks that a participant's own upvotes go to their
// connections only, and that pre-moderated questions reach moderators only.
func TestPrivateState(t *testing.T) {
	ctx := context.Background()
	b := realtime.NewMemoryBroker(realtime.HistoryOptions{})
	var e *env
	n := startNode(t, b, func(ctx context.Context, ch string) (json.RawMessage, error) { return e.svc.Snapshot(ctx, ch) })
	e = newEnv(t, n.hub)
	s := e.session(t, live.SessionInput{Premoderate: true})
	ps := e.participants(t, 2)

	a, va := n.dial(t, live.Channel(s.ID, false), "alice", nil), newView()
	o, vo := n.dial(t, live.Channel(s.ID, false), "bob", nil), newView()
	m, vm := n.dial(t, live.Channel(s.ID, true), "mod", nil), newView()
	for _, x := range []struct {
		c *conn
		v *view
	}{{a, va}, {o, vo}, {m, vm}} {
		w, _ := read(t, x.c, 5*time.Second)
		x.v.apply(t, w)
	}
	q := e.ask(t, s, ps[0], "Menunggu moderasi")
	until(t, m, vm, "pending question at the moderator", func() bool { return vm.questions[q.ID].Status == live.StatusPending })
	must(t, e.svc.Moderate(ctx, e.staff, s, q.ID, live.ActApprove, "", 0))
	until(t, a, va, "approved question", func() bool { return va.questions[q.ID].Text == "Menunggu moderasi" })
	if _, err := e.svc.Upvote(ctx, forum.GuestViewer(ps[0]), s, q.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SendMine(ctx, s.ID, ps[0], "alice"); err != nil {
		t.Fatal(err)
	}
	until(t, a, va, "alice's own upvotes", func() bool { return va.mine != nil && len(va.mine.Upvoted) == 1 })
	if u := e.svc.SendUpvoted(ctx, s.ID, q.ID, true, "alice"); u != (live.Upvoted{Question: q.ID, On: true}) {
		t.Fatalf("SendUpvoted = %+v", u)
	}
	until(t, a, va, "alice's upvoted message", func() bool { return va.upvoted == q.ID })
	until(t, o, vo, "bob's copy of the count", func() bool { return vo.questions[q.ID].Upvotes == 1 })
	if vo.mine != nil {
		t.Fatalf("bob received alice's private state: %+v", vo.mine)
	}
	deadline := time.Now().Add(200 * time.Millisecond)
	for time.Now().Before(deadline) {
		if mm, ok := read(t, o, 50*time.Millisecond); ok && (mm.Type == "mine" || mm.Type == "upvoted") {
			t.Fatal("bob received a private message")
		}
	}
}
