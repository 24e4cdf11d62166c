package web_test

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/rancangan"
)

// benchDraftText writes a draft of n Pasal in c BAB, each Pasal with three
// ayat, and a Penjelasan pasal demi pasal.
func benchDraftText(n, chapters int) string {
	var b strings.Builder
	b.WriteString("RANCANGAN PERATURAN DAERAH KOTA TANJUNG SARI\nTENTANG\nPENGELOLAAN SAMPAH\n\n")
	roman := []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}
	for i := 1; i <= n; i++ {
		if (i-1)%(n/chapters) == 0 {
			fmt.Fprintf(&b, "BAB %s\nKETENTUAN BAGIAN %d\n\n", roman[(i-1)/(n/chapters)], i)
		}
		fmt.Fprintf(&b, "Pasal %d\n", i)
		for a := 1; a <= 3; a++ {
			fmt.Fprintf(&b, "(%d) Setiap orang wajib mengelola sampah sesuai ketentuan pasal %d ayat %d dengan cara yang berwawasan lingkungan.\n", a, i, a)
		}
		b.WriteString("\n")
	}
	b.WriteString("PENJELASAN\nI. UMUM\nPengelolaan sampah perlu diatur.\nII. PASAL DEMI PASAL\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "Pasal %d\nCukup jelas.\n", i)
	}
	return b.String()
}

// seedDraftInputs creates a 60-Pasal draft in f's consultation with inputs
// inputs from 500 participants spread over its ayat, a third of them
// answered, and returns the matrix page's path.
func seedDraftInputs(b *testing.B, f *fixture, inputs int) string {
	ctx := context.Background()
	admin := f.staff(b)
	st := rancangan.NewStore(f.db, func() time.Time { return now })
	d, err := st.Create(ctx, admin, f.c, 0, "", benchDraftText(60, 10))
	if err != nil {
		b.Fatal(err)
	}
	doc, err := rancangan.DocumentOf(ctx, f.db, d, 1)
	if err != nil {
		b.Fatal(err)
	}
	seq := map[string]int{}
	for i, u := range doc.Units {
		seq[u.Anchor] = i
	}
	pids := make([]int64, 500)
	for i := range pids {
		p, err := forum.EnsureParticipant(ctx, f.db, forum.ParticipantGuest, "bench", "warga-"+strconv.Itoa(i), now)
		if err != nil {
			b.Fatal(err)
		}
		pids[i] = p.ID
	}
	rows := make([]rancangan.Input, inputs)
	for i := range rows {
		in := rancangan.Input{DraftID: d.ID, ConsultationID: f.c.ID, Version: 1,
			Anchor:   fmt.Sprintf("pasal-%d-ayat-%d", 1+i%60, 1+(i/60)%3),
			AuthorID: pids[i%len(pids)], Stance: rancangan.Stances[i%3], State: forum.StatePublished,
			Body:      "Menurut saya ketentuan ini perlu memperhatikan kemampuan warga dan bank sampah di kelurahan. " + strconv.Itoa(i),
			CreatedAt: now.Add(time.Duration(i) * time.Second)}
		if in.Stance == rancangan.StanceAmend {
			in.Amendment, in.Supports = "Setiap orang wajib memilah sampah menjadi organik, anorganik, dan residu.", i%7
		}
		if i%3 == 0 {
			in.Decision, in.Reason, in.EffectiveVersion, in.AnsweredAt = rancangan.DecisionPartly, "Ditampung dengan penyesuaian rumusan.", 1, now
		}
		in.Seq = seq[in.Anchor]
		rows[i] = in
	}
	for s := 0; s < len(rows); s += 500 {
		part := rows[s:min(s+500, len(rows))]
		if _, err := f.db.NewInsert().Model(&part).Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	return "/k/" + f.c.Slug + "/rancangan/" + strconv.FormatInt(d.ID, 10) + "/matriks"
}

// draftOpenLoop requests path n times at rate per second (open loop: each
// request starts on schedule whether or not earlier ones finished) and
// returns the sorted latencies and the number of failures.
func draftOpenLoop(f *fixture, path string, n, rate int) ([]time.Duration, int64) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	lat := make([]time.Duration, n)
	var failed atomic.Int64
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	for i := range n {
		<-tick.C
		wg.Go(func() {
			start := time.Now()
			res, err := client.Get(f.url + path)
			if err != nil || res.StatusCode != 200 {
				failed.Add(1)
			}
			if res != nil {
				res.Body.Close()
			}
			lat[i] = time.Since(start)
		})
	}
	wg.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return lat, failed.Load()
}

// BenchmarkDraftMatrixAt50rps serves the participation matrix of a
// 60-Pasal draft with 5,000 inputs (its first page of 100 rows, the page a
// visitor opens; ?semua=1 prints all) at a steady 50 requests per second for b.N requests and reports its p50 and
// p99 latency in milliseconds; then, in the same run and at the same rate,
// the consultation page as a baseline, and the ratio of the two p99s.
//
//	go test ./web/ -run '^$' -bench DraftMatrixAt50rps -benchtime 500x
func BenchmarkDraftMatrixAt50rps(b *testing.B) {
	f := benchFixture(b)
	path := seedDraftInputs(b, f, 5000)
	if lat, failed := draftOpenLoop(f, path, 1, 50); failed > 0 {
		b.Fatalf("matrix page failed (%v)", lat)
	}
	b.ResetTimer()
	lat, failed := draftOpenLoop(f, path, b.N, 50)
	b.StopTimer()
	base, baseFailed := draftOpenLoop(f, "/k/"+f.c.Slug, b.N, 50)
	ms := func(l []time.Duration, q float64) float64 {
		return float64(l[int(q*float64(len(l)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(ms(lat, 0.50), "p50-ms")
	b.ReportMetric(ms(lat, 0.99), "p99-ms")
	b.ReportMetric(ms(base, 0.99), "baseline-p99-ms")
	b.ReportMetric(ms(lat, 0.99)/ms(base, 0.99), "p99/baseline")
	b.ReportMetric(float64(failed+baseFailed), "failed")
}

// BenchmarkDraftMatrixPage measures one matrix request at a time (60
// Pasal, 5,000 inputs), to see where the time goes.
//
//	go test ./web/ -run '^$' -bench DraftMatrixPage -benchtime 20x
func BenchmarkDraftMatrixPage(b *testing.B) {
	f := benchFixture(b)
	path := seedDraftInputs(b, f, 5000)
	b.ResetTimer()
	for range b.N {
		if code, _ := getB(b, f.url+path); code != 200 {
			b.Fatalf("status %d", code)
		}
	}
}

func getB(b *testing.B, u string) (int, int) {
	res, err := http.Get(u)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	var n int64
	buf := make([]byte, 32<<10)
	for {
		m, err := res.Body.Read(buf)
		n += int64(m)
		if err != nil {
			break
		}
	}
	return res.StatusCode, int(n)
}
