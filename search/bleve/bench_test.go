package bleve_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/forum/storage"
	"github.com/rembug/rembug/search"
	"github.com/rembug/rembug/search/bleve"
)

// benchWords are the building blocks of generated proposals: roots and
// affixed forms, so the stemmer has work to do.
var benchWords = strings.Fields(`jalan perbaikan memperbaiki rusak berlubang lampu lampu-lampu penerangan
	taman bermain anak pelayanan melayani layanan kesehatan puskesmas sampah kebersihan membersihkan sungai
	banjir saluran drainase air bersih sumur pdam sekolah pendidikan guru pasar pedagang parkir terminal
	angkutan bus halte trotoar pejalan kaki sepeda keamanan ronda warga kelurahan kecamatan desa dusun
	pembangunan membangun jembatan gedung posyandu bantuan sosial pengaduan perizinan pelatihan usaha kecil
	menengah petani nelayan pupuk irigasi sawah pohon penghijauan polusi udara kebisingan pemadam kebakaran
	internet sinyal wifi perpustakaan olahraga lapangan masjid gereja pemakaman anggaran transparansi`)

// benchFiller are words that carry little meaning.
var benchFiller = strings.Fields(`yang di dan untuk dengan agar karena sudah belum sangat perlu segera mohon
	kami warga sekitar setiap hari malam pagi lebih baik banyak sekali tahun ini depan dekat rumah`)

// genDocs returns n proposals from a seeded generator (the same n gives the
// same documents). Words follow a Zipf distribution (s = 1.1) over the topic
// words, the filler words and the stemmer's root dictionary with common
// affixes, shuffled, so that frequent words are very frequent and most are rare, as
// in real text.
func genDocs(tb testing.TB, n int) []search.Document {
	r := rand.New(rand.NewPCG(42, 2026))
	vocab := append(slices.Clone(benchWords), benchFiller...)
	affixes := []string{"%s", "me%s", "di%s", "%skan", "pe%san", "ber%s", "%snya", "ke%san"}
	for i, root := range strings.Fields(indonesianRoots(tb)) {
		vocab = append(vocab, fmt.Sprintf(affixes[i%len(affixes)], root))
	}
	r.Shuffle(len(vocab), func(i, j int) { vocab[i], vocab[j] = vocab[j], vocab[i] })
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1))
	pick := func() string { return vocab[zipf.Uint64()] }
	sentence := func(words int) string {
		parts := make([]string, words)
		for i := range parts {
			parts[i] = pick()
		}
		return strings.Join(parts, " ")
	}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	docs := make([]search.Document, n)
	for i := range docs {
		vis := search.VisibilityPublic
		if r.IntN(20) == 0 {
			vis = search.GroupVisibility(int64(1 + r.IntN(50)))
		}
		docs[i] = search.Document{
			ID: "proposal:" + strconv.Itoa(i+1), Kind: search.KindProposal, Language: "id",
			Title: sentence(4 + r.IntN(5)), Body: sentence(25 + r.IntN(40)),
			Topics: []string{benchWords[r.IntN(len(benchWords))]}, ConsultationID: int64(1 + r.IntN(40)), Status: "open",
			Visibility: vis, Created: start.Add(time.Duration(i) * time.Minute), Supports: r.IntN(500),
		}
	}
	return docs
}

// benchQueries are typical searches, including a typo and a browse.
var benchQueries = []string{"perbaikan jalan", "layanan kesehatan", "sampah sungai", "lampu", "air bersih",
	"pelayana", "taman bermain anak", "banjir drainase", "jembatan", ""}

// BenchmarkSearch builds a Bleve index (scorch, on disk) and a SQLite table
// of the same generated proposals once, then measures query latency on
// both: Bleve full text with facets and snippets, and the SQL baseline
// (LIKE '%term%' per word, COUNT plus one page), then browsing (empty
// query) alone, cached and right after a write. REMBUG_BENCH_DOCS sets the
// number of proposals (default 100,000).
func BenchmarkSearch(b *testing.B) {
	n := 100000
	if v, err := strconv.Atoi(os.Getenv("REMBUG_BENCH_DOCS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	docs := genDocs(b, n)
	dir := b.TempDir()
	idx, err := bleve.Open(filepath.Join(dir, "bleve"))
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()
	t0 := time.Now()
	if err := idx.Index(ctx, docs...); err != nil {
		b.Fatal(err)
	}
	bleveRate := float64(n) / time.Since(t0).Seconds()
	for wait := time.Now(); idx.Segments() > 8 && time.Since(wait) < time.Minute; {
		time.Sleep(100 * time.Millisecond) // let background merges settle, as in steady state
	}
	db, err := storage.OpenSQLite(filepath.Join(dir, "like.db"), 0)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	t0 = time.Now()
	if err := loadSQLite(ctx, db.DB, docs); err != nil {
		b.Fatal(err)
	}
	sqlRate := float64(n) / time.Since(t0).Seconds()
	b.Logf("%d proposals: Bleve indexing %.0f docs/s, SQLite insert %.0f rows/s", n, bleveRate, sqlRate)

	run := func(name string, query func(text string) (int, error)) {
		b.Run(name, func(b *testing.B) {
			var lat []time.Duration
			for i := 0; b.Loop(); i++ {
				t := time.Now()
				if _, err := query(benchQueries[i%len(benchQueries)]); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t))
			}
			slices.Sort(lat)
			pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.95), "p95-ms")
		})
	}
	viewer := search.Viewer{Groups: []int64{3}}
	run("bleve", func(text string) (int, error) {
		res, err := idx.Search(ctx, search.Query{Text: text, Viewer: viewer})
		return res.Total, err
	})
	run("sqlite-like", func(text string) (int, error) { return likeSearch(ctx, db.DB, text) })
	// Browsing alone: served from the browse cache between writes, and
	// computed afresh right after a write (the worst case).
	run("bleve-browse", func(string) (int, error) {
		res, err := idx.Search(ctx, search.Query{Viewer: viewer})
		return res.Total, err
	})
	run("bleve-browse-after-write", func(string) (int, error) {
		if err := idx.Index(ctx, docs[0]); err != nil {
			return 0, err
		}
		res, err := idx.Search(ctx, search.Query{Viewer: viewer})
		return res.Total, err
	})
}
