package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// guest is one participant of the load: its own cookies and CSRF token.
type guest struct {
	client *http.Client
	csrf   string
}

func newGuests(ctx context.Context, base, code string, n int, tr http.RoundTripper) ([]*guest, error) {
	out := make([]*guest, n)
	for i := range out {
		jar, _ := cookiejar.New(nil)
		g := &guest{client: &http.Client{Jar: jar, Transport: tr, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/live/"+code, nil)
		res, err := g.client.Do(req)
		if err != nil {
			return nil, err
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		m := csrfRE.FindSubmatch(b)
		if res.StatusCode != 200 || m == nil {
			return nil, fmt.Errorf("GET /live/%s: status %d, no form (does the session allow guests?)", code, res.StatusCode)
		}
		g.csrf = string(m[1])
		out[i] = g
	}
	return out, nil
}

func (g *guest) post(ctx context.Context, base, path string, form url.Values) (int, error) {
	form.Set("csrf", g.csrf)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := g.client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, res.Body) //nolint:errcheck // draining for reuse
	res.Body.Close()
	return res.StatusCode, nil
}

// liveState is the part of a live snapshot the load tool checks.
type liveState struct {
	Questions []struct {
		ID      int64 `json:"id"`
		Upvotes int   `json:"upvotes"`
	} `json:"questions"`
}

// snapshot reads the public channel's snapshot with a fresh connection.
func snapshot(ctx context.Context, wsURL string) (*liveState, error) {
	d := websocket.Dialer{HandshakeTimeout: 30 * time.Second}
	conn, _, err := d.DialContext(ctx, wsURL, nil)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(30 * time.Second)) //nolint:errcheck // a read error follows
	for {
		_, b, err := conn.ReadMessage()
		if err != nil {
			return nil, err
		}
		var m struct {
			Type string          `json:"type"`
			Data json.RawMessage `json:"data"`
		}
		if json.Unmarshal(b, &m) == nil && m.Type == "snapshot" {
			var st liveState
			return &st, json.Unmarshal(m.Data, &st)
		}
	}
}

// upvoteRun sends rate upvotes a second for dur, each a distinct
// (participant, question) pair, open-loop, and records which succeeded.
type upvoteRun struct {
	ok, failed atomic.Int64
	mu         sync.Mutex
	want       map[int64]int // question id → successful upvotes
	elapsed    time.Duration // from the first scheduled upvote to the last answer
}

func runUpvotes(ctx context.Context, base, code string, guests []*guest, qids []int64, pairs *pairSource, rate int, dur time.Duration) (*upvoteRun, error) {
	n := int(dur.Seconds() * float64(rate))
	pp, err := pairs.take(n)
	if err != nil {
		return nil, err
	}
	r := &upvoteRun{want: map[int64]int{}}
	interval := time.Second / time.Duration(rate)
	sem := make(chan struct{}, 512)
	var wg sync.WaitGroup
	start := time.Now()
	for i, pr := range pp {
		if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
			select {
			case <-ctx.Done():
				return r, ctx.Err()
			case <-time.After(d):
			}
		}
		g, q := guests[pr%len(guests)], qids[pr/len(guests)]
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			st, err := g.post(ctx, base, "/live/"+code+"/upvote", url.Values{"question": {fmt.Sprint(q)}, "on": {"1"}})
			if err != nil || st != http.StatusOK {
				r.failed.Add(1)
				return
			}
			r.ok.Add(1)
			r.mu.Lock()
			r.want[q]++
			r.mu.Unlock()
		}()
	}
	wg.Wait()
	r.elapsed = time.Since(start)
	if el := r.elapsed; el > dur+dur/10 {
		fmt.Printf("  warning: the schedule took %v, longer than %v: the rate was not sustained\n", el.Round(time.Millisecond), dur)
	}
	return r, nil
}

// askQuestions makes one question per guest (so the per-minute limit is
// never hit) and returns the public question ids.
func askQuestions(ctx context.Context, base, code, wsURL string, guests []*guest) ([]int64, error) {
	for i, g := range guests {
		st, err := g.post(ctx, base, "/live/"+code+"/ask", url.Values{"text": {fmt.Sprintf("Pertanyaan uji beban %d", i)}})
		if err != nil || st != http.StatusOK {
			return nil, fmt.Errorf("ask: status %d %v", st, err)
		}
	}
	st, err := snapshot(ctx, wsURL)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, q := range st.Questions {
		ids = append(ids, q.ID)
	}
	if len(ids) < len(guests) {
		return nil, errors.New("asked questions are not public: use a post-moderated session")
	}
	return ids, nil
}

// pairSource hands out distinct participant×question pairs (as indexes
// into guests×questions) across the runs of one load, so that no upvote
// repeats an earlier one (a repeat is a no-op and would skew the counts).
type pairSource struct {
	perm []int
}

func newPairSource(nGuests, nQuestions int) *pairSource {
	return &pairSource{perm: rand.Perm(nGuests * nQuestions)}
}

func (p *pairSource) take(n int) ([]int, error) {
	if n > len(p.perm) {
		return nil, fmt.Errorf("%d more upvotes need as many unused participant×question pairs, %d left; raise --participants or --questions", n, len(p.perm))
	}
	out := p.perm[:n]
	p.perm = p.perm[n:]
	return out, nil
}
