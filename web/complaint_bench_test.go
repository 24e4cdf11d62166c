package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// intakeBody is a complaint as a channel gateway posts it.
var intakeBody = []byte(`{"text":"Saluran air di depan rumah tersumbat sampah, mohon dibersihkan","kecamatan":"Tandes","kelurahan":"Tandes"}`)

// postIntake posts body to the intake API with the staff token and key.
func postIntake(client *http.Client, a *complaintAPI, body []byte, key string) (int, error) {
	req, _ := http.NewRequest("POST", a.url+"/api/v1/complaints", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+a.admin)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}

// storedIntake counts the complaints the API stored.
func storedIntake(b *testing.B, a *complaintAPI) int64 {
	var n int64
	if err := a.db.NewRaw("SELECT count(*) FROM complaints WHERE channel = 'api'").Scan(context.Background(), &n); err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkComplaintIntakeHTTP measures complaint intake over HTTP (a
// channel gateway with a staff token, each message with its own
// idempotency key) on SQLite, or PostgreSQL with REMBUG_TEST_DATABASE_URL
// set, against a baseline in the same run:
//   - baseline: the same request refused before any write (a body without
//     text: authentication, the rate limit, decoding, 400), the cost of the
//     HTTP path around intake;
//   - intake: closed loop, 8 parallel clients, as fast as they go;
//     complaints/s, and every accepted complaint stored once;
//   - paced500: open loop at 500 requests/s for 2 s (1,000 requests per
//     iteration, each in its own goroutine, whatever the answers' speed):
//     the rate achieved, p50/p99 latency, and lost = accepted − stored
//     (must be 0) and failed (non-201 answers or transport errors).
//
// Run: go test ./web -run '^$' -bench BenchmarkComplaintIntakeHTTP -benchtime 2s
// (paced500 then runs as many 2 s bursts as fit; add -benchtime 1x for one).
func BenchmarkComplaintIntakeHTTP(b *testing.B) {
	a := newComplaintAPI(b)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}}
	var seq atomic.Int64
	key := func() string { return fmt.Sprintf("bench-%d", seq.Add(1)) }

	b.Run("baseline", func(b *testing.B) {
		bad := []byte(`{"kecamatan":"Tandes"}`)
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				code, err := postIntake(client, a, bad, key())
				if err != nil || code != http.StatusBadRequest {
					b.Errorf("baseline: %d %v", code, err)
					return
				}
			}
		})
	})

	b.Run("intake", func(b *testing.B) {
		before := storedIntake(b, a)
		var ok atomic.Int64
		b.SetParallelism(8)
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				code, err := postIntake(client, a, intakeBody, key())
				if err != nil || code != http.StatusCreated {
					b.Errorf("intake: %d %v", code, err)
					return
				}
				ok.Add(1)
			}
		})
		elapsed := time.Since(start)
		b.StopTimer()
		if n := storedIntake(b, a) - before; n != ok.Load() {
			b.Fatalf("%d complaints stored for %d accepted", n, ok.Load())
		}
		b.ReportMetric(float64(ok.Load())/elapsed.Seconds(), "complaints/s")
	})

	b.Run("paced500", func(b *testing.B) {
		const rate, total = 500, 1000
		var lats []time.Duration
		var accepted, failed int64
		var elapsed time.Duration
		for range b.N {
			before := storedIntake(b, a)
			var mu sync.Mutex
			var wg sync.WaitGroup
			var ok, bad atomic.Int64
			start := time.Now()
			for i := range total {
				if d := time.Until(start.Add(time.Duration(i) * time.Second / rate)); d > 0 {
					time.Sleep(d)
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					t0 := time.Now()
					code, err := postIntake(client, a, intakeBody, key())
					lat := time.Since(t0)
					if err != nil || code != http.StatusCreated {
						bad.Add(1)
						return
					}
					ok.Add(1)
					mu.Lock()
					lats = append(lats, lat)
					mu.Unlock()
				}()
			}
			wg.Wait()
			elapsed += time.Since(start)
			accepted += ok.Load()
			failed += bad.Load()
			if lost := ok.Load() - (storedIntake(b, a) - before); lost != 0 {
				b.Fatalf("%d accepted complaints not stored", lost)
			}
		}
		b.StopTimer()
		slices.Sort(lats)
		q := func(p float64) float64 {
			if len(lats) == 0 {
				return 0
			}
			return float64(lats[min(len(lats)-1, int(p*float64(len(lats))))].Microseconds()) / 1000
		}
		b.ReportMetric(float64(accepted)/elapsed.Seconds(), "complaints/s")
		b.ReportMetric(q(0.50), "p50-ms")
		b.ReportMetric(q(0.99), "p99-ms")
		b.ReportMetric(float64(failed), "failed")
		b.ReportMetric(0, "lost")
	})
}
