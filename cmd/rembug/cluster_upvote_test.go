//go:build cluster

package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/rembug/rembug/realtime"
)

// liveGuest is one participant of a live session in a browser of their
// own (cookies), posting through the load balancer as live.js does.
type liveGuest struct {
	base, code, csrf string
	http             *http.Client
}

func newLiveGuest(ctx context.Context, base, code string) (*liveGuest, error) {
	jar, _ := cookiejar.New(nil)
	g := &liveGuest{base: base, code: code, http: &http.Client{Jar: jar, Timeout: 20 * time.Second,
		Transport:     &http.Transport{MaxIdleConnsPerHost: 2},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/live/"+code, nil)
	res, err := g.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		return nil, fmt.Errorf("live page: %d", res.StatusCode)
	}
	m := csrfField.FindSubmatch(b)
	if m == nil {
		return nil, errors.New("live page without a CSRF field")
	}
	g.csrf = string(m[1])
	return g, nil
}

// post sends a form as live.js does (JSON answer); it is acknowledged with
// 200.
func (g *liveGuest) post(ctx context.Context, path string, form url.Values) error {
	form.Set("csrf", g.csrf)
	req, _ := http.NewRequestWithContext(ctx, "POST", g.base+"/live/"+g.code+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Origin", g.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := g.http.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, res.Body) //nolint:errcheck // draining
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: status %d", path, res.StatusCode)
	}
	return nil
}

// retry runs try until it succeeds, as a user clicking again would, up to
// 20 times, pacing each attempt on tick; it counts the failed attempts.
func retry(ctx context.Context, tick <-chan time.Time, failed *atomic.Int64, try func() error) error {
	var err error
	for i := 0; i < 20; i++ {
		if tick != nil {
			select {
			case <-tick:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if err = try(); err == nil {
			return nil
		}
		failed.Add(1)
		time.Sleep(50 * time.Millisecond)
	}
	return err
}

// TestClusterKillDuringUpvotes: a live session on three nodes behind
// HAProxy. 150 websocket clients follow it while 40 guests upvote each of
// 20 questions through the load balancer, paced for 400 upvotes/s; after
// 200 acknowledged upvotes one node gets kill -9 (killDuringUpvotes has the
// outcome asserted). BenchmarkClusterKillDuringUpvotes runs the same
// scenario with thousands of clients.
func TestClusterKillDuringUpvotes(t *testing.T) {
	r := killDuringUpvotes(t, upvoteLoad{clients: 150, guests: 40, questions: 20, rate: 400, killAfter: 200})
	t.Logf("%d upvotes acknowledged in %v (%.0f/s) with one node killed; %d attempts failed and were sent again",
		r.acked, r.took.Round(time.Millisecond), r.rate(), r.failed)
	t.Logf("kill -9 %s; HAProxy marked it down %v later; websockets: %s; every client of %[1]s was back %[4]v after kill -9",
		r.victim, r.markedDown.Round(time.Millisecond), r.summary, r.back.Round(time.Millisecond))
}

// BenchmarkClusterKillDuringUpvotes is the scenario at the size of a town
// hall: 2,000 websocket clients on three nodes behind HAProxy (a synthetic
// feed of 5 events/s besides the upvote counts), 500 guests upvoting 8
// questions each, paced for 1,000 upvotes/s, and kill -9 of a node after a
// quarter of the upvotes; and the same with 200 clients, which shows what
// the clients themselves cost when they run on the same machine. It reports the upvotes per second
// acknowledged (the pace is an upper bound; the machine may set a lower
// one), the seconds until every client of the dead node was back, and the
// events the clients missed or received twice (the scenario fails unless
// both are 0, and unless every upvote is stored once).
//
//	go test -tags cluster -run '^$' -bench ClusterKillDuringUpvotes -benchtime=1x -v ./cmd/rembug
func BenchmarkClusterKillDuringUpvotes(b *testing.B) {
	for _, clients := range []int{200, 2000} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				r := killDuringUpvotes(b, upvoteLoad{clients: clients, guests: 500, questions: 8, rate: 1000, killAfter: 1000,
					feed: 200 * time.Millisecond, within: 5 * time.Minute})
				b.ReportMetric(r.rate(), "upvotes/s")
				b.ReportMetric(r.back.Seconds(), "s-to-all-back")
				b.ReportMetric(float64(r.reconnected), "reconnected")
				b.ReportMetric(float64(r.missed), "missed")
				b.ReportMetric(float64(r.twice), "twice")
				b.ReportMetric(float64(r.failed), "failed-attempts")
				b.Logf("%d upvotes in %v; %s; HAProxy marked %s down %v after the kill", r.acked, r.took.Round(time.Millisecond),
					r.summary, r.victim, r.markedDown.Round(time.Millisecond))
			}
		})
	}
}

// upvoteLoad sizes killDuringUpvotes.
type upvoteLoad struct {
	clients   int // websocket clients on the session's public channel
	guests    int // participants who upvote, each every question once
	questions int
	rate      int           // upvotes a second at most, all guests together
	killAfter int           // acknowledged upvotes before the kill
	feed      time.Duration // the synthetic feed's interval (0: 20 ms)
	within    time.Duration // the whole scenario's bound (0: 2 minutes)
}

type upvoteOutcome struct {
	acked, failed    int64
	took             time.Duration
	victim           string
	markedDown, back time.Duration // from the kill
	reconnected      int           // clients that lost their connection
	missed, twice    int
	summary          string // the websocket clients' settle line
}

func (o upvoteOutcome) rate() float64 { return float64(o.acked) / o.took.Seconds() }

// killDuringUpvotes: a live session on three nodes behind HAProxy with
// load.clients websocket clients, and load.guests guests who upvote each
// of load.questions questions through the load balancer, paced for
// load.rate upvotes/s; after load.killAfter acknowledged upvotes one node
// gets kill -9. A failed upvote is sent again by its guest. It asserts that
// in the end every upvote is acknowledged and stored exactly once (one row
// per guest and question, and each question's count equals its rows), that
// a fresh client's snapshot shows those counts, and that the websocket
// clients, those of the dead node reconnected elsewhere with since=<last
// seq>, received every event of the channel once: the nodes' real upvote
// counts and a synthetic feed (an event every load.feed, 20 ms unless set).
func killDuringUpvotes(t testing.TB, load upvoteLoad) upvoteOutcome {
	t.Helper()
	guests, questions := load.guests, load.questions
	c := newCluster(t, 3, votesSeed(1))
	ctx := scenario(t)
	if load.within > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.Background(), load.within)
		defer cancel()
	}
	room := newLiveRoomEvery(t, c, load.clients, cmp.Or(load.feed, 20*time.Millisecond))
	base := "http://" + c.lb
	var failed atomic.Int64
	gs := make([]*liveGuest, guests)
	for i := range gs {
		err := retry(ctx, nil, &failed, func() error {
			var err error
			gs[i], err = newLiveGuest(ctx, base, room.code)
			return err
		})
		if err != nil {
			t.Fatalf("guest %d: %v", i, err)
		}
	}
	for i := 0; i < questions; i++ {
		if err := gs[i].post(ctx, "/ask", url.Values{"text": {fmt.Sprintf("Pertanyaan warga nomor %d tentang taman", i+1)}}); err != nil {
			t.Fatal(err)
		}
	}
	db := c.db()
	var qids []int64
	rows, err := db.QueryContext(ctx, `SELECT q.id FROM live_questions q JOIN live_sessions s ON s.id = q.session_id
		WHERE s.code = $1 ORDER BY q.id`, room.code)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		qids = append(qids, id)
	}
	rows.Close()
	if len(qids) != questions {
		t.Fatalf("%d questions stored, want %d", len(qids), questions)
	}

	tick := time.NewTicker(time.Second / time.Duration(load.rate))
	defer tick.Stop()
	var acked atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, guests)
	start := time.Now()
	for i, g := range gs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range qids {
				q := qids[(i+j)%len(qids)] // guests start on different questions
				err := retry(ctx, tick.C, &failed, func() error {
					return g.post(ctx, "/upvote", url.Values{"question": {fmt.Sprint(q)}, "on": {"1"}})
				})
				if err != nil {
					errc <- fmt.Errorf("guest %d question %d: %w", i, q, err)
					return
				}
				acked.Add(1)
			}
		}()
	}
	for acked.Load() < int64(load.killAfter) {
		if ctx.Err() != nil {
			t.Fatalf("only %d upvotes acknowledged before the scenario's bound, want %d before the kill", acked.Load(), load.killAfter)
		}
		time.Sleep(5 * time.Millisecond)
	}
	victim := c.nodes[1]
	killed := time.Now()
	victim.kill()
	c.waitState(victim, "DOWN")
	out := upvoteOutcome{victim: victim.name, markedDown: time.Since(killed)}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	out.took, out.acked, out.failed = time.Since(start), acked.Load(), failed.Load()

	// Every acknowledged upvote once: one row per guest and question, and
	// the counts kept beside the rows agree with them.
	var stored, people int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT participant_id) FROM live_upvotes WHERE question_id = ANY($1)`,
		qids).Scan(&stored, &people); err != nil {
		t.Fatal(err)
	}
	if stored != guests*questions || people != guests {
		t.Errorf("%d upvotes stored by %d participants, want %d by %d", stored, people, guests*questions, guests)
	}
	var wrong int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM live_questions q WHERE q.id = ANY($1)
		AND q.upvotes <> (SELECT COUNT(*) FROM live_upvotes u WHERE u.question_id = q.id)`, qids).Scan(&wrong); err != nil {
		t.Fatal(err)
	}
	if wrong != 0 {
		t.Errorf("%d questions count upvotes other than their rows", wrong)
	}
	// A client joining now, through a surviving node, sees those counts.
	snap := liveSnapshot(t, "ws://"+c.lb+"/live/ws?channel="+room.channel, c.lb)
	for _, q := range qids {
		if snap[q] != guests {
			t.Errorf("snapshot: question %d shows %d upvotes, want %d", q, snap[q], guests)
		}
	}
	out.summary = room.settle(t)
	out.back = room.backAfter(killed)
	out.reconnected, out.missed, out.twice = room.counts()
	return out
}

// liveSnapshot connects a fresh client to the live channel at wsURL and
// returns the upvotes of each question in the snapshot it is sent.
func liveSnapshot(t testing.TB, wsURL, origin string) map[int64]int {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	conn, _, err := d.Dial(wsURL, http.Header{"Origin": {"http://" + origin}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second)) //nolint:errcheck // a read error follows
	for {
		var m struct {
			Type string `json:"type"`
			Data struct {
				Questions []struct {
					ID      int64 `json:"id"`
					Upvotes int   `json:"upvotes"`
				} `json:"questions"`
			} `json:"data"`
		}
		if err := conn.ReadJSON(&m); err != nil {
			t.Fatalf("snapshot: %v", err)
		}
		if m.Type != realtime.TypeSnapshot {
			continue
		}
		out := map[int64]int{}
		for _, q := range m.Data.Questions {
			out[q.ID] = q.Upvotes
		}
		return out
	}
}
