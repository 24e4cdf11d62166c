package routing

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/rembug/rembug/search/indonesian"
)

func newModel(tb testing.TB) *Model {
	tb.Helper()
	return New(indonesian.NewAnalyzer(0))
}

// baseline is plain multinomial naive Bayes over raw word counts (lower
// case, split on non-letters, Laplace smoothing, class priors): what the
// router must beat.
type baseline struct {
	counts map[string]map[string]int
	totals map[string]int
	docs   map[string]int
	vocab  map[string]bool
	n      int
}

func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func (b *baseline) learn(text, label string) {
	if b.counts == nil {
		b.counts, b.totals, b.docs, b.vocab = map[string]map[string]int{}, map[string]int{}, map[string]int{}, map[string]bool{}
	}
	if b.counts[label] == nil {
		b.counts[label] = map[string]int{}
	}
	for _, w := range words(text) {
		b.counts[label][w]++
		b.totals[label]++
		b.vocab[w] = true
	}
	b.docs[label]++
	b.n++
}

func (b *baseline) predict(text string) string {
	best, bestScore := "", math.Inf(-1)
	labels := make([]string, 0, len(b.docs))
	for l := range b.docs {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	v := float64(len(b.vocab))
	for _, l := range labels {
		s := math.Log(float64(b.docs[l]) / float64(b.n))
		for _, w := range words(text) {
			s += math.Log((float64(b.counts[l][w]) + 1) / (float64(b.totals[l]) + v))
		}
		if s > bestScore {
			best, bestScore = l, s
		}
	}
	return best
}

// The router beats the word-count naive Bayes baseline on held-out
// complaints, trained on the same history.
func TestBeatsBaseline(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 2026))
	train, test := synthesize(r, 3000, false), synthesize(r, 1500, true)
	m := newModel(t)
	var b baseline
	for _, d := range train {
		m.Learn(d.text, d.agency, d.topic)
		b.learn(d.text, d.agency)
	}
	var top1, top3, base int
	for _, d := range test {
		s := m.Suggest(d.text, 3)
		if len(s) > 0 && s[0].Agency == d.agency {
			top1++
		}
		if slices.ContainsFunc(s, func(x Suggestion) bool { return x.Agency == d.agency }) {
			top3++
		}
		if b.predict(d.text) == d.agency {
			base++
		}
	}
	n := float64(len(test))
	t.Logf("held-out accuracy: router top-1 %.3f, top-3 %.3f; baseline top-1 %.3f", float64(top1)/n, float64(top3)/n, float64(base)/n)
	if top1 <= base {
		t.Fatalf("router top-1 %d of %d does not beat the baseline's %d", top1, len(test), base)
	}
}

func TestSuggestShape(t *testing.T) {
	m := newModel(t)
	if s := m.Suggest("lampu jalan mati", 3); s != nil {
		t.Fatalf("empty model suggests %v", s)
	}
	m.Learn("Lampu penerangan jalan mati sejak kemarin", "Dinas Perhubungan", "PJU")
	m.Learn("Sampah menumpuk belum diangkut", "Dinas Lingkungan Hidup", "Sampah")
	m.Learn("Jalan berlubang dan rusak parah", "Dinas Sumber Daya Air dan Bina Marga", "Jalan Rusak dan Berlubang")
	m.Learn("", "Dinas Sosial", "Bantuan")
	s := m.Suggest("Lampu-lampu di gang kami padam, mohon dinyalakan", 3)
	if len(s) != 3 || s[0].Agency != "Dinas Perhubungan" || s[0].Topic != "PJU" {
		t.Fatalf("suggestions %+v", s)
	}
	sum := 0.0
	for i, x := range s {
		sum += x.Score
		if i > 0 && x.Score > s[i-1].Score {
			t.Fatalf("not best first: %+v", s)
		}
	}
	if sum > 1.001 {
		t.Fatalf("scores sum to %v", sum)
	}
	if m.Suggest("xyzzy qwerty", 3) != nil {
		t.Fatal("unknown words suggested something")
	}
}

// BenchmarkSuggest50k measures one suggestion with 50,000 past complaints
// and reports the 99th percentile latency.
func BenchmarkSuggest50k(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	m := newModel(b)
	for _, d := range synthesize(r, 50000, false) {
		m.Learn(d.text, d.agency, d.topic)
	}
	queries := synthesize(r, 1000, true)
	durs := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		m.Suggest(queries[i%len(queries)].text, 3)
		durs = append(durs, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durs)
	b.ReportMetric(float64(durs[len(durs)*99/100].Microseconds()), "p99-µs")
}
