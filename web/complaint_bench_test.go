package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkComplaintIntakeHTTP posts complaints over HTTP from parallel
// clients (a channel gateway with a staff token, each message with its own
// idempotency key) and checks that every accepted complaint is stored once.
// Run on PostgreSQL with REMBUG_TEST_DATABASE_URL set.
func BenchmarkComplaintIntakeHTTP(b *testing.B) {
	a := newComplaintAPI(b)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	body := []byte(`{"text":"Saluran air di depan rumah tersumbat sampah, mohon dibersihkan","kecamatan":"Tandes","kelurahan":"Tandes"}`)
	var seq, ok atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("POST", a.url+"/api/v1/complaints", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+a.admin)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Idempotency-Key", fmt.Sprintf("bench-%d", seq.Add(1)))
			res, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			res.Body.Close()
			if res.StatusCode != http.StatusCreated {
				b.Errorf("status %d", res.StatusCode)
				return
			}
			ok.Add(1)
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	var n int64
	if err := a.db.NewRaw("SELECT count(*) FROM complaints WHERE channel = 'api'").Scan(context.Background(), &n); err != nil {
		b.Fatal(err)
	}
	if n != ok.Load() {
		b.Fatalf("%d complaints stored for %d accepted", n, ok.Load())
	}
	b.ReportMetric(float64(ok.Load())/elapsed.Seconds(), "complaints/s")
}
