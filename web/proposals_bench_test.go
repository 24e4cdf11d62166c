package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/storage/storagetest"
	"github.com/rembug/rembug/polls"
	"github.com/rembug/rembug/web"
)

// seedProposals inserts n published proposals by one author, in bulk.
func seedProposals(b *testing.B, f *fixture, n int, counts bool) []int64 {
	ctx := context.Background()
	author, err := forum.EnsureParticipant(ctx, f.db, forum.ParticipantImported, "bench", "author", now)
	if err != nil {
		b.Fatal(err)
	}
	var ids []int64
	for i := 0; i < n; i += 500 {
		var ps []forum.Proposal
		for j := i; j < min(i+500, n); j++ {
			ps = append(ps, forum.Proposal{ConsultationID: f.c.ID, AuthorID: author.ID, Title: fmt.Sprintf("Usulan nomor %d", j),
				Body: "isi", State: forum.StatePublished, CreatedAt: now.Add(time.Duration(j) * time.Second), UpdatedAt: now})
			if counts {
				ps[len(ps)-1].Supports, ps[len(ps)-1].Comments = j%97, j%13
			}
		}
		if _, err := f.db.NewInsert().Model(&ps).Returning("id").Exec(ctx); err != nil {
			b.Fatal(err)
		}
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
	}
	// As an import does after a bulk load: without fresh statistics
	// PostgreSQL plans for an empty table and sorts every proposal.
	if err := forum.RefreshStatistics(ctx, f.db); err != nil {
		b.Fatal(err)
	}
	return ids
}

// BenchmarkProposalListAt200rps serves the proposal list page of a
// consultation with 10,000 proposals at a steady 200 requests per second
// (open loop: requests start on schedule whether or not earlier ones are
// done) for b.N requests, cycling through sorts and pages, and reports the
// p50 and p99 latency in milliseconds.
//
//	go test ./web/ -run '^$' -bench ProposalListAt200rps -benchtime 2000x
func BenchmarkProposalListAt200rps(b *testing.B) {
	f := benchFixture(b)
	seedProposals(b, f, 10000, true)
	paths := []string{"", "?sort=supported", "?sort=commented&page=7", "?sort=random&seed=42&page=3", "?page=250"}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	lat := make([]time.Duration, b.N)
	var failed atomic.Int64
	var wg sync.WaitGroup
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		<-tick.C
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			res, err := client.Get(f.url + "/k/" + f.c.Slug + "/proposals" + paths[i%len(paths)])
			if err != nil || res.StatusCode != 200 {
				failed.Add(1)
			}
			if res != nil {
				res.Body.Close()
			}
			lat[i] = time.Since(start)
		}()
	}
	wg.Wait()
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	ms := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
	b.ReportMetric(float64(failed.Load()), "failed")
}

// BenchmarkSupportRequests sends b.N support form posts from 50 guests in
// parallel over 200 proposals, each pair twice (a double click), then
// checks that every distinct (guest, proposal) pair counts exactly once,
// and reports supports per second.
//
//	go test ./web/ -run '^$' -bench SupportRequests -benchtime 4000x
func BenchmarkSupportRequests(b *testing.B) {
	f := benchFixture(b)
	ctx := context.Background()
	ids := seedProposals(b, f, 200, false)
	if err := f.store.ConfigureRules(ctx, f.staff(b), &forum.Rules{ConsultationID: f.c.ID, GuestSupports: true, FlagThreshold: 3}); err != nil {
		b.Fatal(err)
	}
	const guests = 50
	type guest struct {
		c    *http.Client
		csrf string
	}
	gs := make([]guest, guests)
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	for i := range gs {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := c.Get(f.url + "/k/" + f.c.Slug)
		if err != nil {
			b.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		body := string(raw)
		gs[i] = guest{c: c, csrf: csrfRE.FindStringSubmatch(body)[1]}
	}
	pairs := map[[2]int]bool{}
	var jobs [][2]int
	for i := 0; len(jobs) < b.N; i++ {
		pair := [2]int{i % guests, (i / guests) % len(ids)}
		pairs[pair] = true
		jobs = append(jobs, pair, pair)
	}
	jobs = jobs[:b.N]
	pairs = map[[2]int]bool{}
	for _, j := range jobs {
		pairs[j] = true
	}
	var next, bad atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= len(jobs) {
					return
				}
				g := gs[jobs[k][0]]
				form := url.Values{"csrf": {g.csrf}}
				req, _ := http.NewRequest("POST", fmt.Sprintf("%s/p/%d/support", f.url, ids[jobs[k][1]]), strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Sec-Fetch-Site", "same-origin")
				res, err := g.c.Do(req)
				if err != nil || res.StatusCode != http.StatusSeeOther {
					bad.Add(1)
				}
				if res != nil {
					res.Body.Close()
				}
			}
		}()
	}
	wg.Wait()
	d := time.Since(start)
	b.StopTimer()
	rows, _ := f.db.NewSelect().Table("supports").Count(ctx)
	var sum int
	f.db.NewSelect().Table("proposals").ColumnExpr("COALESCE(SUM(supports), 0)").Scan(ctx, &sum)
	if bad.Load() != 0 || int(rows) != len(pairs) || sum != len(pairs) {
		b.Fatalf("failed %d; %d rows and a total of %d for %d distinct supports", bad.Load(), rows, sum, len(pairs))
	}
	b.ReportMetric(float64(b.N)/d.Seconds(), "requests/s")
	b.ReportMetric(float64(len(pairs)), "supports")
}

// benchFixture is newFixture for benchmarks: a migrated database with one
// open consultation (and one statement, so its page has a form) and a
// running server.
func benchFixture(b *testing.B) *fixture {
	ctx := context.Background()
	db := storagetest.NewDB(b)
	if err := web.Migrate(ctx, db); err != nil {
		b.Fatal(err)
	}
	c := &forum.Consultation{Title: "Taman kota", Source: "bench", SourceKey: "taman"}
	if err := forum.UpsertImportedConsultation(ctx, db, c, now); err != nil {
		b.Fatal(err)
	}
	st := &polls.Statement{ConsultationID: c.ID, SourceKey: "1", Text: "Perbanyak pohon", CreatedAt: now}
	if _, err := db.NewInsert().Model(st).Exec(ctx); err != nil {
		b.Fatal(err)
	}
	srv, err := web.New(ctx, web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "bench",
		Now: func() time.Time { return now }})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	b.Cleanup(ts.Close)
	return &fixture{db: db, store: forum.NewStore(db, func() time.Time { return now }), c: c, url: ts.URL}
}

// BenchmarkProposalListPage measures one list request at a time, per
// sort, to see where the time goes.
func BenchmarkProposalListPage(b *testing.B) {
	f := benchFixture(b)
	seedProposals(b, f, 10000, true)
	for _, q := range []string{"", "?sort=supported", "?sort=commented&page=7", "?sort=random&seed=42&page=3", "?page=250"} {
		b.Run(q, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				res, err := http.Get(f.url + "/k/" + f.c.Slug + "/proposals" + q)
				if err != nil || res.StatusCode != 200 {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		})
	}
}
