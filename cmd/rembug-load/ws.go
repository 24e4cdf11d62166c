package main

// The ws mode measures live sessions (realtime/live) on a running rembug:
//
//	rembug-load ws --url http://127.0.0.1:8080 --code ABC234 --clients 10000 \
//	               --event-rate 4 --rate 20 --duration 30s [--participants 400 --questions 100]
//
// It opens --clients websocket clients on the session's public channel,
// reads the server's resident memory (/metrics) to get the memory per idle
// connection, makes --questions questions, then runs twice: the broadcast
// run sends --event-rate upvotes a second (each makes one coalesced event,
// so rembug serves one HTTP request per event, as the baseline does), the
// mixed run --rate upvotes a second (many per event). Upvotes come from
// --participants guests, each a distinct participant×question pair across
// both runs, open-loop. Each run reports the delivery latency of every
// channel event (the event's server time, set when the broker accepts it,
// to its arrival at each client), events delivered / expected and their
// size; at the end it checks that the stored counts equal the accepted
// upvotes (none lost or doubled). After each run the same clients connect
// to the baseline — a minimal gorilla/websocket hub in a child process —
// which broadcasts as many events a second, of the same size, and the tool
// prints rembug's figures as ratios to the baseline's.

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

type wsFigures struct {
	name              string
	p50, p99, max     time.Duration
	delivered, expect int64
	drops, dups       int64
	memPerConn        float64 // bytes
	events            int64   // channel events during the measurement
	bytes             int64   // bytes of the delivered events
}

func (f wsFigures) print() {
	fmt.Printf("%s\n  memory per idle connection: %.1f KiB\n  events: %d of %d bytes  delivered/expected: %d/%d (%.4f)  dropped connections: %d  duplicates: %d\n"+
		"  latency p50 %v  p99 %v  max %v\n", f.name, f.memPerConn/1024, f.events, f.eventBytes(), f.delivered, f.expect,
		float64(f.delivered)/float64(max(f.expect, 1)), f.drops, f.dups, f.p50.Round(time.Microsecond), f.p99.Round(time.Microsecond), f.max.Round(time.Microsecond))
}

func wsLoad(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("ws", flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "rembug's base URL")
	metricsURL := fs.String("metrics", "", "rembug's Prometheus /metrics URL (its REMBUG_METRICS_ADDR listener); empty: <url>/metrics with the bearer token in REMBUG_METRICS_TOKEN")
	code := fs.String("code", "", "join code of a live session that allows guests, post-moderated (required)")
	clients := fs.Int("clients", 1000, "websocket clients")
	eventRate := fs.Int("event-rate", 4, "broadcast run: upvotes a second, each making one event (the coalescing allows 4 a second); 0 skips the run")
	rate := fs.Int("rate", 20, "mixed run: upvotes a second, coalesced into events; 0 skips the run")
	dur := fs.Duration("duration", 30*time.Second, "how long upvotes are sent in each run")
	nPart := fs.Int("participants", 400, "guest participants that upvote")
	nQ := fs.Int("questions", 100, "questions asked before the runs")
	idle := fs.Duration("idle", 5*time.Second, "wait before reading memory with idle connections")
	noBase := fs.Bool("no-baseline", false, "skip the baseline hub")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *code == "" || *clients <= 0 || *rate < 0 || *eventRate < 0 || *rate+*eventRate == 0 {
		return errors.New("--code, positive --clients and a positive --rate or --event-rate are required")
	}
	*base = strings.TrimSuffix(*base, "/")
	channel, err := liveChannel(ctx, *base, *code)
	if err != nil {
		return err
	}
	wsURL := "ws" + strings.TrimPrefix(*base, "http") + "/live/ws?channel=" + channel
	tr := &http.Transport{MaxIdleConnsPerHost: 512, MaxConnsPerHost: 512}

	fmt.Printf("setup: %d participants, %d questions\n", *nPart, *nQ)
	guests, err := newGuests(ctx, *base, *code, max(*nPart, *nQ), tr)
	if err != nil {
		return err
	}
	qids, err := askQuestions(ctx, *base, *code, wsURL, guests[:*nQ])
	if err != nil {
		return err
	}
	before, err := snapshot(ctx, wsURL)
	if err != nil {
		return err
	}
	pairs := newPairSource(*nPart, len(qids))
	want := map[int64]int{}
	// The broadcast run is the primary comparison: rembug, like the
	// baseline, handles one HTTP request per event (an upvote instead of a
	// POST /publish). The mixed run adds the upvote load (many requests per
	// coalesced event), which the baseline does not carry.
	runs := []struct {
		name string
		rate int
	}{{"broadcast", *eventRate}, {"mixed", *rate}}
	firstRun := true
	for _, run := range runs {
		if run.rate == 0 {
			continue
		}
		rss := func() (int64, error) { return metricRSS(ctx, *base, *metricsURL) }
		var up *upvoteRun
		reb, err := measure(ctx, fmt.Sprintf("rembug, %s run (%d upvotes/s over HTTP during the run)", run.name, run.rate),
			wsURL, *clients, *idle, *dur, rss, func() error {
				up, err = runUpvotes(ctx, *base, *code, guests[:*nPart], qids, pairs, run.rate, *dur)
				return err
			})
		if err != nil {
			return err
		}
		if !firstRun { // the server's memory already grew in the earlier run
			reb.memPerConn = math.NaN()
		}
		firstRun = false
		reb.print()
		fmt.Printf("  upvotes: %d accepted, %d failed (%.0f/s)\n", up.ok.Load(), up.failed.Load(), float64(up.ok.Load())/up.elapsed.Seconds())
		for q, n := range up.want {
			want[q] += n
		}
		if *noBase {
			continue
		}
		// The baseline broadcasts as many events a second, of the same size.
		bl, err := runBaseline(ctx, *clients, *idle, *dur, float64(reb.events)/dur.Seconds(), reb.eventBytes())
		if err != nil {
			return err
		}
		bl.print()
		fmt.Printf("ratios rembug/baseline (%s run): p50 %.2fx  p99 %.2fx  memory per idle connection %.2fx  delivered %.4f vs %.4f\n",
			run.name, ratio(reb.p50, bl.p50), ratio(reb.p99, bl.p99), reb.memPerConn/bl.memPerConn,
			float64(reb.delivered)/float64(max(reb.expect, 1)), float64(bl.delivered)/float64(max(bl.expect, 1)))
	}
	after, err := snapshot(ctx, wsURL)
	if err != nil {
		return err
	}
	was := map[int64]int{}
	for _, q := range before.Questions {
		was[q.ID] = q.Upvotes
	}
	lost, doubled := 0, 0
	for _, q := range after.Questions {
		want := was[q.ID] + want[q.ID]
		switch {
		case q.Upvotes < want:
			lost += want - q.Upvotes
		case q.Upvotes > want:
			doubled += q.Upvotes - want
		}
	}
	fmt.Printf("stored counts vs accepted upvotes (all runs): %d lost, %d doubled\n", lost, doubled)
	return nil
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(max(b, 1)) }

// measure connects n clients to wsURL, reads memory per idle connection
// with rss, then records deliveries while load runs, and 5 s after.
func measure(ctx context.Context, name, wsURL string, n int, idle, dur time.Duration, rss func() (int64, error), load func() error) (wsFigures, error) {
	f := wsFigures{name: name}
	r0, err := rss()
	if err != nil {
		return f, err
	}
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	pool, err := dialPool(pctx, wsURL, nil, n)
	if err != nil {
		return f, err
	}
	fmt.Printf("%s: %d clients connected in %v\n", name, n, time.Since(start).Round(time.Millisecond))
	time.Sleep(idle)
	r1, err := rss()
	if err != nil {
		return f, err
	}
	f.memPerConn = float64(r1-r0) / float64(n)
	first := uint64(0)
	for i := range pool.last {
		first = max(first, pool.last[i].Load())
	}
	pool.first.Store(first + 1)
	pool.stats.measure.Store(true)
	if err := load(); err != nil {
		return f, err
	}
	time.Sleep(5 * time.Second) // drain
	pool.stats.measure.Store(false)
	last := uint64(0)
	for i := range pool.last {
		last = max(last, pool.last[i].Load())
	}
	cancel()
	pool.wg.Wait()
	if last >= first+1 {
		f.events = int64(last - first)
	}
	lat := pool.stats.sorted()
	f.p50, f.p99, f.max = pctOf(lat, .5), pctOf(lat, .99), pctOf(lat, 1)
	f.delivered, f.expect = pool.stats.delivered.Load(), f.events*int64(n)
	f.drops, f.dups = pool.stats.drops.Load(), pool.stats.dups.Load()
	f.bytes = pool.stats.bytes.Load()
	return f, nil
}

// runBaseline starts the baseline hub as a child process and measures it
// like rembug, publishing rate events a second for dur.
func runBaseline(ctx context.Context, n int, idle, dur time.Duration, rate float64, size int) (wsFigures, error) {
	self, err := os.Executable()
	if err != nil {
		return wsFigures{}, err
	}
	cmd := exec.CommandContext(ctx, self, "ws-baseline-server")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return wsFigures{}, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return wsFigures{}, err
	}
	defer func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() }()
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return wsFigures{}, err
	}
	base := "http://" + strings.TrimSpace(addr)
	rss := func() (int64, error) {
		res, err := http.Get(base + "/rss")
		if err != nil {
			return 0, err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return strconv.ParseInt(string(b), 10, 64)
	}
	rate = max(rate, 1)
	return measure(ctx, fmt.Sprintf("baseline (minimal gorilla/websocket hub, %.1f events/s of %d bytes)", rate, size), "ws"+strings.TrimPrefix(base, "http")+"/ws?x=1", n, idle, dur, rss, func() error {
		interval := time.Duration(float64(time.Second) / rate)
		total := int(rate * dur.Seconds())
		start := time.Now()
		for i := 0; i < total; i++ {
			if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
				time.Sleep(d)
			}
			res, err := http.Post(base+"/publish?size="+strconv.Itoa(size), "text/plain", nil)
			if err != nil {
				return err
			}
			res.Body.Close()
		}
		return nil
	})
}

// metricRSS reads process_resident_memory_bytes from rembug's metrics:
// metricsURL, or else base's /metrics with the token of the environment's
// REMBUG_METRICS_TOKEN.
func metricRSS(ctx context.Context, base, metricsURL string) (int64, error) {
	u := metricsURL
	if u == "" {
		u = base + "/metrics"
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if tok := os.Getenv("REMBUG_METRICS_TOKEN"); tok != "" && metricsURL == "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "process_resident_memory_bytes "); ok {
			f, err := strconv.ParseFloat(v, 64)
			return int64(f), err
		}
	}
	return 0, errors.New("/metrics has no process_resident_memory_bytes")
}

// liveChannel finds the session's public channel from its participant page.
func liveChannel(ctx context.Context, base, code string) (string, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/live/"+code, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	_, rest, ok := strings.Cut(string(b), `data-channel="`)
	ch, _, ok2 := strings.Cut(rest, `"`)
	if res.StatusCode != 200 || !ok || !ok2 {
		return "", fmt.Errorf("GET /live/%s: status %d, no live page", code, res.StatusCode)
	}
	return ch, nil
}
