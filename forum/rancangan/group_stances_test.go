package rancangan

import (
	"context"
	"testing"
)

// TestStancesByGroup: inputs are tallied by their author's opinion group,
// per unit and in total, authors without a group fall in the last column,
// a hidden input counts nowhere, and the distinct authors are counted once
// per group. SQLite and PostgreSQL.
func TestStancesByGroup(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, 4)
	d := f.draft(t)
	a, b, c := f.warga[0], f.warga[1], f.warga[2]
	add := func(v, anchor, stance, body, amendment string) *Input {
		t.Helper()
		who := map[string]int{"a": 0, "b": 1, "c": 2, "e": 3}[v]
		in, err := f.s.AddInput(ctx, f.warga[who], f.c, d, NewInput{Anchor: anchor, Stance: stance, Body: body, Amendment: amendment})
		if err != nil {
			t.Fatal(err)
		}
		return in
	}
	add("a", "pasal-3-ayat-2", StanceDisagree, "Pemilahan dua jenis belum cukup.", "")
	add("a", "pasal-11-ayat-2", StanceAgree, "", "")
	add("b", "pasal-3-ayat-2", StanceAmend, "Tambahkan residu.", "Setiap rumah tangga wajib memilah sampah menjadi tiga jenis.")
	add("c", "pasal-3-ayat-2", StanceAgree, "", "")
	hidden := add("e", "pasal-3-ayat-2", StanceDisagree, "Teks yang disembunyikan moderator.", "")
	if err := f.s.SetHidden(ctx, f.admin, f.c, d, hidden, true); err != nil {
		t.Fatal(err)
	}
	// a and b are in group 0, c in group 1; e voted on no statement.
	groupOf := map[int64]int{a.ParticipantID: 0, b.ParticipantID: 0, c.ParticipantID: 1}
	got, err := StancesByGroup(ctx, f.db, d, groupOf, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []StanceCount{{Agree: 1, Disagree: 1, Amend: 1}, {Agree: 1}, {}}
	for g, w := range want {
		if got.Total[g] != w {
			t.Errorf("total of group %d: %+v, want %+v", g, got.Total[g], w)
		}
	}
	if u := got.ByUnit["pasal-3-ayat-2"]; u[0] != (StanceCount{Disagree: 1, Amend: 1}) || u[1] != (StanceCount{Agree: 1}) || u[2] != (StanceCount{}) {
		t.Errorf("pasal 3 ayat 2 by group: %+v", u)
	}
	if u := got.ByUnit["pasal-11-ayat-2"]; u[0] != (StanceCount{Agree: 1}) || u[1].Total() != 0 {
		t.Errorf("pasal 11 ayat 2 by group: %+v", u)
	}
	if got.Authors[0] != 2 || got.Authors[1] != 1 || got.Authors[2] != 0 {
		t.Errorf("authors per group %v, want [2 1 0] (the hidden input's author counts nowhere)", got.Authors)
	}
	// Without groups every author is in the last column.
	none, err := StancesByGroup(ctx, f.db, d, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(none.Total) != 1 || none.Total[0] != (StanceCount{Agree: 2, Disagree: 1, Amend: 1}) || none.Authors[0] != 3 {
		t.Errorf("without groups: %+v", none)
	}
}
