//go:build cluster

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// votesSeed imports a Pol.is conversation of n statements into the
// cluster's database.
func votesSeed(n int) func(c *cluster) {
	return func(c *cluster) {
		dir := c.t.TempDir()
		var comments strings.Builder
		comments.WriteString("timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&comments, "1600000000000,x,%d,0,0,0,1,Pernyataan nomor %d tentang taman kota\n", i, i)
		}
		files := map[string]string{
			"summary.csv":  "topic,Taman kota\nurl,https://pol.is/cluster\n",
			"comments.csv": comments.String(),
			"votes.csv":    "timestamp,datetime,comment-id,voter-id,vote\n",
		}
		for name, body := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
				c.t.Fatal(err)
			}
		}
		c.rembug([]string{"import", "polis"}, dir)
	}
}

// consultation returns the one consultation's slug and its statements.
func (c *cluster) consultation() (string, []int64) {
	c.t.Helper()
	db := c.db()
	var slug string
	var cid int64
	if err := db.QueryRow("SELECT id, slug FROM consultations LIMIT 1").Scan(&cid, &slug); err != nil {
		c.t.Fatal(err)
	}
	rows, err := db.Query("SELECT id FROM statements WHERE consultation_id = $1 ORDER BY id", cid)
	if err != nil {
		c.t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			c.t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return slug, ids
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// voter is one guest in a browser of their own (cookies), voting through
// the load balancer.
type voter struct {
	base, slug, csrf string
	http             *http.Client
}

func newVoter(ctx context.Context, base, slug string) (*voter, error) {
	jar, _ := cookiejar.New(nil)
	v := &voter{base: base, slug: slug, http: &http.Client{Jar: jar, Timeout: 20 * time.Second,
		Transport:     &http.Transport{MaxIdleConnsPerHost: 2},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/k/"+slug, nil)
	res, err := v.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		return nil, fmt.Errorf("consultation page: %d", res.StatusCode)
	}
	m := csrfField.FindSubmatch(b)
	if m == nil {
		return nil, errors.New("consultation page without a CSRF field")
	}
	v.csrf = string(m[1])
	return v, nil
}

// vote posts one vote; it is acknowledged when the answer is the form's
// 303 redirect.
func (v *voter) vote(ctx context.Context, statement int64, value string) error {
	form := url.Values{"csrf": {v.csrf}, "statement": {fmt.Sprint(statement)}, "vote": {value}}
	req, _ := http.NewRequestWithContext(ctx, "POST", v.base+"/k/"+v.slug+"/vote", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", v.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := v.http.Do(req)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("vote: status %d: %s", res.StatusCode, answeredBy(body))
	}
	return nil
}

// answeredBy tells a failed response's source from its body: HAProxy's
// own error page (no node was available) or a node's error page, whose
// <h1> names the error.
func answeredBy(body []byte) string {
	s := string(body)
	if strings.Contains(s, "No server is available") {
		return "HAProxy: no server available"
	}
	if i := strings.Index(s, "<h1"); i >= 0 {
		s = s[i:]
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 160 {
		s = s[:160]
	}
	return "node: " + s
}

// voteValue is the value voter i gives statement j, so the expected tally
// of every statement is known.
func voteValue(i, j int) (string, int) {
	switch (i + j) % 3 {
	case 0:
		return "agree", 1
	case 1:
		return "disagree", -1
	}
	return "pass", 0
}

// tallies reads (statement, value) → votes from the database.
func (c *cluster) tallies() (map[[2]int64]int, int) {
	c.t.Helper()
	rows, err := c.db().Query("SELECT statement_id, value, COUNT(*) FROM statement_votes GROUP BY statement_id, value")
	if err != nil {
		c.t.Fatal(err)
	}
	defer rows.Close()
	got, total := map[[2]int64]int{}, 0
	for rows.Next() {
		var sid, val int64
		var n int
		if err := rows.Scan(&sid, &val, &n); err != nil {
			c.t.Fatal(err)
		}
		got[[2]int64{sid, val}] = n
		total += n
	}
	return got, total
}

// checkTallies asserts that the database holds exactly voters×statements
// votes with the values voteValue gives: every acknowledged vote once.
func (c *cluster) checkTallies(voters int, stmts []int64) {
	c.t.Helper()
	want := map[[2]int64]int{}
	for i := 0; i < voters; i++ {
		for j, sid := range stmts {
			_, val := voteValue(i, j)
			want[[2]int64{sid, int64(val)}]++
		}
	}
	got, total := c.tallies()
	if total != voters*len(stmts) {
		c.t.Errorf("%d votes stored, want %d (%d voters × %d statements)", total, voters*len(stmts), voters, len(stmts))
	}
	for k, n := range want {
		if got[k] != n {
			c.t.Errorf("statement %d value %d: %d votes stored, want %d", k[0], k[1], got[k], n)
		}
	}
}

// TestClusterKillDuringVotes: 40 guests vote on 15 statements through
// HAProxy at about 500 votes/s; after 200 acknowledged votes one node gets
// kill -9. A vote that fails is retried by its client, as a browser user
// would. In the end every vote is acknowledged and the database holds each
// exactly once, with the value the guest chose. Meanwhile 150 websocket
// clients follow a live session fed 50 events/s through Redis: those of the
// dead node reconnect through HAProxy with since=<last seq> and end with
// every event exactly once.
func TestClusterKillDuringVotes(t *testing.T) {
	const voters, statements, rate = 40, 15, 500
	c := newCluster(t, 3, votesSeed(statements))
	ctx := scenario(t)
	slug, stmts := c.consultation()
	room := newLiveRoom(t, c, 150)
	tick := time.NewTicker(time.Second / rate)
	defer tick.Stop()
	var acked, failed atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, voters)
	start := time.Now()
	for i := 0; i < voters; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var v *voter
			var err error
			for try := 0; v == nil; try++ {
				if v, err = newVoter(ctx, "http://"+c.lb, slug); err != nil {
					failed.Add(1)
					if try == 20 {
						errc <- fmt.Errorf("voter %d: %w", i, err)
						return
					}
					time.Sleep(100 * time.Millisecond)
				}
			}
			for j, sid := range stmts {
				value, _ := voteValue(i, j)
				for try := 0; ; try++ {
					select {
					case <-tick.C:
					case <-ctx.Done():
						errc <- ctx.Err()
						return
					}
					if err := v.vote(ctx, sid, value); err == nil {
						acked.Add(1)
						break
					} else if failed.Add(1); try == 20 {
						errc <- fmt.Errorf("voter %d statement %d: %w", i, sid, err)
						return
					}
					time.Sleep(50 * time.Millisecond)
				}
			}
		}()
	}
	for acked.Load() < 200 {
		time.Sleep(5 * time.Millisecond)
	}
	victim := c.nodes[1]
	killed := time.Now()
	victim.kill()
	c.waitState(victim, "DOWN")
	t.Logf("kill -9 %s after %d acknowledged votes; HAProxy marked it down %v later", victim.name, acked.Load(),
		time.Since(killed).Round(time.Millisecond))
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	took := time.Since(start)
	t.Logf("%d votes acknowledged in %v (%.0f/s) with one node killed; %d attempts failed and were retried by their client",
		acked.Load(), took.Round(time.Millisecond), float64(acked.Load())/took.Seconds(), failed.Load())
	c.checkTallies(voters, stmts)
	t.Logf("websockets: %s; every client of %s was back %v after kill -9", room.settle(t), victim.name,
		room.backAfter(killed).Round(time.Millisecond))
}

// TestClusterRollingRestart: while 20 guests keep reading the consultation
// page and voting through HAProxy, each node in turn gets SIGTERM (it
// drains: /readyz 503, HAProxy takes it out, in-flight requests finish),
// exits cleanly, and starts again. No request fails, and every vote is
// stored once. 150 websocket clients of a live session get close code 4002
// from each draining node, reconnect elsewhere and miss nothing.
func TestClusterRollingRestart(t *testing.T) {
	const voters, statements = 20, 10
	c := newCluster(t, 3, votesSeed(statements))
	ctx := scenario(t)
	slug, stmts := c.consultation()
	room := newLiveRoom(t, c, 150)
	loadCtx, stopLoad := context.WithCancel(ctx)
	var requests, rounds atomic.Int64
	var mu sync.Mutex
	var failures []string
	fail := func(s string) {
		mu.Lock()
		if len(failures) < 20 {
			failures = append(failures, s)
		}
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for i := 0; i < voters; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := newVoter(loadCtx, "http://"+c.lb, slug)
			if err != nil {
				fail(fmt.Sprintf("voter %d: %v", i, err))
				return
			}
			for round := 0; loadCtx.Err() == nil; round++ {
				for j, sid := range stmts {
					value, _ := voteValue(i, j)
					err := v.vote(loadCtx, sid, value)
					if loadCtx.Err() != nil {
						return
					}
					requests.Add(1)
					if err != nil {
						fail(fmt.Sprintf("%s voter %d: %v", time.Now().Format("15:04:05.000"), i, err))
					}
					time.Sleep(20 * time.Millisecond)
				}
				if round == 0 {
					rounds.Add(1)
				}
			}
		}()
	}
	for _, nd := range c.nodes {
		before := requests.Load()
		if err := nd.term(); err != nil {
			t.Errorf("%s after SIGTERM: %v\n%s", nd.name, err, nd.logTail())
		}
		nd.start()
		nd.waitReady()
		c.waitState(nd, "UP")
		t.Logf("%s restarted; %d requests meanwhile", nd.name, requests.Load()-before)
	}
	for rounds.Load() < voters && ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
	stopLoad()
	wg.Wait()
	t.Logf("%d requests through HAProxy during the rolling restart of %d nodes", requests.Load(), len(c.nodes))
	for _, f := range failures {
		t.Error(f)
	}
	if len(failures) > 0 {
		b, _ := os.ReadFile(filepath.Join(c.dir, "haproxy.log"))
		t.Logf("HAProxy's log:\n%s", b)
	}
	c.checkTallies(voters, stmts)
	t.Logf("websockets: %s", room.settle(t))
}

// searchIDs asks one node directly for q and returns the hits' IDs,
// sorted (hits with equal scores may come in another order on each index).
func searchIDs(t *testing.T, nd *node, q string) []string {
	t.Helper()
	res, err := http.Get("http://" + nd.addr + "/api/v1/search?q=" + url.QueryEscape(q))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Results []struct {
			ID string `json:"id"`
		} `json:"results"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != 200 {
		t.Fatalf("%s search %q: %d %v", nd.name, q, res.StatusCode, err)
	}
	ids := make([]string, len(body.Results))
	for i, r := range body.Results {
		ids[i] = r.ID
	}
	sort.Strings(ids)
	return ids
}

// TestClusterSearchSameOnEveryNode: two nodes, each with its own Bleve
// index, on one database. Statements imported while they run, then one
// hidden, reach both indexes (each reads the outbox with its own cursor),
// and both nodes return the same hits; the outbox is pruned once both
// have applied it.
func TestClusterSearchSameOnEveryNode(t *testing.T) {
	c := newCluster(t, 2, nil)
	votesSeed(5)(c) // written while the nodes run, by neither of them
	same := func(q string, want int) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			a, b := searchIDs(t, c.nodes[0], q), searchIDs(t, c.nodes[1], q)
			if len(a) == want && fmt.Sprint(a) == fmt.Sprint(b) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("search %q: n1 %v, n2 %v, want %d hits on both", q, a, b, want)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	same("pernyataan", 5)
	db := c.db()
	if _, err := db.Exec("UPDATE statements SET hidden = TRUE WHERE id = (SELECT MIN(id) FROM statements)"); err != nil {
		t.Fatal(err)
	}
	same("pernyataan", 4)
	deadline := time.Now().Add(10 * time.Second)
	for {
		var rows, cursors int
		if err := db.QueryRow("SELECT (SELECT COUNT(*) FROM search_outbox), (SELECT COUNT(*) FROM search_cursors)").Scan(&rows, &cursors); err != nil {
			t.Fatal(err)
		}
		if rows == 0 && cursors == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox: %d rows left, %d node cursors; want 0 rows, 2 cursors", rows, cursors)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
