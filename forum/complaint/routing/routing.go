// Package routing suggests which agency (OPD) and topic a new complaint
// belongs to, learned from the pemda's own routed complaints.
//
// Text is read with search's Indonesian analysis (stop words removed, words
// reduced to roots), so "diperbaiki", "perbaikan" and "memperbaiki" count as
// one word. The classifier is complement naive Bayes (J. D. M. Rennie, L.
// Shih, J. Teevan, D. R. Karger, "Tackling the Poor Assumptions of Naive
// Bayes Text Classifiers", ICML 2003): each training document's term counts
// are dampened (log(1+tf)) and length-normalized; a class is scored by the
// query's log-likelihood under the class minus that under its complement
// (every other class; the paper's one-versus-all-but-one form, §3.2), query
// terms weighted by inverse document frequency, plus the class prior (the
// agency's share of past complaints). Complement statistics stay reliable
// for agencies with few complaints, where plain naive Bayes is skewed
// towards the large ones.
//
// Learning is incremental: Learn adds one routed complaint. A Model is
// safe for concurrent use: Suggest takes a read lock, Learn a write lock.
package routing

import (
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/rembug/rembug/search/indonesian"
)

// Suggestion is one suggested agency, with the most likely topic among
// those seen with it and a confidence in [0, 1] (the agencies' scores are
// normalized to sum to 1 over all agencies).
type Suggestion struct {
	Agency string  `json:"agency"`
	Topic  string  `json:"topic"`
	Score  float64 `json:"score"`
}

// Model is a trained router.
type Model struct {
	an *indonesian.Analyzer

	mu     sync.RWMutex
	vocab  map[string]int32
	df     []int
	docs   int
	agency *cnb
	topic  *cnb
	pairs  map[[2]int]int // (agency, topic) → complaints
}

// New returns an empty model reading text with an.
func New(an *indonesian.Analyzer) *Model {
	return &Model{an: an, vocab: map[string]int32{}, agency: newCNB(), topic: newCNB(), pairs: map[[2]int]int{}}
}

// Terms returns text's analysed terms (Indonesian stems, repeats kept).
func (m *Model) Terms(text string) []string {
	return m.an.Stems(text)
}

// Docs returns how many complaints the model has learned.
func (m *Model) Docs() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.docs
}

// Learn adds one routed complaint: its text, agency and topic ("" for
// none). Empty texts teach nothing.
func (m *Model) Learn(text, agency, topic string) {
	terms := m.Terms(text)
	if len(terms) == 0 || agency == "" {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	vec := m.vector(terms, true)
	m.docs++
	a := m.agency.learn(agency, vec)
	t := -1
	if topic != "" {
		t = m.topic.learn(topic, vec)
	}
	m.pairs[[2]int{a, t}]++
}

// vector returns the dampened, length-normalized term weights of terms;
// with add, new terms join the vocabulary and document frequencies count.
func (m *Model) vector(terms []string, add bool) map[int32]float64 {
	tf := map[int32]float64{}
	for _, w := range terms {
		id, ok := m.vocab[w]
		if !ok {
			if !add {
				continue
			}
			id = int32(len(m.df))
			m.vocab[w] = id
			m.df = append(m.df, 0)
		}
		if tf[id] == 0 && add {
			m.df[id]++
		}
		tf[id]++
	}
	var norm float64
	for id, n := range tf {
		tf[id] = math.Log1p(n)
		norm += tf[id] * tf[id]
	}
	norm = math.Sqrt(norm)
	for id := range tf {
		tf[id] /= norm
	}
	return tf
}

// Suggest returns up to k agencies for text, best first; none when the
// model is empty or no word of text was seen before.
func (m *Model) Suggest(text string, k int) []Suggestion {
	terms := m.Terms(text)
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.docs == 0 {
		return nil
	}
	q := m.vector(terms, false)
	if len(q) == 0 {
		return nil
	}
	for id := range q {
		q[id] *= math.Log(float64(m.docs+1)/float64(m.df[id]+1)) + 1
	}
	ap := softmax(m.agency.scores(q, len(m.df)))
	tp := softmax(m.topic.scores(q, len(m.df)))
	order := make([]int, len(ap))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if ap[a] != ap[b] {
			if ap[a] > ap[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(m.agency.names[a], m.agency.names[b])
	})
	out := make([]Suggestion, 0, k)
	for _, a := range order[:min(k, len(order))] {
		s := Suggestion{Agency: m.agency.names[a], Score: math.Round(ap[a]*1000) / 1000}
		best := 0.0
		for t, p := range tp {
			if m.pairs[[2]int{a, t}] > 0 && p > best {
				best, s.Topic = p, m.topic.names[t]
			}
		}
		out = append(out, s)
	}
	return out
}

func softmax(xs []float64) []float64 {
	if len(xs) == 0 {
		return nil
	}
	mx := slices.Max(xs)
	out := make([]float64, len(xs))
	var sum float64
	for i, x := range xs {
		out[i] = math.Exp(x - mx)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}
