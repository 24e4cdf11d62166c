// Package searchtest holds the contract that every search.Index engine must
// meet, as one test suite run against Bleve always and against Meilisearch
// when a server is configured. Each case gets a fresh, empty index from the
// caller's factory, so cases run independently.
package searchtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rembug/rembug/search"
)

// Factory returns a fresh, empty index for t, closed by t.Cleanup.
type Factory func(t *testing.T) search.Index

// Run runs the whole contract against indexes made by open.
func Run(t *testing.T, open Factory) {
	cases := []struct {
		name string
		run  func(t *testing.T, idx search.Index)
	}{
		{"C22 Indonesian stemming and stop words", testIndonesian},
		{"typo tolerance", testTypos},
		{"exact matches rank above typos", testExactFirst},
		{"numbers match exactly", testNumbers},
		{"English and mixed languages", testEnglish},
		{"C04 snippets escape before marking", testXSS},
		{"C08 invalid UTF-8", testInvalidUTF8},
		{"C17 visibility in hits, totals and facets", testVisibility},
		{"C21 deleted and replaced documents leave", testDelete},
		{"filters and facets", testFilters},
		{"sorts", testSorts},
		{"pagination", testPagination},
		{"invalid input", testInvalid},
		{"delete all", testDeleteAll},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, open(t)) })
	}
}

// base is the creation time of generated documents.
var base = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// Doc returns a public Indonesian proposal with id "proposal:<n>" created n
// hours after a fixed time.
func Doc(n int, title, body string) search.Document {
	return search.Document{
		ID: fmt.Sprintf("proposal:%d", n), Kind: search.KindProposal, Title: title, Body: body,
		Visibility: search.VisibilityPublic, Status: "open", Language: "id", ConsultationID: 1,
		Created: base.Add(time.Duration(n) * time.Hour),
	}
}

// MustIndex indexes docs or fails tb.
func MustIndex(tb testing.TB, idx search.Index, docs ...search.Document) {
	tb.Helper()
	if err := idx.Index(context.Background(), docs...); err != nil {
		tb.Fatalf("Index: %v", err)
	}
}

// MustSearch runs q or fails tb.
func MustSearch(tb testing.TB, idx search.Index, q search.Query) search.Result {
	tb.Helper()
	res, err := idx.Search(context.Background(), q)
	if err != nil {
		tb.Fatalf("Search(%+v): %v", q, err)
	}
	return res
}

// IDs returns the hit IDs of res in order.
func IDs(res search.Result) []string {
	out := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

// expect checks that searching text as the anonymous viewer returns
// exactly want, in any order.
func expect(t *testing.T, idx search.Index, text string, want ...string) {
	t.Helper()
	res := MustSearch(t, idx, search.Query{Text: text, PerPage: 100})
	got := IDs(res)
	slices.Sort(got)
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("search %q = %v, want %v", text, got, want)
	}
	if res.Total != len(want) {
		t.Errorf("search %q: total %d, want %d", text, res.Total, len(want))
	}
}

func testIndonesian(t *testing.T, idx search.Index) {
	MustIndex(t, idx,
		Doc(1, "Revisi Perda No 5 tentang pelayanan air bersih", "Usulan agar PDAM memperluas jaringan pipa."),
		Doc(2, "Melayani warga di kelurahan", "Petugas kelurahan harus ramah."),
		Doc(3, "Perbaikan jalan", "Banyak lubang yang berbahaya."),
		Doc(4, "Memperbaiki jalan rusak", "Jalan menuju pasar rusak parah."),
		Doc(5, "Lampu-lampu taman mati", "Taman kota gelap pada malam hari."),
		Doc(6, "Pengaduan sampah", "Kebersihan sungai perlu dijaga."),
	)
	cases := []struct {
		query string
		want  []string
	}{
		{"no 5", []string{"proposal:1"}},
		{"layanan", []string{"proposal:1", "proposal:2"}},
		{"perbaiki", []string{"proposal:3", "proposal:4"}},
		{"perbaikan jalan", []string{"proposal:3", "proposal:4"}},
		{"memperbaiki jalan rusak", []string{"proposal:4"}},
		{"lampu", []string{"proposal:5"}},
		{"bersih", []string{"proposal:1", "proposal:6"}},
		{"adu", []string{"proposal:6"}},
		{"yang", nil},
		{"di", nil},
		{"yang di", nil},
		{"JALAN", []string{"proposal:3", "proposal:4"}},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) { expect(t, idx, c.query, c.want...) })
	}
}

func testTypos(t *testing.T, idx search.Index) {
	MustIndex(t, idx,
		Doc(1, "Pelayanan kesehatan puskesmas", "Antrean terlalu panjang."),
		Doc(2, "Taman bermain anak", "Perlu ayunan baru."),
		Doc(3, "Pasar", "Atap bocor."),
	)
	cases := []struct {
		query string
		want  []string
	}{
		{"puskesmaz", []string{"proposal:1"}},  // one substitution, 9 letters
		{"pelayana", []string{"proposal:1"}},   // one deletion
		{"tamann", []string{"proposal:2"}},     // one insertion, 6 letters
		{"psar", nil},                          // 4 letters: no typo allowed
		{"puskxsmaz", nil},                     // two typos
		{"kesehatan taman", nil},               // every word must match
		{"taman anak", []string{"proposal:2"}}, // all words present
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) { expect(t, idx, c.query, c.want...) })
	}
}

// testNumbers: digits carry no typo tolerance. A postcode, an RT/RW
// number, a year or a regulation number finds only itself, while a word of
// the same length one typo away still matches.
func testNumbers(t *testing.T, idx search.Index) {
	MustIndex(t, idx,
		Doc(1, "Jalan rusak di kode pos 60111", "Warga RT 005 RW 012 mengeluh sejak 2019."),
		Doc(2, "Banjir di kode pos 60112", "Warga RT 006 RW 012 terdampak sejak 2018."),
		Doc(3, "Perda 12345 tentang sampah", "Usulan revisi."),
	)
	cases := []struct {
		query string
		want  []string
	}{
		{"60111", []string{"proposal:1"}},
		{"60112", []string{"proposal:2"}},
		{"60113", nil},
		{"2019", []string{"proposal:1"}},
		{"2017", nil},
		{"012", []string{"proposal:1", "proposal:2"}},
		{"005", []string{"proposal:1"}},
		{"12346", nil},
		{"banjjir", []string{"proposal:2"}}, // words keep their typo tolerance
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) { expect(t, idx, c.query, c.want...) })
	}
}

// testExactFirst: a word one typo away still matches (five letters or
// more), but documents with the word itself come first, even when the
// word is common, its texts are long and the near miss is a rare word in
// a short text ("taman" and the Spanish "toman" of an imported
// consultation).
func testExactFirst(t *testing.T, idx search.Index) {
	docs := []search.Document{Doc(1, "Toman", "Los vecinos toman la palabra.")}
	for n := 2; n <= 40; n++ {
		docs = append(docs, Doc(n, fmt.Sprintf("Usulan %d", n), strings.Repeat("warga kota pasar sekolah jalan ", 8)+"taman"))
	}
	MustIndex(t, idx, docs...)
	got := IDs(MustSearch(t, idx, search.Query{Text: "taman", PerPage: 100}))
	if len(got) != len(docs) || got[len(got)-1] != "proposal:1" {
		t.Errorf("search taman: %d hits, the typo match proposal:1 at %d; want it last of %d", len(got), slices.Index(got, "proposal:1"), len(docs))
	}
}

func testEnglish(t *testing.T, idx search.Index) {
	en := Doc(1, "Improving the roads near the market", "Potholes everywhere.")
	en.Language = "en"
	unknown := Doc(3, "Bus stops", "Shelters for jalan Sudirman.")
	unknown.Language = ""
	MustIndex(t, idx, en, Doc(2, "Perbaikan jalan pasar", "Jalan berlubang."), unknown)
	cases := []struct {
		query string
		want  []string
	}{
		{"road", []string{"proposal:1"}},
		{"improve roads", []string{"proposal:1"}},
		{"jalan", []string{"proposal:2", "proposal:3"}},
		{"stop", []string{"proposal:3"}},
		{"the", nil},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) { expect(t, idx, c.query, c.want...) })
	}
}

// onlyMarks reports whether s contains no tag other than <mark> and
// </mark>.
func onlyMarks(s string) bool {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "<mark>", ""), "</mark>", "")
	return !strings.ContainsAny(s, "<>")
}

func testXSS(t *testing.T, idx search.Index) {
	payloads := []string{`<img src=x onerror=alert(1)>`, `"><svg onload=alert(1)>`, `</script><script>alert(1)</script>`, `{{7*7}} <mark>`}
	for i, p := range payloads {
		MustIndex(t, idx, Doc(i+1, p+" taman", "Usulan taman "+p))
	}
	for _, q := range []string{"taman", "img", "svg onload", "script alert", "mark", ""} {
		res := MustSearch(t, idx, search.Query{Text: q})
		if len(res.Hits) == 0 {
			t.Errorf("search %q: no hits", q)
		}
		for _, h := range res.Hits {
			if !onlyMarks(string(h.Snippet)) {
				t.Errorf("search %q: snippet of %s is not escaped: %s", q, h.ID, h.Snippet)
			}
			if q != "" && !strings.Contains(string(h.Snippet), "<mark>") {
				t.Errorf("search %q: snippet of %s has no mark: %s", q, h.ID, h.Snippet)
			}
		}
	}
}

func testInvalidUTF8(t *testing.T, idx search.Index) {
	bad := Doc(1, "Perbaikan\xffjembatan", "Usulan\x96air\xff bersih \xc3")
	bad.Topics = []string{"air\xfe"}
	MustIndex(t, idx, bad, Doc(2, "Jembatan baru", "Usulan lain."))
	res := MustSearch(t, idx, search.Query{Text: "jembatan \xff"})
	if len(res.Hits) != 2 {
		t.Fatalf("search jembatan: %v, want both documents", IDs(res))
	}
	for _, h := range res.Hits {
		if !utf8.ValidString(h.Title) || !utf8.ValidString(string(h.Snippet)) {
			t.Errorf("%s: invalid UTF-8 in hit %q / %q", h.ID, h.Title, h.Snippet)
		}
	}
	expect(t, idx, "bersih", "proposal:1")
	for _, f := range MustSearch(t, idx, search.Query{}).Facets.Topics {
		if !utf8.ValidString(f.Value) {
			t.Errorf("invalid UTF-8 in topic facet %q", f.Value)
		}
	}
}

func testDeleteAll(t *testing.T, idx search.Index) {
	MustIndex(t, idx, Doc(1, "Jalan", ""), Doc(2, "Taman", ""))
	if err := idx.DeleteAll(context.Background()); err != nil {
		t.Fatalf("DeleteAll: %v", err)
	}
	if res := MustSearch(t, idx, search.Query{}); res.Total != 0 {
		t.Errorf("after DeleteAll: %d documents", res.Total)
	}
	MustIndex(t, idx, Doc(3, "Jalan", ""))
	expect(t, idx, "jalan", "proposal:3")
}

func testInvalid(t *testing.T, idx search.Index) {
	ctx := context.Background()
	for name, q := range map[string]search.Query{
		"sort": {Sort: "random"}, "page": {Page: -1}, "per page": {PerPage: 1000}, "deep": {Page: 1000, PerPage: 100},
	} {
		if _, err := idx.Search(ctx, q); !errors.Is(err, search.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	for name, d := range map[string]search.Document{
		"no id": {Kind: search.KindProposal, Visibility: search.VisibilityPublic},
		"kind":  {ID: "x:1", Kind: "poll", Visibility: search.VisibilityPublic},
		"vis":   {ID: "x:1", Kind: search.KindProposal, Visibility: "group:abc"},
		"lang":  {ID: "x:1", Kind: search.KindProposal, Visibility: search.VisibilityPublic, Language: "fr"},
	} {
		if err := idx.Index(ctx, d); !errors.Is(err, search.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
}
