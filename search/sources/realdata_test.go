package sources_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/rembug/rembug/forum/consul"
	"github.com/rembug/rembug/polls/polis"
	"github.com/rembug/rembug/search"
	"github.com/rembug/rembug/search/bleve"
	"github.com/rembug/rembug/search/sources"
)

// sharedData finds shared/data/<sub> beside the repository (or above the
// working directory), or skips the test saying why.
func sharedData(t *testing.T, sub string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "shared", "data", sub)
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skipf("shared/data/%s is not present beside the repository; the real-data search test needs it", sub)
		}
		dir = parent
	}
}

// textRow is a searchable row with its text, read back from the database.
type textRow struct {
	ID     int64  `bun:"id"`
	Text   string `bun:"text"`
	Hidden bool   `bun:"hidden"`
}

// TestRealPolisConversations imports the statements of the four Pol.is
// conversations with the real importer (which queues them in the outbox;
// the votes, which search does not read, are left out to keep the test
// fast under -race), drains the outbox into Bleve and
// checks that known words find every visible statement that contains them
// — German, English and Chinese (Bleve's tokenizer cuts Han text into
// single characters, so an exact CJK substring is found through its
// characters) — and never a hidden one.
func TestRealPolisConversations(t *testing.T) {
	root := sharedData(t, "polis")
	w := newWorld(t)
	for _, f := range []string{"austria-climate.5twd2jsnkf.2022-08-08", "ssis.land-bank-farmland.2rumnecbeh.2021-08-01",
		"vtaiwan.uberx", "american-assembly.bowling-green"} {
		if _, err := polis.Import(w.ctx, w.db, withoutVotes(t, filepath.Join(root, f)), t0); err != nil {
			t.Fatalf("import %s: %v", f, err)
		}
	}
	idx, err := bleve.NewMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	start := time.Now()
	drain(t, w, idx)
	t.Logf("outbox drained in %v", time.Since(start))
	var stmts []textRow
	if err := w.db.NewRaw("SELECT id, text, hidden FROM statements").Scan(w.ctx, &stmts); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, query string
		words       []string // words (or CJK substrings) a statement must hold to be expected
		min         int      // at least this many visible statements expected
		hiddenToo   bool     // a hidden statement holds the words as well
	}{
		{"English, Bowling Green", "opioid", []string{"opioid"}, 6, false},
		{"German compound", "Kreuzfahrtschiffe", []string{"kreuzfahrtschiffe"}, 1, false},
		{"German, hidden statement", "Zigaretten", []string{"zigaretten"}, 0, true},
		{"German phrase", "Raumfahrt Umwelt", []string{"raumfahrt", "umwelt"}, 1, false},
		{"English", "land bank tax", []string{"land bank tax"}, 1, false},
		{"Chinese substring", "計程車", []string{"計程車"}, 5, true},
		{"Chinese word in mixed text", "uber的媒合效益", []string{"uber的媒合效益"}, 1, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := idx.Search(w.ctx, search.Query{Text: c.query, PerPage: search.MaxPerPage})
			if err != nil {
				t.Fatal(err)
			}
			found := map[string]bool{}
			for _, h := range res.Hits {
				found[h.ID] = true
			}
			if strings.Contains(c.query, "計程車") && (len(res.Hits) == 0 || !strings.Contains(string(res.Hits[0].Snippet), "<mark>計程車</mark>")) {
				t.Errorf("a run of Han characters is not marked as one: %v", res.Hits)
			}
			var tests []func(string) bool
			for _, word := range c.words {
				tests = append(tests, matcher(word))
			}
			want, hidden := 0, 0
			for _, s := range stmts {
				low := strings.ToLower(s.Text)
				if !slices.ContainsFunc(tests, func(holds func(string) bool) bool { return !holds(low) }) {
					id := sources.DocID(search.KindStatement, s.ID)
					switch {
					case s.Hidden && found[id]:
						t.Errorf("hidden statement %s found: %q", id, s.Text)
					case s.Hidden:
						hidden++
					case !found[id]:
						t.Errorf("statement %s not found: %q", id, s.Text)
					default:
						want++
					}
				}
			}
			if want < c.min || (hidden > 0) != c.hiddenToo {
				t.Errorf("%d visible and %d hidden statements hold %q; the case expects at least %d visible, hidden %v",
					want, hidden, c.words, c.min, c.hiddenToo)
			}
		})
	}
}

// withoutVotes copies the export in dir without its votes: summary.csv,
// comments.csv and a votes.csv with only its header.
func withoutVotes(t *testing.T, dir string) string {
	t.Helper()
	out := t.TempDir()
	for _, f := range []string{"summary.csv", "comments.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(out, "votes.csv"), []byte("timestamp,datetime,comment-id,voter-id,vote\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

// matcher returns a test of whether lower-cased text holds word as a
// whole word, or as a substring when word is written in Han characters
// (no spaces).
func matcher(word string) func(text string) bool {
	if strings.ContainsFunc(word, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		return func(text string) bool { return strings.Contains(text, word) }
	}
	return regexp.MustCompile(`(^|[^\pL\pN])` + regexp.QuoteMeta(word) + `([^\pL\pN]|$)`).MatchString
}

// TestRealDecideMadrid imports the Decide Madrid proposals and comments,
// rebuilds the index with search.Reindex from Source (its proposals) and
// finds known Spanish proposals.
func TestRealDecideMadrid(t *testing.T) {
	dir := filepath.Join(sharedData(t, "proposals"), "decide-madrid")
	w := newWorld(t)
	if _, err := consul.Import(w.ctx, w.db, dir, t0); err != nil {
		t.Fatalf("import: %v", err)
	}
	idx, err := bleve.NewMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	// The proposals only: the 5,633 comments take the same path and would
	// only slow the test down under -race.
	all := sources.Source(w.ctx, w.db)
	n, err := search.Reindex(w.ctx, idx, func(yield func(search.Document) error) error {
		return all(func(d search.Document) error {
			if d.Kind != search.KindProposal {
				return nil
			}
			return yield(d)
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	var props []textRow
	if err := w.db.NewRaw("SELECT id, title AS text FROM proposals").Scan(w.ctx, &props); err != nil {
		t.Fatal(err)
	}
	if n != len(props) {
		t.Fatalf("reindexed %d proposals, the database has %d", n, len(props))
	}
	for _, q := range []string{"Castellana", "limpiar las calles", "centros comerciales"} {
		t.Run(q, func(t *testing.T) {
			res, err := idx.Search(w.ctx, search.Query{Text: q, Kinds: []string{search.KindProposal}, PerPage: search.MaxPerPage})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.ID)
			}
			want := 0
			for _, p := range props {
				if strings.Contains(strings.ToLower(p.Text), strings.ToLower(q)) {
					want++
					if id := sources.DocID(search.KindProposal, p.ID); !slices.Contains(got, id) {
						t.Errorf("%s %q not found in %v", id, p.Text, got)
					}
				}
			}
			if want == 0 {
				t.Errorf("no proposal title holds %q: the case is wrong", q)
			}
		})
	}
}
