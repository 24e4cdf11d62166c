package searchtest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/rembug/rembug/search"
)

// facetTotal sums a facet's counts.
func facetTotal(fs []search.FacetCount) int {
	n := 0
	for _, f := range fs {
		n += f.Count
	}
	return n
}

func hasValue(fs []search.FacetCount, v string) bool {
	return slices.ContainsFunc(fs, func(f search.FacetCount) bool { return f.Value == v })
}

func testVisibility(t *testing.T, idx search.Index) {
	pub := Doc(1, "Dermaga umum", "Perbaikan dermaga untuk nelayan.")
	pub.Topics = []string{"pelabuhan"}
	secret := Doc(2, "Usulan dermaga rahasia", "Hanya untuk FG Nelayan.")
	secret.Visibility, secret.Topics, secret.ConsultationID, secret.Status = search.GroupVisibility(7), []string{"rahasia"}, 99, "draft"
	complaint := Doc(3, "Pengaduan dermaga rusak", "Tiket 12.")
	complaint.ID, complaint.Kind, complaint.Visibility, complaint.Topics = "complaint:3", search.KindComplaint, search.VisibilityStaff, []string{"tiket"}
	complaint.Readers = []string{search.AgencyReader(5), search.UserReader(42)}
	hidden := Doc(4, "Dermaga tersembunyi", "Disembunyikan moderator.")
	hidden.Visibility, hidden.Topics = search.VisibilityHidden, []string{"spam"}
	MustIndex(t, idx, pub, secret, complaint, hidden)

	viewers := []struct {
		name   string
		viewer search.Viewer
		want   []string
	}{
		{"anonymous", search.Viewer{}, []string{"proposal:1"}},
		{"non-member", search.Viewer{Groups: []int64{8, 70}}, []string{"proposal:1"}},
		{"member", search.Viewer{Groups: []int64{8, 7}}, []string{"proposal:1", "proposal:2"}},
		{"staff", search.Viewer{Staff: true}, []string{"complaint:3", "proposal:1"}},
		{"staff member", search.Viewer{Staff: true, Groups: []int64{7}}, []string{"complaint:3", "proposal:1", "proposal:2"}},
		{"reader agency", search.Viewer{Readers: []string{search.UserReader(7), search.AgencyReader(5)}}, []string{"complaint:3", "proposal:1"}},
		{"reader user", search.Viewer{Readers: []string{search.UserReader(42)}}, []string{"complaint:3", "proposal:1"}},
		{"other readers", search.Viewer{Readers: []string{search.UserReader(5), search.AgencyReader(42), search.ReaderAnalyst, "group:7"}}, []string{"proposal:1"}},
	}
	for _, v := range viewers {
		for _, text := range []string{"dermaga", "", "rahasia", "tersembunyi"} {
			t.Run(fmt.Sprintf("%s/%q", v.name, text), func(t *testing.T) {
				res := MustSearch(t, idx, search.Query{Text: text, Viewer: v.viewer})
				got := IDs(res)
				slices.Sort(got)
				want := v.want
				switch text {
				case "rahasia":
					want = nil
					if slices.Contains(v.want, "proposal:2") {
						want = []string{"proposal:2"}
					}
				case "tersembunyi":
					want = nil
				}
				if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
					t.Errorf("hits %v, want %v", got, want)
				}
				if res.Total != len(want) {
					t.Errorf("total %d, want %d", res.Total, len(want))
				}
				for name, f := range map[string][]search.FacetCount{"kind": res.Facets.Kinds, "consultation": res.Facets.Consultations, "status": res.Facets.Statuses} {
					if n := facetTotal(f); n != len(want) {
						t.Errorf("%s facet counts %d documents, want %d: %+v", name, n, len(want), f)
					}
				}
				member := slices.Contains(want, "proposal:2")
				if hasValue(res.Facets.Topics, "rahasia") != member || hasValue(res.Facets.Consultations, "99") != member || hasValue(res.Facets.Statuses, "draft") != member {
					t.Errorf("focus-group facets shown=%v, want %v: %+v", !member, member, res.Facets)
				}
				if hasValue(res.Facets.Topics, "spam") {
					t.Errorf("hidden document counted in facets: %+v", res.Facets.Topics)
				}
				if hasValue(res.Facets.Kinds, search.KindComplaint) != slices.Contains(want, "complaint:3") {
					t.Errorf("complaint facet: %+v", res.Facets.Kinds)
				}
			})
		}
	}
}

func testDelete(t *testing.T, idx search.Index) {
	ctx := t.Context()
	MustIndex(t, idx, Doc(1, "Usulan halte bus", "Halte di depan sekolah."), Doc(2, "Halte kedua", ""))
	expect(t, idx, "halte", "proposal:1", "proposal:2")
	if err := idx.Delete(ctx, "proposal:1"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	expect(t, idx, "halte", "proposal:2")
	if res := MustSearch(t, idx, search.Query{}); res.Total != 1 || facetTotal(res.Facets.Kinds) != 1 {
		t.Errorf("browse after delete: total %d, facets %+v", res.Total, res.Facets.Kinds)
	}
	if err := idx.Delete(ctx, "proposal:1", "proposal:404"); err != nil {
		t.Errorf("repeated Delete: %v", err)
	}
	// Replacing a document removes its old words; hiding it removes it.
	MustIndex(t, idx, Doc(2, "Trotoar", "Trotoar sempit."))
	expect(t, idx, "halte")
	expect(t, idx, "trotoar", "proposal:2")
	hidden := Doc(2, "Trotoar", "Trotoar sempit.")
	hidden.Visibility = search.VisibilityHidden
	MustIndex(t, idx, hidden)
	expect(t, idx, "trotoar")
	if err := idx.Delete(ctx); err != nil {
		t.Errorf("Delete with no ids: %v", err)
	}
}

func testFilters(t *testing.T, idx search.Index) {
	docs := []search.Document{
		Doc(1, "Taman kota", ""), Doc(2, "Taman desa", ""), Doc(3, "Taman sekolah", ""), Doc(4, "Taman pasar", ""),
	}
	docs[0].Topics, docs[1].Topics, docs[2].Topics = []string{"hijau", "anak"}, []string{"hijau"}, []string{"anak"}
	docs[1].Kind, docs[1].ID = search.KindComment, "comment:2"
	docs[2].Status, docs[3].ConsultationID = "accepted", 2
	MustIndex(t, idx, docs...)
	cases := []struct {
		name string
		q    search.Query
		want []string
	}{
		{"kind", search.Query{Kinds: []string{search.KindComment}}, []string{"comment:2"}},
		{"kinds", search.Query{Kinds: []string{search.KindComment, search.KindProposal}}, []string{"comment:2", "proposal:1", "proposal:3", "proposal:4"}},
		{"topic", search.Query{Topics: []string{"anak"}}, []string{"proposal:1", "proposal:3"}},
		{"topics any", search.Query{Topics: []string{"anak", "hijau"}}, []string{"comment:2", "proposal:1", "proposal:3"}},
		{"status", search.Query{Statuses: []string{"accepted"}}, []string{"proposal:3"}},
		{"consultation", search.Query{ConsultationID: 2}, []string{"proposal:4"}},
		{"text and topic", search.Query{Text: "taman", Topics: []string{"hijau"}, Kinds: []string{search.KindProposal}}, []string{"proposal:1"}},
		{"no match", search.Query{Topics: []string{"tidak-ada"}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := MustSearch(t, idx, c.q)
			got := IDs(res)
			slices.Sort(got)
			if !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
				t.Errorf("hits %v, want %v", got, c.want)
			}
			if facetTotal(res.Facets.Kinds) != len(c.want) {
				t.Errorf("kind facets %+v, want %d documents", res.Facets.Kinds, len(c.want))
			}
		})
	}
	res := MustSearch(t, idx, search.Query{Text: "taman"})
	if !hasValue(res.Facets.Topics, "hijau") || !hasValue(res.Facets.Consultations, "2") || !hasValue(res.Facets.Statuses, "accepted") {
		t.Errorf("facets %+v", res.Facets)
	}
	for _, f := range res.Facets.Topics {
		if want := map[string]int{"hijau": 2, "anak": 2}[f.Value]; f.Count != want {
			t.Errorf("topic %s: %d, want %d", f.Value, f.Count, want)
		}
	}
}

func testSorts(t *testing.T, idx search.Index) {
	a, b, c := Doc(1, "Sampah menumpuk", "Pasar kotor."), Doc(2, "Pasar", "Sampah di pasar."), Doc(3, "Pasar baru", "Tidak ada sampah.")
	a.Supports, b.Supports, c.Supports = 10, 50, 0
	MustIndex(t, idx, a, b, c)
	cases := []struct {
		name string
		q    search.Query
		want []string
	}{
		{"browse is newest first", search.Query{}, []string{"proposal:3", "proposal:2", "proposal:1"}},
		{"newest", search.Query{Text: "sampah", Sort: search.SortNewest}, []string{"proposal:3", "proposal:2", "proposal:1"}},
		{"supported", search.Query{Text: "sampah", Sort: search.SortSupported}, []string{"proposal:2", "proposal:1", "proposal:3"}},
		{"relevance: title first", search.Query{Text: "sampah menumpuk"}, []string{"proposal:1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := IDs(MustSearch(t, idx, tc.q)); !slices.Equal(got, tc.want) {
				t.Errorf("order %v, want %v", got, tc.want)
			}
		})
	}
	res := MustSearch(t, idx, search.Query{Text: "kotor sampah"})
	if len(res.Hits) != 1 || res.Hits[0].Score <= 0 {
		t.Errorf("relevance hits %+v, want proposal:1 with a score", res.Hits)
	}
}

func testPagination(t *testing.T, idx search.Index) {
	var docs []search.Document
	for i := 1; i <= 25; i++ {
		docs = append(docs, Doc(i, fmt.Sprintf("Usulan taman %d", i), "Taman hijau."))
	}
	MustIndex(t, idx, docs...)
	for _, text := range []string{"", "taman"} {
		seen := map[string]bool{}
		for page, want := range []int{10, 10, 5, 0} {
			res := MustSearch(t, idx, search.Query{Text: text, Page: page + 1, PerPage: 10, Sort: search.SortNewest})
			if res.Total != 25 || len(res.Hits) != want {
				t.Fatalf("%q page %d: total %d, %d hits; want 25, %d", text, page+1, res.Total, len(res.Hits), want)
			}
			for _, h := range res.Hits {
				if seen[h.ID] {
					t.Errorf("%q page %d: %s repeated", text, page+1, h.ID)
				}
				seen[h.ID] = true
			}
			if page == 0 && res.Hits[0].ID != "proposal:25" {
				t.Errorf("%q: first hit %s, want proposal:25", text, res.Hits[0].ID)
			}
		}
	}
}
