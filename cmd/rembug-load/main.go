// Command rembug-load drives load against a running rembug node and reports
// latency percentiles, for the budgets in the design (page render p99 under
// 50 ms at 200 requests/s, and so on).
//
//	rembug-load http --url http://127.0.0.1:8080/k/SLUG --rate 200 --duration 30s
//	                 [--baseline http://127.0.0.1:8080/healthz]
//
// The HTTP mode is open-loop: requests start on a fixed schedule whatever the
// server does, and each latency is measured from the request's scheduled
// start, so a stalled server shows up in the percentiles instead of slowing
// the load down (no coordinated omission). With --baseline it runs the same
// schedule against a second URL first and prints the ratios.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"sync"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: rembug-load http|ws [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "http":
		err = httpLoad(ctx, os.Args[2:])
	case "ws": // ws.go
		err = wsLoad(ctx, os.Args[2:])
	case "ws-baseline-server": // ws_baseline.go, started by ws
		err = baselineServer()
	default:
		err = fmt.Errorf("unknown mode %q (want http or ws)", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "rembug-load:", err)
		os.Exit(1)
	}
}

// result holds one run's latencies (sorted) and failures.
type result struct {
	url       string
	latencies []time.Duration
	errors    int
	elapsed   time.Duration
}

func (r result) pct(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	i := int(p * float64(len(r.latencies)-1))
	return r.latencies[i]
}

func httpLoad(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("http", flag.ContinueOnError)
	url := fs.String("url", "", "URL to load (required)")
	baseline := fs.String("baseline", "", "URL measured first with the same schedule, for ratios")
	rate := fs.Int("rate", 200, "requests per second")
	dur := fs.Duration("duration", 30*time.Second, "how long each run lasts")
	maxInFlight := fs.Int("max-in-flight", 512, "bound on concurrent requests")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *url == "" || *rate <= 0 || *dur <= 0 {
		return errors.New("--url, a positive --rate and a positive --duration are required")
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *maxInFlight}}
	var runs []result
	for _, u := range []string{*baseline, *url} {
		if u == "" {
			continue
		}
		r, err := run(ctx, client, u, *rate, *dur, *maxInFlight)
		if err != nil {
			return err
		}
		runs = append(runs, r)
		fmt.Printf("%s\n  %d requests in %v (%.0f/s), %d errors\n  p50 %v  p90 %v  p99 %v  max %v\n",
			r.url, len(r.latencies), r.elapsed.Round(time.Millisecond), float64(len(r.latencies))/r.elapsed.Seconds(),
			r.errors, r.pct(.50).Round(time.Microsecond), r.pct(.90).Round(time.Microsecond),
			r.pct(.99).Round(time.Microsecond), r.pct(1).Round(time.Microsecond))
	}
	if len(runs) == 2 {
		b, m := runs[0], runs[1]
		fmt.Printf("ratio to baseline: p50 %.2fx  p99 %.2fx\n",
			float64(m.pct(.5))/float64(b.pct(.5)), float64(m.pct(.99))/float64(b.pct(.99)))
	}
	return nil
}

func run(ctx context.Context, client *http.Client, url string, rate int, dur time.Duration, maxInFlight int) (result, error) {
	n := int(dur.Seconds() * float64(rate))
	interval := time.Second / time.Duration(rate)
	lat := make([]time.Duration, 0, n)
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxInFlight)
	res := result{url: url}
	start := time.Now()
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(i) * interval)
		if d := time.Until(at); d > 0 {
			select {
			case <-ctx.Done():
				return res, ctx.Err()
			case <-time.After(d):
			}
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			ok := get(ctx, client, url)
			d := time.Since(at)
			mu.Lock()
			if ok {
				lat = append(lat, d)
			} else {
				res.errors++
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	slices.Sort(lat)
	res.latencies = lat
	return res, nil
}

func get(ctx context.Context, client *http.Client, url string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body) //nolint:errcheck // draining for connection reuse
	return resp.StatusCode == http.StatusOK
}
