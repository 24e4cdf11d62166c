package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/forum/tz"
	"github.com/rembug/rembug/polls/indicators/indicatorstest"
	"github.com/rembug/rembug/web"
)

// BenchmarkIndicatorsAPI is the design's budget for the indicators API:
// GET /api/v1/indicators over one year holding the 5,000 real Surabaya
// complaints and 100,000 synthetic statement votes in three consultations
// (indicatorstest.SeedVotes), at 50 requests/s
// open-loop (each latency counted from the request's scheduled start) for
// REMBUG_BENCH_SECONDS (default 10). It reports p50, p99 and max in
// milliseconds for two cases in the same run:
//
//   - "steady": nothing changes, the cached figures (30 s) serve;
//   - "changing": a dashboard is open and a complaint arrives every 2 s,
//     so the watcher marks the cached figures stale and they are computed
//     again each time (the worst case of a busy complaint desk), while the
//     API answers with the last figures (indicators.Cache.Get).
//
// Run it with:
//
//	go test ./web -run '^$' -bench IndicatorsAPI -benchtime 1x
func BenchmarkIndicatorsAPI(b *testing.B) {
	ctx := context.Background()
	db := storagetest.NewDB(b)
	if err := web.Migrate(ctx, db); err != nil {
		b.Fatal(err)
	}
	loc := tz.Default().Loc
	cs, err := complaint.NewStore(ctx, db, complaint.Config{Location: loc})
	if err != nil {
		b.Fatal(err)
	}
	wd, _ := os.Getwd()
	in, err := os.Open(filepath.Join(wd, "../../shared/data/id-complaints/surabaya_complaints_meta.csv"))
	if err != nil {
		b.Skipf("the real complaints are not beside the repository: %v", err)
	}
	if _, err := cs.Import(ctx, complaint.Actor{System: true}, "surabaya.csv", in, loc); err != nil {
		b.Fatal(err)
	}
	in.Close()
	start := time.Date(2022, 1, 1, 0, 0, 0, 0, loc)
	indicatorstest.SeedVotes(b, db, start)
	srv, err := web.New(ctx, web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	ts := httptest.NewServer(srv)
	b.Cleanup(ts.Close)
	api := ts.URL + "/api/v1/indicators?from=2022-01-01&to=2022-12-31"
	seconds := 10
	if v := os.Getenv("REMBUG_BENCH_SECONDS"); v != "" {
		fmt.Sscan(v, &seconds)
	}
	run := func(b *testing.B, during func(stop <-chan struct{})) {
		if res, err := http.Get(api); err != nil { // the figures computed once, as on a running node
			b.Fatal(err)
		} else {
			res.Body.Close()
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		if during != nil {
			wg.Add(1)
			go func() { defer wg.Done(); during(stop) }()
		}
		lat, failed := openLoop(api, 50, time.Duration(seconds)*time.Second)
		close(stop)
		wg.Wait()
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
		b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
		b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
		b.ReportMetric(float64(failed), "failed")
	}
	b.Run("steady", func(b *testing.B) {
		for b.Loop() {
			run(b, nil)
		}
	})
	b.Run("changing", func(b *testing.B) {
		conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/dasbor/ws?channel=dasbor-publik",
			http.Header{"Origin": {ts.URL}})
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close()
		go func() { // drain the events
			for {
				if _, _, err := conn.ReadMessage(); err != nil {
					return
				}
			}
		}()
		for b.Loop() {
			run(b, func(stop <-chan struct{}) {
				t := time.NewTicker(2 * time.Second)
				defer t.Stop()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					case <-t.C:
					}
					_, err := cs.Submit(ctx, complaint.Actor{System: true}, complaint.Intake{Channel: complaint.ChannelWeb,
						Body: fmt.Sprintf("Lampu jalan mati di gang %d sejak kemarin malam", i), ReporterName: "Warga", ReporterEmail: "warga@contoh.test"})
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
	})
}

// openLoop GETs url rate times a second for d on a fixed schedule and
// returns the latencies, sorted, each from its request's scheduled start
// (so a stalled server counts in full), and how many failed.
func openLoop(url string, rate int, d time.Duration) ([]time.Duration, int) {
	n := int(d.Seconds() * float64(rate))
	lat := make([]time.Duration, n)
	failed := 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 30 * time.Second}
	t0 := time.Now()
	for i := range n {
		at := t0.Add(time.Duration(i) * time.Second / time.Duration(rate))
		time.Sleep(time.Until(at))
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := client.Get(url)
			if err == nil {
				io.Copy(io.Discard, res.Body) //nolint:errcheck // only the time matters
				res.Body.Close()
			}
			lat[i] = time.Since(at)
			if err != nil || res.StatusCode != http.StatusOK {
				mu.Lock()
				failed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	return lat, failed
}
